package io.spate.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import io.spate.internal.train.AlsTrainer;
import io.spate.internal.train.Ratings;
import io.spate.internal.model.Recommender;
import io.spate.internal.model.RecommenderRunner;
import io.spate.internal.train.SyntheticRatings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code spate train-mf}: trains the matrix-factorisation recommender by ALS on a MovieLens-style
 * ratings file (or, without one, on synthetic ratings it generates), reports the held-out RMSE next
 * to the global-mean baseline, and writes the model as safetensors for a recommend pipeline.
 */
@Command(name = "train-mf",
        description = "Trains a matrix-factorisation recommender (ALS) and writes it as safetensors.")
public final class TrainMfCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    // Help only: a subcommand's --version would print nothing, the top-level command owns it.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    private boolean help;

    @Option(names = "--ratings", paramLabel = "FILE",
            description = "Ratings, MovieLens u.data layout: user item rating [timestamp], tab separated, .gz or plain."
                    + " Without it, synthetic ratings are generated next to --out.")
    private Path ratings;

    @Option(names = "--titles", paramLabel = "FILE", description = "Item titles, MovieLens u.item layout: id|title|... (ISO-8859-1).")
    private Path titles;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "mf.safetensors",
            description = "Where to write the model. Default: ${DEFAULT-VALUE}.")
    private Path out;

    @Option(names = "--factors", defaultValue = "" + AlsTrainer.DEFAULT_FACTORS,
            description = "Latent factors. Default: ${DEFAULT-VALUE}.")
    private int factors;

    @Option(names = "--iterations", defaultValue = "" + AlsTrainer.DEFAULT_ITERATIONS,
            description = "ALS iterations. Default: ${DEFAULT-VALUE}.")
    private int iterations;

    @Option(names = "--lambda", defaultValue = "" + AlsTrainer.DEFAULT_LAMBDA,
            description = "Regularisation (weighted-lambda). Default: ${DEFAULT-VALUE}.")
    private double lambda;

    @Option(names = "--test-fraction", defaultValue = "" + AlsTrainer.DEFAULT_TEST_FRACTION,
            description = "Share of ratings held out to measure RMSE; 0 trains on all. Default: ${DEFAULT-VALUE}.")
    private double testFraction;

    @Option(names = "--seed", defaultValue = "" + AlsTrainer.DEFAULT_SEED,
            description = "Seed of the split and the initial factors. Default: ${DEFAULT-VALUE}.")
    private long seed;

    /** The command with its defaults; picocli fills the options. */
    public TrainMfCommand() {
    }

    /**
     * Trains, reports and writes the model.
     *
     * @return 0 on success, 1 if a file could not be read or written
     */
    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        // Settings are checked before any file is read or generated.
        AlsTrainer trainer;
        try {
            trainer = AlsTrainer.create().withFactors(factors).withIterations(iterations).withLambda(lambda)
                    .withTestFraction(testFraction).withSeed(seed);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        try {
            Path ratingsFile = ratings;
            Path titlesFile = titles;
            if (ratingsFile == null) {
                Path dir = out.toAbsolutePath().getParent();
                Files.createDirectories(dir);
                ratingsFile = dir.resolve("synthetic-ratings.tsv");
                Path syntheticTitles = dir.resolve("synthetic-items.txt");
                SyntheticRatings synthetic = SyntheticRatings.create();
                synthetic.write(ratingsFile, syntheticTitles);
                if (titlesFile == null) {
                    titlesFile = syntheticTitles;
                }
                stdout.printf("no --ratings given: generated synthetic ratings (%,d users, %,d items, %,d ratings) in %s%n",
                        synthetic.users(), synthetic.items(), synthetic.ratings(), ratingsFile);
            }
            Ratings data = Ratings.load(ratingsFile);
            Map<Long, String> itemTitles = titlesFile == null ? Map.of() : Ratings.loadTitles(titlesFile);
            stdout.printf("%,d users, %,d items, %,d ratings from %s%n", data.userCount(), data.itemCount(), data.size(), ratingsFile);
            stdout.flush();

            AlsTrainer.Result result = trainer.train(data, itemTitles);
            AlsTrainer.Report report = result.report();
            stdout.printf("ALS: %d factors, %d iterations, lambda %s: trained on %,d ratings in %.2f s%n",
                    factors, iterations, lambda, report.trainRatings(), report.seconds());
            if (report.testRatings() > 0) {
                stdout.printf("held-out RMSE %.4f on %,d ratings (global-mean baseline %.4f)%n",
                        report.rmse(), report.testRatings(), result.baselineRmse());
            }
            Recommender model = result.model();
            printExample(stdout, model);
            model.save(out);
            stdout.printf("wrote %s (%,d bytes)%n", out, Files.size(out));
            stdout.flush();
            return 0;
        } catch (IOException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("spate train-mf: " + (e instanceof NoSuchFileException ? "no such file: " + e.getMessage() : e.toString()));
            err.flush();
            return 1;
        }
    }

    /** The first user's top three unrated items: a glance that the model says something. */
    private static void printExample(PrintWriter stdout, Recommender model) {
        int k = 3;
        int[] items = new int[k];
        float[] scores = new float[k];
        RecommenderRunner runner = model.runner(k);
        runner.recommend(new int[] {0}, 1, true, items, scores);
        StringBuilder line = new StringBuilder("e.g. user " + model.userId(0) + ":");
        for (int j = 0; j < k && items[j] >= 0; j++) {
            String title = model.title(items[j]);
            line.append(String.format("%s %s (%.2f)", j == 0 ? "" : ";",
                    title.isEmpty() ? "item " + model.itemId(items[j]) : title, scores[j]));
        }
        stdout.println(line);
    }
}
