package io.spate.internal.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MlpTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 300})
    void shouldMatchANaiveDoublePrecisionForwardPass(int n) {
        Mlp mlp = randomWithBiases(Mlp.STANDARD_SIZES, 7);
        float[] x = atlasLikeFeatures(n, 30, 11);
        double[] expected = reference(mlp, x, n);
        for (boolean parallel : new boolean[] {false, true}) {
            float[] probabilities = new float[n * 2];
            mlp.runner(parallel).predict(x, n, probabilities);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], probabilities[i], 1e-4, "probability " + i + " (parallel " + parallel + ")");
            }
        }
    }

    @Test
    void shouldGiveTheSameResultsOnOneCoreAndOnAll() {
        Mlp mlp = randomWithBiases(Mlp.STANDARD_SIZES, 3);
        int n = 1000;
        float[] x = atlasLikeFeatures(n, 30, 5);
        float[] one = new float[2 * n];
        float[] all = new float[2 * n];
        mlp.runner(false).predict(x, n, one);
        mlp.runner(true).predict(x, n, all);
        assertArrayEquals(one, all);
    }

    @Test
    void shouldDivideEachEventByItsL2NormAndLeaveAZeroVectorZero() {
        float[] out = new float[2];
        MlpRunner.normaliseL2(new float[] {9, 3, 4}, 1, 2, out);
        assertArrayEquals(new float[] {0.6f, 0.8f}, out, 1e-7f);
        out = new float[] {5, 5, 5};
        MlpRunner.normaliseL2(new float[3], 0, 3, out);
        assertArrayEquals(new float[3], out);
    }

    @Test
    void shouldPredictTheSameForAnEventAndAnyPositiveMultipleOfIt() {
        Mlp mlp = randomWithBiases(new int[] {30, 40, 3}, 1);
        float[] x = atlasLikeFeatures(2, 30, 2);
        for (int j = 0; j < 30; j++) {
            x[30 + j] = 250f * x[j];
        }
        float[] p = new float[6];
        mlp.runner().predict(x, 2, p);
        for (int j = 0; j < 3; j++) {
            assertEquals(p[j], p[3 + j], 1e-6);
        }
    }

    @Test
    void shouldTreatAZeroEventAsZeroInputs() {
        Mlp mlp = randomWithBiases(new int[] {30, 40, 20, 2}, 4);
        float[] p = new float[2];
        mlp.runner().predict(new float[30], 1, p);
        double[] expected = reference(mlp, new float[30], 1);
        assertEquals(expected[0], p[0], 1e-6);
        assertEquals(expected[1], p[1], 1e-6);
        assertEquals(1.0, p[0] + p[1], 1e-6);
    }

    @Test
    void shouldReadWeightsInThePyTorchOutByInLayout() throws IOException {
        // One layer, 2 inputs, 2 classes: logit 0 is input 1, logit 1 is zero.
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>();
        tensors.put("layer1.weight", new Safetensors.Tensor(new int[] {2, 2}, new float[] {0, 1, 0, 0}));
        tensors.put("layer1.bias", new Safetensors.Tensor(new int[] {2}, new float[2]));
        Path file = dir.resolve("tiny.safetensors");
        Safetensors.write(file, tensors, Map.of());
        float[] p = new float[4];
        Mlp.load(file).runner().predict(new float[] {1, 0, 0, 7}, 2, p);
        assertEquals(0.5f, p[0], 1e-6);
        assertEquals(Math.E / (Math.E + 1), p[2], 1e-6);
    }

    @Test
    void shouldReadBackWhatItWrote() throws IOException {
        Mlp mlp = randomWithBiases(Mlp.STANDARD_SIZES, 9);
        Path file = dir.resolve("mlp.safetensors");
        String inputs = IntStream.range(0, Mlp.STANDARD_SIZES[0]).mapToObj(i -> "f" + i)
                .collect(Collectors.joining(","));
        mlp.save(file, Map.of(Mlp.INPUTS_KEY, inputs));
        Mlp back = Mlp.load(file);
        assertArrayEquals(mlp.sizes(), back.sizes());
        for (int l = 0; l < mlp.layers(); l++) {
            assertArrayEquals(mlp.bias(l), back.bias(l), "bias " + l);
            for (int i = 0; i < mlp.sizes()[l]; i++) {
                assertArrayEquals(mlp.weightsT(l)[i], back.weightsT(l)[i], "weights " + l + " row " + i);
            }
        }
        assertEquals(Mlp.FORMAT, back.metadata().get(Mlp.FORMAT_KEY));
        assertEquals(Mlp.NORMALISE, back.metadata().get(Mlp.NORMALISE_KEY));
        assertEquals(inputs, back.metadata().get(Mlp.INPUTS_KEY));
        assertEquals(1_018_002, back.parameters());
        Safetensors.Contents contents = Safetensors.read(file);
        contents.require("layer2.weight", 1000, 500);
        contents.require("layer2.bias", 1000);
    }

    @Test
    void shouldRefuseAWeightOfTheWrongShapeNamingIt() throws IOException {
        Map<String, Safetensors.Tensor> tensors = tensorsOf(Mlp.random(new int[] {4, 6, 5, 2}, 1));
        tensors.put("layer2.weight", new Safetensors.Tensor(new int[] {5, 7}, new float[35]));
        Path file = dir.resolve("bad-weight.safetensors");
        Safetensors.write(file, tensors, Map.of());
        IOException e = assertThrows(IOException.class, () -> Mlp.load(file));
        assertTrue(e.getMessage().contains("layer2.weight") && e.getMessage().contains("[5, 7]"), e.getMessage());
    }

    @Test
    void shouldRefuseABiasOfTheWrongShapeNamingIt() throws IOException {
        Map<String, Safetensors.Tensor> tensors = tensorsOf(Mlp.random(new int[] {4, 6, 5, 2}, 1));
        tensors.put("layer3.bias", new Safetensors.Tensor(new int[] {3}, new float[3]));
        Path file = dir.resolve("bad-bias.safetensors");
        Safetensors.write(file, tensors, Map.of());
        IOException e = assertThrows(IOException.class, () -> Mlp.load(file));
        assertTrue(e.getMessage().contains("layer3.bias"), e.getMessage());
    }

    @Test
    void shouldRefuseAnUnexpectedTensorOrAnotherFormat() throws IOException {
        Map<String, Safetensors.Tensor> tensors = tensorsOf(Mlp.random(new int[] {4, 2}, 1));
        tensors.put("layer3.weight", new Safetensors.Tensor(new int[] {2, 2}, new float[4]));
        Path extra = dir.resolve("extra.safetensors");
        Safetensors.write(extra, tensors, Map.of());
        IOException e = assertThrows(IOException.class, () -> Mlp.load(extra));
        assertTrue(e.getMessage().contains("layer3.weight"), e.getMessage());

        Path other = dir.resolve("other.safetensors");
        Safetensors.write(other, tensorsOf(Mlp.random(new int[] {4, 2}, 1)), Map.of(Mlp.FORMAT_KEY, "spate-mf"));
        e = assertThrows(IOException.class, () -> Mlp.load(other));
        assertTrue(e.getMessage().contains("spate-mf"), e.getMessage());
    }

    @Test
    void shouldDrawTheSameWeightsForTheSameSeed() {
        Mlp a = Mlp.random(new int[] {30, 50, 2}, 42);
        Mlp b = Mlp.random(new int[] {30, 50, 2}, 42);
        Mlp c = Mlp.random(new int[] {30, 50, 2}, 43);
        assertArrayEquals(a.weightsT(0)[3], b.weightsT(0)[3]);
        assertTrue(a.weightsT(0)[3][0] != c.weightsT(0)[3][0]);
        double limit = Math.sqrt(6.0 / 80);
        for (float[] row : a.weightsT(0)) {
            for (float w : row) {
                assertTrue(Math.abs(w) <= limit, "Glorot-uniform bound");
            }
        }
    }

    @Test
    void shouldAllocateNothingPerEvent() {
        Mlp mlp = Mlp.random(Mlp.STANDARD_SIZES, 1);
        int n = 1000;
        float[] x = atlasLikeFeatures(n, 30, 3);
        float[] p = new float[2 * n];
        for (boolean parallel : new boolean[] {false, true}) {
            MlpRunner runner = mlp.runner(parallel);
            runner.predict(x, n, p);
            long bytes = allocatedDuring(() -> runner.predict(x, n, p));
            System.out.printf("MLP %s predict, n=%d: %d bytes allocated%n", parallel ? "parallel" : "single-thread", n, bytes);
            // The parallel runner allocates a lambda per product and chunk: a few hundred bytes per call.
            assertTrue(bytes < (parallel ? 4096 : 256), bytes + " bytes for " + n + " events");
        }
    }

    @Test
    void shouldReportPredictThroughput() {
        Mlp mlp = Mlp.random(Mlp.STANDARD_SIZES, 1);
        int n = 1000;
        float[] x = atlasLikeFeatures(n, 30, 3);
        float[] p = new float[2 * n];
        for (boolean parallel : new boolean[] {false, true}) {
            MlpRunner runner = mlp.runner(parallel);
            // Warm-up lets C2 compile and vectorise the kernels before timing.
            for (int i = 0; i < 5; i++) {
                runner.predict(x, n, p);
            }
            int runs = 10;
            long best = Long.MAX_VALUE;
            for (int i = 0; i < runs; i++) {
                long start = System.nanoTime();
                runner.predict(x, n, p);
                best = Math.min(best, System.nanoTime() - start);
            }
            System.out.printf("MLP %s predict, n=%d: %,.0f events/s (best of %d)%n",
                    parallel ? "parallel" : "single-thread", n, n / (best / 1e9), runs);
        }
    }

    /** Heap bytes the current thread allocates while {@code work} runs. */
    private static long allocatedDuring(Runnable work) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        work.run();
        return threads.getThreadAllocatedBytes(id) - before;
    }

    /** A network with Glorot weights scaled up and random biases, so that the outputs are far from uniform. */
    static Mlp randomWithBiases(int[] sizes, long seed) {
        Mlp base = Mlp.random(sizes, seed);
        SplittableRandom random = new SplittableRandom(seed + 1);
        float[][][] w = new float[base.layers()][][];
        float[][] b = new float[base.layers()][];
        for (int l = 0; l < base.layers(); l++) {
            w[l] = new float[sizes[l]][];
            for (int i = 0; i < sizes[l]; i++) {
                w[l][i] = base.weightsT(l)[i].clone();
                for (int j = 0; j < w[l][i].length; j++) {
                    w[l][i][j] *= 2;
                }
            }
            b[l] = new float[sizes[l + 1]];
            for (int j = 0; j < b[l].length; j++) {
                b[l][j] = (float) (random.nextDouble() - 0.5);
            }
        }
        return new Mlp(sizes, w, b, Map.of());
    }

    /** Features of the ATLAS sample's kind: positive magnitudes up to hundreds, angles, and -999 for missing. */
    static float[] atlasLikeFeatures(int n, int width, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[n * width];
        for (int i = 0; i < x.length; i++) {
            double u = random.nextDouble();
            x[i] = u < 0.1 ? -999f : (float) (u < 0.5 ? random.nextDouble(-3.2, 3.2) : random.nextDouble(0, 300));
        }
        return x;
    }

    /** The forward pass as three plain loops in double precision, from the weights in file layout. */
    static double[] reference(Mlp mlp, float[] x, int n) {
        int[] sizes = mlp.sizes();
        int classes = mlp.outputs();
        double[] out = new double[n * classes];
        for (int e = 0; e < n; e++) {
            double norm = 0;
            for (int j = 0; j < sizes[0]; j++) {
                norm += (double) x[e * sizes[0] + j] * x[e * sizes[0] + j];
            }
            norm = Math.sqrt(norm);
            double[] a = new double[sizes[0]];
            for (int j = 0; j < sizes[0]; j++) {
                a[j] = norm == 0 ? 0 : x[e * sizes[0] + j] / norm;
            }
            for (int l = 0; l < mlp.layers(); l++) {
                double[] z = new double[sizes[l + 1]];
                for (int o = 0; o < z.length; o++) {
                    double s = mlp.bias(l)[o];
                    for (int i = 0; i < a.length; i++) {
                        s += mlp.weightsT(l)[i][o] * a[i];
                    }
                    z[o] = l < mlp.layers() - 1 ? Math.max(s, 0) : s;
                }
                a = z;
            }
            double max = Double.NEGATIVE_INFINITY;
            for (double v : a) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (double v : a) {
                sum += Math.exp(v - max);
            }
            for (int c = 0; c < classes; c++) {
                out[e * classes + c] = Math.exp(a[c] - max) / sum;
            }
        }
        return out;
    }

    /** The tensors {@code mlp} saves, to be spoilt one at a time. */
    private Map<String, Safetensors.Tensor> tensorsOf(Mlp mlp) throws IOException {
        Path file = dir.resolve("good.safetensors");
        mlp.save(file, Map.of());
        return new LinkedHashMap<>(Safetensors.read(file).tensors());
    }
}
