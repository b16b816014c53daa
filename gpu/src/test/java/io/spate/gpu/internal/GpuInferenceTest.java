package io.spate.gpu.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.typesafe.config.ConfigFactory;

import io.spate.BatchResult;
import io.spate.RecordBatch;
import io.spate.frame.Frame;
import io.spate.frame.LongColumn;
import io.spate.internal.cpu.CpuBackend;
import io.spate.internal.model.Mlp;
import io.spate.internal.model.Recommender;
import io.spate.internal.model.Safetensors;
import io.spate.plan.Plan;

/**
 * Model inference on the device against the CPU backend: the seed MLP on ATLAS Higgs events and
 * odd-sized networks (probabilities within {@link InferenceFixtures#PROBABILITY_TOLERANCE}), the MF
 * recommender's top-k on synthetic ratings (the same frames exactly), and weights that go to the
 * device once.
 */
@Tag("gpu")
@DisplayName("model inference on the device: the CPU's answers, weights uploaded once")
class GpuInferenceTest {

    private static final Logger LOG = LoggerFactory.getLogger(GpuInferenceTest.class);


    private static GpuBackend gpu() {
        return new GpuBackend(GpuSettings.create(ConfigFactory.load()));
    }

    @Test
    void shouldClassifyHiggsEventsAsTheCpuDoesUploadingTheWeightsOnce(@TempDir Path dir) throws IOException {
        GpuTestDevice.require();
        Plan plan = InferenceFixtures.higgsPlan(InferenceFixtures.seedNetwork(dir));
        List<RecordBatch> batches = InferenceFixtures.higgsBatches(InferenceFixtures.higgsEvents(600), 250);
        try (GpuBackend gpu = gpu(); CpuBackend cpu = new CpuBackend()) {
            double worst = 0;
            for (RecordBatch b : batches) {
                BatchResult g = gpu.execute(plan, b);
                assertEquals(GpuBackend.NAME, g.backend(), "inference ran on the device");
                worst = Math.max(worst, InferenceFixtures.assertCloseClassification(cpu.execute(plan, b), g, 0.5));
            }
            LOG.info("seed network on {} events ({}): largest p_signal difference from the CPU {}", 600,
                    InferenceFixtures.realSample() ? "ATLAS sample" : "drawn like ATLAS", worst);
            assertEquals(1, gpu.weightUploads(), "the weights went to the device once for " + batches.size() + " batches");
        }
    }

    @Test
    void shouldMatchTheCpuForwardPassOnSizesThatAreNoMultipleOfTheTile(@TempDir Path dir) throws IOException {
        GpuTestDevice.require();
        int[][] shapes = {{3, 5, 2}, {13, 67, 129, 5}, {31, 65, 1, 33, 7}};
        try (GpuDevice device = new GpuDevice(0); DeviceMemory memory = new DeviceMemory(1L << 30, 64L << 20)) {
            for (int s = 0; s < shapes.length; s++) {
                Mlp mlp = withRandomBiases(Mlp.random(shapes[s], 3 + s), dir.resolve("odd" + s + ".safetensors"));
                DeviceMlp onDevice = new DeviceMlp(mlp, () -> device, () -> memory);
                for (int rows : new int[] {1, 77, DeviceMlp.ROWS_PER_PASS + 5}) {
                    float[] x = new float[rows * mlp.inputs()];
                    SplittableRandom random = new SplittableRandom(rows);
                    for (int i = 0; i < x.length; i++) {
                        x[i] = (float) (random.nextDouble() * 200 - 100);
                    }
                    // A zero event stays zero through the normalisation, as on the CPU.
                    Arrays.fill(x, 0, mlp.inputs(), 0f);
                    float[] cpu = new float[rows * mlp.outputs()];
                    float[] gpu = new float[rows * mlp.outputs()];
                    mlp.runner(false).predict(x, rows, cpu);
                    onDevice.predict(x, rows, gpu);
                    for (int i = 0; i < cpu.length; i++) {
                        assertEquals(cpu[i], gpu[i], InferenceFixtures.PROBABILITY_TOLERANCE,
                                "probability " + i % mlp.outputs() + " of event " + i / mlp.outputs() + ", sizes " + Arrays.toString(shapes[s]));
                    }
                }
                assertEquals(1, onDevice.uploads(), "uploaded once for all batches");
                onDevice.close();
            }
        }
    }

    @Test
    void shouldRecommendTheCpusItemsInTheCpusOrderWithTheCpusScores(@TempDir Path dir) throws IOException {
        GpuTestDevice.require();
        Recommender model = withEdgeCases(InferenceFixtures.syntheticModel(dir));
        Path file = dir.resolve("mf.safetensors");
        model.save(file);
        Plan plan = InferenceFixtures.recommendPlan(file, 10);
        List<Long> uids = new ArrayList<>();
        for (int u = 0; u < model.users(); u += 3) {
            uids.add(model.userId(u));
        }
        uids.add(2, 99_999_999L);
        uids.add(model.userId(1));
        try (GpuBackend gpu = gpu(); CpuBackend cpu = new CpuBackend()) {
            for (List<Long> part : List.of(uids.subList(0, uids.size() / 2), uids.subList(uids.size() / 2, uids.size()))) {
                RecordBatch batch = InferenceFixtures.uidBatch(part);
                BatchResult c = cpu.execute(plan, batch);
                BatchResult g = gpu.execute(plan, batch);
                assertEquals(GpuBackend.NAME, g.backend());
                // Scores too: the device sums each score as the CPU does, without fused multiply-adds.
                InferenceFixtures.assertSameFrames(c, g);
            }
            BatchResult first = gpu.execute(plan, InferenceFixtures.uidBatch(uids.subList(0, 3)));
            assertTrue(Arrays.asList(first.reasons()).contains("recommend: unknown user 99999999"), Arrays.toString(first.reasons()));
            assertEquals(model.userId(0), ((LongColumn) first.frames().get(0).column("uid")).get(0), "user 0 still gets items");
            assertEquals(1, gpu.weightUploads(), "the model went to the device once");
        }
    }

    @Test
    void shouldLeaveOutAUserWhoRatedEveryItemAndRecommendBelowTheRatedTopItems(@TempDir Path dir) throws IOException {
        GpuTestDevice.require();
        Recommender model = withEdgeCases(InferenceFixtures.syntheticModel(dir));
        Path file = dir.resolve("mf.safetensors");
        model.save(file);
        try (GpuBackend gpu = gpu()) {
            Frame f = gpu.execute(InferenceFixtures.recommendPlan(file, 10), InferenceFixtures.uidBatch(List.of(model.userId(0), model.userId(1))))
                    .frames().get(0);
            assertArrayEquals(new int[] {0, 10}, f.nesting().bounds(), "user 1 rated every item and makes no record");
            LongColumn items = (LongColumn) f.column("item");
            int[] best = topByDoubleScore(model, 0);
            for (int j = 0; j < 10; j++) {
                long item = items.get(j);
                assertTrue(IntStream.of(best).limit(15).noneMatch(i -> model.itemId(i) == item), "item " + item + " was rated by user 0");
            }
        }
    }

    /**
     * The model with what the edge cases need: items in pairs of equal factors (so every score ties
     * with one other and the order of ties shows), user 0 having rated its 15 best items, user 1
     * every item.
     */
    private static Recommender withEdgeCases(Recommender m) {
        int f = m.factors();
        float[] items = m.itemFactors().clone();
        for (int i = 1; i < m.items(); i += 2) {
            System.arraycopy(items, (i - 1) * f, items, i * f, f);
        }
        long[] userIds = new long[m.users()];
        for (int u = 0; u < userIds.length; u++) {
            userIds[u] = m.userId(u);
        }
        long[] itemIds = new long[m.items()];
        String[] titles = new String[m.items()];
        for (int i = 0; i < itemIds.length; i++) {
            itemIds[i] = m.itemId(i);
            titles[i] = m.title(i);
        }
        Recommender tied = new Recommender(userIds, m.userFactors(), itemIds, items, f, m.ratedIndptr(), m.ratedItems(), titles, "test", Double.NaN);
        List<int[]> rated = new ArrayList<>();
        rated.add(Arrays.copyOf(topByDoubleScore(tied, 0), 15));
        rated.add(IntStream.range(0, m.items()).toArray());
        for (int u = 2; u < m.users(); u++) {
            rated.add(Arrays.copyOfRange(m.ratedItems(), m.ratedIndptr()[u], m.ratedIndptr()[u + 1]));
        }
        int[] indptr = new int[m.users() + 1];
        for (int u = 0; u < m.users(); u++) {
            indptr[u + 1] = indptr[u] + rated.get(u).length;
        }
        int[] flat = rated.stream().flatMapToInt(IntStream::of).toArray();
        return new Recommender(userIds, m.userFactors(), itemIds, items, f, indptr, flat, titles, "test", Double.NaN);
    }

    /** User {@code user}'s items, best first by the double-precision score. */
    private static int[] topByDoubleScore(Recommender m, int user) {
        return IntStream.range(0, m.items()).boxed().sorted(Comparator.comparingDouble((Integer i) -> -m.score(user, i)))
                .mapToInt(Integer::intValue).toArray();
    }

    /** {@code mlp} with random biases (Mlp.random makes zeros), through its file format. */
    private static Mlp withRandomBiases(Mlp mlp, Path file) throws IOException {
        mlp.save(file, Map.of());
        Safetensors.Contents c = Safetensors.read(file);
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>(c.tensors());
        SplittableRandom random = new SplittableRandom(17);
        for (Map.Entry<String, Safetensors.Tensor> e : c.tensors().entrySet()) {
            if (e.getKey().endsWith(".bias")) {
                float[] b = e.getValue().data().clone();
                for (int i = 0; i < b.length; i++) {
                    b[i] = (float) (random.nextDouble() * 0.2 - 0.1);
                }
                tensors.put(e.getKey(), new Safetensors.Tensor(e.getValue().shape(), b));
            }
        }
        Safetensors.write(file, tensors, c.metadata());
        return Mlp.load(file);
    }
}
