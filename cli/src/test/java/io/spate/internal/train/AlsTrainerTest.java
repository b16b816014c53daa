package io.spate.internal.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.spate.internal.model.Recommender;
import io.spate.cli.TrainMfCommand;
import io.spate.internal.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AlsTrainerTest {

    private static final String MOVIELENS = "movielens_ml-100k/";

    @TempDir
    Path dir;

    @Test
    void shouldPredictHeldOutMovieLensRatingsBetterThanTheMean() throws IOException {
        Ratings ratings = Ratings.load(SharedData.require(MOVIELENS + "u.data.gz"));
        Map<Long, String> titles = Ratings.loadTitles(SharedData.require(MOVIELENS + "u.item"));
        assertEquals(100_000, ratings.size());

        AlsTrainer.Result result = AlsTrainer.create().train(ratings, titles);
        AlsTrainer.Report report = result.report();
        System.out.printf("ALS on MovieLens 100k: %d users, %d items, %,d train / %,d test, RMSE %.4f (baseline %.4f), %.2f s%n",
                report.users(), report.items(), report.trainRatings(), report.testRatings(), report.rmse(),
                result.baselineRmse(), report.seconds());
        assertEquals(943, report.users());
        assertEquals(1682, report.items());
        assertEquals(90_000, report.trainRatings());
        assertEquals(10_000, report.testRatings());
        // The defaults reach about 0.91; the margin absorbs other seeds, not a regression to the mean (about 1.13).
        assertTrue(report.rmse() < 0.95, "RMSE " + report.rmse());
        assertTrue(report.rmse() < result.baselineRmse() - 0.15, "RMSE " + report.rmse() + " vs baseline " + result.baselineRmse());

        Recommender model = result.model();
        assertEquals("Toy Story (1995)", model.title(0));
        assertEquals(100_000, model.ratedItems().length);
        assertEquals(report.rmse(), model.rmse());
        Path file = dir.resolve("movielens.safetensors");
        model.save(file);
        assertEquals(model.title(1681), Recommender.load(file).title(1681));
    }

    @Test
    void shouldLearnThePlantedStructureOfSyntheticRatings() throws IOException {
        Ratings ratings = synthetic(SyntheticRatings.create());
        assertEquals(SyntheticRatings.DEFAULT_RATINGS, ratings.size());

        AlsTrainer.Result result = AlsTrainer.create().train(ratings, Ratings.loadTitles(dir.resolve("items.txt")));
        System.out.printf("ALS on synthetic ratings: RMSE %.4f (baseline %.4f), %.2f s%n",
                result.report().rmse(), result.baselineRmse(), result.report().seconds());
        assertTrue(result.report().rmse() < 0.8 * result.baselineRmse(),
                "RMSE " + result.report().rmse() + " vs baseline " + result.baselineRmse());
        assertTrue(result.model().title(16).matches("Synthetic movie 17 \\(genre \\d\\)"), result.model().title(16));
    }

    @Test
    void shouldTrainTheSameModelForTheSameSeed() throws IOException {
        Ratings ratings = synthetic(SyntheticRatings.create().withUsers(100).withItems(80).withRatings(2000));
        AlsTrainer trainer = AlsTrainer.create().withFactors(5).withIterations(3);
        AlsTrainer.Result first = trainer.train(ratings, Map.of());
        AlsTrainer.Result second = trainer.train(ratings, Map.of());
        assertEquals(first.report().rmse(), second.report().rmse());
        assertEquals(first.model().score(7, 9), second.model().score(7, 9));
        assertTrue(trainer.withSeed(7).train(ratings, Map.of()).report().rmse() != first.report().rmse());
    }

    @Test
    void shouldMakeTheScoreThePredictedRating() throws IOException {
        Ratings ratings = synthetic(SyntheticRatings.create().withUsers(100).withItems(80).withRatings(2000));
        Recommender model = AlsTrainer.create().withTestFraction(0).train(ratings, Map.of()).model();
        double sum = 0;
        for (int r = 0; r < ratings.size(); r++) {
            sum += model.score(ratings.user(r), ratings.item(r));
        }
        // The folded bias columns carry the global mean: scores average out near the mean rating.
        assertEquals(ratings.mean(), sum / ratings.size(), 0.1);
        assertTrue(Double.isNaN(model.rmse()));
    }

    @Test
    void shouldRefuseIdsBeyondTwoToThe24BeforeTraining() {
        Ratings ratings = Ratings.of(new long[] {1, 1L << 30}, new long[] {1, 2}, new float[] {3, 4});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AlsTrainer.create().train(ratings, Map.of()));
        assertTrue(e.getMessage().contains("2^24"), e.getMessage());
    }

    @Test
    void shouldTrainOnGeneratedRatingsFromTheCommandLine() throws IOException {
        Path out = dir.resolve("models/mf.safetensors");
        StringWriter text = new StringWriter();
        CommandLine cli = new CommandLine(new TrainMfCommand());
        cli.setOut(new PrintWriter(text));
        int code = cli.execute("--out", out.toString(), "--iterations", "4", "--factors", "8");
        System.out.print(text);
        assertEquals(0, code);
        assertTrue(text.toString().contains("synthetic"), text.toString());
        assertTrue(text.toString().contains("held-out RMSE"), text.toString());
        assertTrue(Files.isRegularFile(dir.resolve("models/synthetic-ratings.tsv")));
        Recommender model = Recommender.load(out);
        assertEquals(10, model.factors());
        assertTrue(model.title(0).startsWith("Synthetic movie 1 "), model.title(0));
    }

    @Test
    void shouldReadWhitespaceSeparatedRatingsAndNameABadLine() throws IOException {
        Path file = dir.resolve("ratings.txt");
        Files.writeString(file, "10 7 4\n\n10  9\t2.5 123\n3 7 5\n");
        Ratings ratings = Ratings.load(file);
        assertEquals(3, ratings.size());
        assertEquals(2, ratings.userCount());
        assertEquals(3, ratings.userId(0));
        assertEquals(1, ratings.user(0));
        assertEquals(2.5f, ratings.value(1));
        assertEquals(9, ratings.itemId(ratings.item(1)));

        Files.writeString(file, "1 2 3\n1 x 3\n");
        IOException e = assertThrows(IOException.class, () -> Ratings.load(file));
        assertTrue(e.getMessage().contains("ratings.txt:2:"), e.getMessage());
    }

    private Ratings synthetic(SyntheticRatings generator) throws IOException {
        generator.write(dir.resolve("ratings.tsv"), dir.resolve("items.txt"));
        return Ratings.load(dir.resolve("ratings.tsv"));
    }
}
