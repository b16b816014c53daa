package io.spate.gpu.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.spate.BatchResult;
import io.spate.RecordBatch;
import io.spate.frame.ColumnType;
import io.spate.frame.DoubleColumn;
import io.spate.frame.Frame;
import io.spate.frame.LongColumn;
import io.spate.frame.Utf8Column;
import io.spate.internal.train.AlsTrainer;
import io.spate.internal.train.AtlasCsv;
import io.spate.internal.model.Mlp;
import io.spate.internal.train.Ratings;
import io.spate.internal.model.Recommender;
import io.spate.internal.train.SyntheticRatings;
import io.spate.plan.Classify;
import io.spate.plan.Field;
import io.spate.plan.JsonFormat;
import io.spate.plan.Plan;
import io.spate.plan.Recommend;

/**
 * Models, events and comparisons for the device inference tests: the seed network on ATLAS Higgs
 * events (the shared sample when a {@code shared/data} is above the working directory, else events
 * drawn like it), an ALS model on synthetic ratings, and the frame checks against the CPU backend.
 */
final class InferenceFixtures {

    /**
     * How far a device probability may be from the CPU's. Both compute in float32; they differ only
     * in the order of the sums (the CPU's tiles of 4 against the device's fused multiply-adds over
     * 32-deep tiles), about 1e-7 relative per product and well under 1e-6 after the seed network's
     * four layers (measured: see the test's log). 1e-5 leaves ten-fold room and is still far below
     * anything a threshold on p_signal could care about: a label may differ only where the CPU's
     * p_signal is within 1e-5 of the threshold (for two classes and a threshold of 0.5, where the
     * two probabilities are within 2e-5 of each other).
     */
    static final double PROBABILITY_TOLERANCE = 1e-5;

    static final List<String> FEATURES = AtlasCsv.FEATURES;

    private InferenceFixtures() {
    }

    /** ATLAS Higgs events: up to {@code n} of the shared sample, else {@code n} drawn like them (-999 for missing values). */
    static AtlasCsv.Events higgsEvents(int n) throws IOException {
        List<Path> sample = AtlasCsv.findSample(Path.of(""));
        if (!sample.isEmpty()) {
            AtlasCsv.Events all = AtlasCsv.load(sample);
            int m = Math.min(n, all.size());
            float[] f = new float[m * FEATURES.size()];
            System.arraycopy(all.features(), 0, f, 0, f.length);
            return new AtlasCsv.Events(all.featureNames(), f, Arrays.copyOf(all.labels(), m),
                    Arrays.copyOf(all.eventIds(), m));
        }
        Random random = new Random(5);
        float[] f = new float[n * FEATURES.size()];
        long[] ids = new long[n];
        for (int e = 0; e < n; e++) {
            ids[e] = 100_000L + e;
            for (int j = 0; j < FEATURES.size(); j++) {
                f[e * FEATURES.size() + j] = j % 7 == 0 && random.nextInt(4) == 0 ? -999f : (float) (random.nextGaussian() * 40 + 60);
            }
        }
        return new AtlasCsv.Events(FEATURES, f, new int[n], ids);
    }

    /** Whether the events came from the shared sample. */
    static boolean realSample() {
        return !AtlasCsv.findSample(Path.of("")).isEmpty();
    }

    /** The events as JSON records, one per event, in batches of {@code batchSize}; the first batch gets one malformed record. */
    static List<RecordBatch> higgsBatches(AtlasCsv.Events events, int batchSize) {
        List<RecordBatch> out = new ArrayList<>();
        int width = events.featureNames().size();
        for (int from = 0; from < events.size(); from += batchSize) {
            List<byte[]> lines = new ArrayList<>();
            for (int e = from; e < Math.min(events.size(), from + batchSize); e++) {
                StringBuilder json = new StringBuilder("{\"EventId\": ").append(events.eventIds()[e]);
                for (int j = 0; j < width; j++) {
                    json.append(", \"").append(events.featureNames().get(j)).append("\": ").append(events.features()[e * width + j]);
                }
                lines.add(json.append('}').toString().getBytes(StandardCharsets.UTF_8));
                if (e == from + 3 && from == 0) {
                    lines.add("{\"EventId\": 1, \"DER_mass_MMC\": \"not a number\"}".getBytes(StandardCharsets.UTF_8));
                }
            }
            out.add(RecordBatch.of("higgs", lines));
        }
        return out;
    }

    /** The higgs plan of config/higgs.conf over a model file. */
    static Plan higgsPlan(Path model) {
        List<Field> fields = new ArrayList<>();
        fields.add(new Field("EventId", ColumnType.LONG));
        for (String f : FEATURES) {
            fields.add(new Field(f, ColumnType.DOUBLE));
        }
        return new Plan(new JsonFormat(fields), List.of(), List.of(new Classify("higgs", model.toString(), "EventId", FEATURES, 0.5)));
    }

    /** The seed network ({@link Mlp#STANDARD_SIZES}) with random weights, saved under {@code dir}. */
    static Path seedNetwork(Path dir) throws IOException {
        Path file = dir.resolve("mlp.safetensors");
        Mlp.random(Mlp.STANDARD_SIZES, 11).save(file, Map.of());
        return file;
    }

    /** An ALS model trained on synthetic ratings. */
    static Recommender syntheticModel(Path dir) throws IOException {
        SyntheticRatings.create().write(dir.resolve("r.tsv"), dir.resolve("t.txt"));
        return AlsTrainer.create().train(Ratings.load(dir.resolve("r.tsv")), Ratings.loadTitles(dir.resolve("t.txt"))).model();
    }

    /** The recommendations plan of config/recommendations.conf over a model file. */
    static Plan recommendPlan(Path model, int k) {
        return new Plan(new JsonFormat(List.of(new Field("uid", ColumnType.LONG))), List.of(),
                List.of(new Recommend("recommend", model.toString(), "uid", k, true)));
    }

    /** Events for users {@code uids}, one JSON record each. */
    static RecordBatch uidBatch(List<Long> uids) {
        List<byte[]> lines = new ArrayList<>();
        for (long uid : uids) {
            lines.add(("{\"uid\": " + uid + "}").getBytes(StandardCharsets.US_ASCII));
        }
        lines.add("{\"user\": 1}".getBytes(StandardCharsets.US_ASCII));
        return RecordBatch.of("uids", lines);
    }

    /** Asserts the same rejects, columns, rows and nesting, and every cell equal. */
    static void assertSameFrames(BatchResult cpu, BatchResult gpu) {
        assertArrayEquals(cpu.rejected(), gpu.rejected(), "rejected rows");
        assertArrayEquals(cpu.reasons(), gpu.reasons(), "reject reasons");
        assertEquals(cpu.frames().size(), gpu.frames().size());
        for (int f = 0; f < cpu.frames().size(); f++) {
            Frame c = cpu.frames().get(f);
            Frame g = gpu.frames().get(f);
            assertEquals(c.rows(), g.rows(), "rows");
            assertEquals(c.keyCount(), g.keyCount());
            assertEquals(c.nesting() == null, g.nesting() == null);
            if (c.nesting() != null) {
                assertEquals(c.nesting().field(), g.nesting().field());
                assertArrayEquals(c.nesting().bounds(), g.nesting().bounds(), "records");
            }
            assertEquals(c.columns().size(), g.columns().size());
            for (int col = 0; col < c.columns().size(); col++) {
                assertEquals(c.columns().get(col).name(), g.columns().get(col).name());
                for (int r = 0; r < c.rows(); r++) {
                    assertEquals(cell(c, col, r), cell(g, col, r), c.columns().get(col).name() + " of row " + r);
                }
            }
        }
    }

    /**
     * Asserts a classify frame: same ids and rejects, p_signal within {@link #PROBABILITY_TOLERANCE},
     * labels equal except where the CPU's p_signal is that close to the threshold. Returns the
     * largest difference seen.
     */
    static double assertCloseClassification(BatchResult cpu, BatchResult gpu, double threshold) {
        assertArrayEquals(cpu.rejected(), gpu.rejected(), "rejected rows");
        assertArrayEquals(cpu.reasons(), gpu.reasons(), "reject reasons");
        Frame c = cpu.frames().get(0);
        Frame g = gpu.frames().get(0);
        assertEquals(c.rows(), g.rows());
        LongColumn ids = (LongColumn) c.column("EventId");
        DoubleColumn pc = (DoubleColumn) c.column("p_signal");
        DoubleColumn pg = (DoubleColumn) g.column("p_signal");
        LongColumn lc = (LongColumn) c.column("label");
        LongColumn lg = (LongColumn) g.column("label");
        double worst = 0;
        for (int r = 0; r < c.rows(); r++) {
            assertEquals(ids.get(r), ((LongColumn) g.column("EventId")).get(r));
            double diff = Math.abs(pc.get(r) - pg.get(r));
            worst = Math.max(worst, diff);
            assertTrue(diff <= PROBABILITY_TOLERANCE, "p_signal of event " + ids.get(r) + ": cpu " + pc.get(r) + ", gpu " + pg.get(r));
            if (Math.abs(pc.get(r) - threshold) > PROBABILITY_TOLERANCE) {
                assertEquals(lc.get(r), lg.get(r), "label of event " + ids.get(r));
            }
        }
        return worst;
    }

    private static Object cell(Frame f, int col, int row) {
        Object c = f.columns().get(col);
        if (c instanceof LongColumn l) {
            return l.get(row);
        }
        if (c instanceof DoubleColumn d) {
            return d.get(row);
        }
        return ((Utf8Column) c).getString(row);
    }
}
