package io.spate.internal.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import io.spate.internal.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MlpTrainerTest {

    @TempDir
    Path dir;

    @Test
    void shouldLearnTheAtlasHiggsSampleInTwoEpochs() throws IOException {
        AtlasCsv.Events events = AtlasCsv.load(atlasSample());
        assertEquals(9_998, events.size());
        assertEquals(AtlasCsv.FEATURES, events.featureNames());

        List<String> epochs = new ArrayList<>();
        MlpTrainer.Result result = MlpTrainer.create().withEpochs(2)
                .train(events.features(), events.labels(), events.size(),
                        (epoch, loss, seconds) -> epochs.add(String.format("epoch %d: loss %.4f, %.1f s", epoch, loss, seconds)));
        MlpTrainer.Report report = result.report();
        epochs.forEach(System.out::println);
        System.out.printf("ATLAS MLP, 2 epochs: %s%n", report);

        assertEquals(7_998, report.trainEvents());
        assertEquals(2_000, report.testEvents());
        // Seed 42 reaches 0.640 and 0.753 (a NumPy version of the same training 0.645 and 0.754);
        // seeds 1 to 7 range over 0.61-0.72 and 0.736-0.791. Per-event L2 normalisation leaves the
        // features dominated by the -999 markers and the large momenta, so two epochs get no further.
        assertTrue(report.accuracy() > 0.58, "held-out accuracy " + report.accuracy());
        assertTrue(report.auc() > 0.70, "held-out AUC " + report.auc());
    }

    @Test
    void shouldTrainTheSameModelForTheSameSeed() {
        Synthetic data = synthetic(600, 8, 1);
        MlpTrainer trainer = MlpTrainer.create().withSizes(8, 32, 16, 2).withEpochs(10).withBatchSize(32);
        MlpTrainer.Result a = trainer.train(data.features, data.labels, data.n);
        MlpTrainer.Result b = trainer.train(data.features, data.labels, data.n);
        float[] pa = new float[2 * data.n];
        float[] pb = new float[2 * data.n];
        a.model().runner().predict(data.features, data.n, pa);
        b.model().runner().predict(data.features, data.n, pb);
        assertArrayEquals(pa, pb);
        assertEquals(a.report().accuracy(), b.report().accuracy());
        assertTrue(a.report().accuracy() > 0.9, "a separable problem is learnt: " + a.report());
    }

    @Test
    void shouldComputeAucFromRanksCountingTiesAsHalf() {
        // Positives 0.35 and 0.8 against negatives 0.1 and 0.4: 3 of the 4 pairs are ordered right.
        assertEquals(0.75, MlpTrainer.auc(new float[] {0.1f, 0.4f, 0.35f, 0.8f}, new int[] {0, 0, 1, 1}, 4), 1e-12);
        assertEquals(1.0, MlpTrainer.auc(new float[] {0.9f, 0.1f, 0.8f}, new int[] {1, 0, 1}, 3), 1e-12);
        assertEquals(0.0, MlpTrainer.auc(new float[] {0.1f, 0.9f}, new int[] {1, 0}, 2), 1e-12);
        assertEquals(0.5, MlpTrainer.auc(new float[] {0.5f, 0.5f}, new int[] {1, 0}, 2), 1e-12);
        // One positive ties one of two negatives and beats the other: (1 + 0.5) / 2.
        assertEquals(0.75, MlpTrainer.auc(new float[] {0.3f, 0.7f, 0.7f}, new int[] {0, 0, 1}, 3), 1e-12);
        assertTrue(Double.isNaN(MlpTrainer.auc(new float[] {0.3f, 0.7f}, new int[] {1, 1}, 2)));
    }

    @Test
    void shouldRefuseBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> MlpTrainer.create().withTestFraction(1.0));
        assertThrows(IllegalArgumentException.class, () -> MlpTrainer.create().withBatchSize(0));
        assertThrows(IllegalArgumentException.class, () -> MlpTrainer.create().withLearningRate(-1));
        assertThrows(IllegalArgumentException.class, () -> MlpTrainer.create().withSizes(30));
        assertThrows(IllegalArgumentException.class,
                () -> MlpTrainer.create().withSizes(2, 2).train(new float[] {1, 2}, new int[] {2}, 1));
    }

    @Test
    void shouldReadCrlfCsvByHeaderNameAndNameTheFileAndLineOfABadRow() throws IOException {
        String header = "EventId,Weight,f1,Label,f2,KaggleSet,KaggleWeight\r\n";
        Path good = dir.resolve("good.csv");
        Files.writeString(good, header + "7,0.1,1.5,s,-999.0,t,0.2\r\n8,0.1,2,b,3,t,0.2\r\n", StandardCharsets.UTF_8);
        AtlasCsv.Events events = AtlasCsv.load(good);
        assertEquals(List.of("f1", "f2"), events.featureNames());
        assertArrayEquals(new float[] {1.5f, -999f, 2f, 3f}, events.features());
        assertArrayEquals(new int[] {1, 0}, events.labels());
        assertArrayEquals(new long[] {7, 8}, events.eventIds());

        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, header + "7,0.1,1.5,s,-999.0,t,0.2\r\n8,0.1,2,x,3,t,0.2\r\n", StandardCharsets.UTF_8);
        IOException e = assertThrows(IOException.class, () -> AtlasCsv.load(bad));
        assertTrue(e.getMessage().contains("bad.csv:3") && e.getMessage().contains("Label"), e.getMessage());

        Path short1 = dir.resolve("short.csv");
        Files.writeString(short1, header + "7,0.1,oops,s,-999.0,t,0.2\r\n", StandardCharsets.UTF_8);
        e = assertThrows(IOException.class, () -> AtlasCsv.load(short1));
        assertTrue(e.getMessage().contains("short.csv:2") && e.getMessage().contains("f1"), e.getMessage());
    }

    private static List<Path> atlasSample() {
        List<Path> files = new ArrayList<>();
        for (String name : AtlasCsv.SAMPLE_FILES) {
            Optional<Path> file = SharedData.find(AtlasCsv.SAMPLE_DIRECTORY + "/" + name);
            assumeTrue(file.isPresent(), "no shared/data/" + AtlasCsv.SAMPLE_DIRECTORY + "/" + name + " above the working directory");
            files.add(file.get());
        }
        return files;
    }

    /** Two classes split by the sign of a fixed direction, a problem any MLP learns. */
    private record Synthetic(float[] features, int[] labels, int n) {
    }

    private static Synthetic synthetic(int n, int width, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[n * width];
        int[] y = new int[n];
        for (int e = 0; e < n; e++) {
            double score = 0;
            for (int j = 0; j < width; j++) {
                float v = (float) random.nextGaussian();
                x[e * width + j] = v;
                score += (j % 2 == 0 ? 1 : -1) * v;
            }
            y[e] = score > 0 ? 1 : 0;
        }
        return new Synthetic(x, y, n);
    }
}
