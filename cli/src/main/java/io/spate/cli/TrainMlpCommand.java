package io.spate.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import io.spate.internal.train.AtlasCsv;
import io.spate.internal.model.Mlp;
import io.spate.internal.train.MlpTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code spate train-mlp}: trains the ATLAS Higgs classifier of the CERN "Spark Streaming + Keras"
 * tutorial (30 features, dense 500-1000-500 ReLU, softmax over signal and background) on the
 * challenge's CSV files, reports held-out accuracy and ROC AUC, and writes the network as
 * safetensors for a pipeline to serve. With {@code --random} it writes untrained Glorot weights,
 * as the tutorial does when it has no data, so that a pipeline can be tried without training.
 */
@Command(name = "train-mlp",
        description = "Trains the ATLAS Higgs MLP classifier (Adam, cross-entropy) and writes it as safetensors.")
public final class TrainMlpCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    // Help only: a subcommand's --version would print nothing, the top-level command owns it.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    private boolean help;

    @Option(names = "--data", paramLabel = "FILE", arity = "1..*",
            description = "ATLAS Higgs challenge CSV files (.gz or plain). Default: the sample's signal and background"
                    + " files under the nearest shared/data/" + AtlasCsv.SAMPLE_DIRECTORY + " above the working directory.")
    private List<Path> data;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "mlp.safetensors",
            description = "Where to write the model. Default: ${DEFAULT-VALUE}.")
    private Path out;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "" + MlpTrainer.DEFAULT_EPOCHS,
            description = "Passes over the training events. Default: ${DEFAULT-VALUE}.")
    private int epochs;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "" + MlpTrainer.DEFAULT_BATCH_SIZE,
            description = "Events per Adam step. Default: ${DEFAULT-VALUE}.")
    private int batch;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "" + MlpTrainer.DEFAULT_LEARNING_RATE,
            description = "Adam learning rate. Default: ${DEFAULT-VALUE}.")
    private double learningRate;

    @Option(names = "--test-fraction", paramLabel = "F", defaultValue = "" + MlpTrainer.DEFAULT_TEST_FRACTION,
            description = "Share of events held out to measure accuracy and AUC; 0 trains on all. Default: ${DEFAULT-VALUE}.")
    private double testFraction;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "" + MlpTrainer.DEFAULT_SEED,
            description = "Seed of the split, the shuffles and the initial weights. Default: ${DEFAULT-VALUE}.")
    private long seed;

    @Option(names = "--random", description = "Write random (Glorot) weights without training or reading data.")
    private boolean random;

    /** The command with its defaults; picocli fills the options. */
    public TrainMlpCommand() {
    }

    /**
     * Trains (or draws random weights), reports and writes the model.
     *
     * @return 0 on success, 1 if a file could not be read or written
     */
    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        MlpTrainer trainer;
        try {
            // Settings are checked before any file is read.
            trainer = MlpTrainer.create().withEpochs(epochs).withBatchSize(batch).withLearningRate(learningRate)
                    .withTestFraction(testFraction).withSeed(seed);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        try {
            if (random) {
                Mlp model = Mlp.random(Mlp.STANDARD_SIZES, seed);
                save(stdout, model, AtlasCsv.FEATURES, "random Glorot weights (seed " + seed + "), not trained");
                return 0;
            }
            List<Path> files = data != null ? data : AtlasCsv.findSample(Path.of(""));
            if (files.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "no --data given and no shared/data/"
                        + AtlasCsv.SAMPLE_DIRECTORY + " with " + AtlasCsv.SAMPLE_FILES + " above "
                        + Path.of("").toAbsolutePath() + "; pass --data FILE... or --random");
            }
            AtlasCsv.Events events = AtlasCsv.load(files);
            int signal = Arrays.stream(events.labels()).sum();
            stdout.printf("%,d events (%,d signal, %,d background), %d features, from %s%n", events.size(), signal,
                    events.size() - signal, events.featureNames().size(),
                    files.stream().map(Path::toString).collect(Collectors.joining(", ")));
            stdout.flush();

            int[] sizes = Mlp.STANDARD_SIZES.clone();
            sizes[0] = events.featureNames().size();
            MlpTrainer.Result result = trainer.withSizes(sizes).train(events.features(), events.labels(), events.size(),
                    (epoch, loss, seconds) -> {
                        stdout.printf("epoch %d/%d: training loss %.4f (%.1f s)%n", epoch, epochs, loss, seconds);
                        stdout.flush();
                    });
            MlpTrainer.Report report = result.report();
            stdout.printf("trained %s on %,d events: %d epochs, batch %d, Adam lr %s, in %.1f s%n",
                    shape(sizes), report.trainEvents(), epochs, batch, learningRate, report.seconds());
            if (report.testEvents() > 0) {
                stdout.printf("held out %,d events: accuracy %.4f, ROC AUC %.4f%n",
                        report.testEvents(), report.accuracy(), report.auc());
            }
            save(stdout, result.model(), events.featureNames(), "trained");
            return 0;
        } catch (IOException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("spate train-mlp: " + (e instanceof NoSuchFileException ? "no such file " : "") + e.getMessage());
            err.flush();
            return 1;
        }
    }

    private void save(PrintWriter stdout, Mlp model, List<String> inputs, String what) throws IOException {
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        model.save(out, Map.of(Mlp.INPUTS_KEY, String.join(",", inputs)));
        stdout.printf("wrote %s: %s, %s, %,d parameters (%,d bytes)%n", out, what, shape(model.sizes()),
                model.parameters(), Files.size(out));
        stdout.flush();
    }

    private static String shape(int[] sizes) {
        return Arrays.stream(sizes).mapToObj(String::valueOf).collect(Collectors.joining("-"));
    }
}
