package io.spate.internal.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RecommenderTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "n={0}, excludeRated={1}")
    @CsvSource({"1,false", "1,true", "5,false", "5,true", "100,false", "100,true"})
    void shouldMatchADoublePrecisionBruteForceTopK(int n, boolean excludeRated) {
        // More items than one item tile and more users than one user tile, so the tiling is exercised.
        Recommender model = randomModel(60, 2500, 8, 7);
        int k = 10;
        int[] users = randomUsers(model, n, 11);
        int[] items = new int[n * k];
        float[] scores = new float[n * k];
        model.runner(k).recommend(users, n, excludeRated, items, scores);
        for (int j = 0; j < n; j++) {
            int[] expected = bruteForce(model, users[j], k, excludeRated);
            int[] actual = Arrays.copyOfRange(items, j * k, j * k + k);
            assertArrayEquals(expected, actual, "user index " + users[j]);
            for (int r = 0; r < k; r++) {
                assertEquals(model.score(users[j], actual[r]), scores[j * k + r], 1e-4);
            }
        }
    }

    @Test
    void shouldPadWithMinusOneWhenKExceedsTheItems() {
        Recommender model = randomModel(4, 7, 3, 3);
        int k = 10;
        int[] items = new int[2 * k];
        float[] scores = new float[2 * k];
        int[] users = {0, 1};
        model.runner(k).recommend(users, 2, true, items, scores);
        for (int j = 0; j < 2; j++) {
            int qualifying = model.items() - model.ratedCount(users[j]);
            int[] expected = bruteForce(model, users[j], k, true);
            assertArrayEquals(expected, Arrays.copyOfRange(items, j * k, j * k + k));
            for (int r = 0; r < k; r++) {
                assertEquals(r >= qualifying, items[j * k + r] == -1);
                assertEquals(r >= qualifying, Float.isNaN(scores[j * k + r]));
            }
        }
    }

    @Test
    void shouldBreakTiesByLowerItemIndex() {
        int items = 1500;
        float[] itemFactors = new float[items * 2];
        Arrays.fill(itemFactors, 1f);
        Recommender model = new Recommender(new long[] {5}, new float[] {1f, 2f}, ids(items), itemFactors, 2,
                new int[] {0, 2}, new int[] {1, 3}, new String[items], "test", Double.NaN);
        int[] out = new int[4];
        model.runner(4).recommend(new int[] {0}, 1, true, out, new float[4]);
        assertArrayEquals(new int[] {0, 2, 4, 5}, out);
        model.runner(4).recommend(new int[] {0}, 1, false, out, new float[4]);
        assertArrayEquals(new int[] {0, 1, 2, 3}, out);
    }

    @Test
    void shouldGiveUnknownUsersNoRecommendations() {
        Recommender model = randomModel(10, 50, 4, 5);
        assertEquals(-1, model.userIndex(123_456));
        assertEquals(3, model.userIndex(model.userId(3)));
        int[] items = new int[6];
        float[] scores = new float[6];
        model.runner(3).recommend(new int[] {model.userIndex(123_456), 2}, 2, false, items, scores);
        assertArrayEquals(new int[] {-1, -1, -1}, Arrays.copyOf(items, 3));
        assertTrue(Float.isNaN(scores[0]));
        assertArrayEquals(bruteForce(model, 2, 3, false), Arrays.copyOfRange(items, 3, 6));
    }

    @Test
    void shouldRoundTripThroughSafetensors() throws IOException {
        Recommender model = randomModel(30, 40, 5, 9);
        Path file = dir.resolve("mf.safetensors");
        model.save(file);
        Recommender loaded = Recommender.load(file);

        assertEquals(model.users(), loaded.users());
        assertEquals(model.items(), loaded.items());
        assertEquals(model.factors(), loaded.factors());
        assertEquals(model.algorithm(), loaded.algorithm());
        assertEquals(model.rmse(), loaded.rmse());
        assertArrayEquals(model.userFactors(), loaded.userFactors());
        assertArrayEquals(model.itemFactors(), loaded.itemFactors());
        assertArrayEquals(model.ratedIndptr(), loaded.ratedIndptr());
        assertArrayEquals(model.ratedItems(), loaded.ratedItems());
        for (int u = 0; u < model.users(); u++) {
            assertEquals(model.userId(u), loaded.userId(u));
            assertEquals(u, loaded.userIndex(model.userId(u)));
        }
        for (int i = 0; i < model.items(); i++) {
            assertEquals(model.itemId(i), loaded.itemId(i));
            assertEquals(model.title(i), loaded.title(i));
        }
        assertEquals("Movie \"3\" | Amélie, 東京", loaded.title(3));

        Safetensors.Contents raw = Safetensors.read(file);
        assertEquals("spate-mf", raw.metadata().get("format"));
        raw.require("user_factors", 30, 5);
        raw.require("item_ids", 40);
        raw.require("rated_indptr", 31);
    }

    @Test
    void shouldRefuseIdsTheFileCannotHoldExactly() {
        long tooBig = (1L << 24) + 1;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Recommender(
                new long[] {tooBig}, new float[] {1f}, new long[] {1}, new float[] {1f}, 1,
                new int[] {0, 0}, new int[0], new String[1], "test", Double.NaN));
        assertTrue(e.getMessage().contains("2^24"), e.getMessage());
    }

    @Test
    void shouldRefuseAFileThatIsNotARecommender() throws IOException {
        Path file = dir.resolve("other.safetensors");
        Safetensors.write(file, java.util.Map.of("w", new Safetensors.Tensor(new int[] {1}, new float[] {1f})),
                java.util.Map.of("format", "spate-mlp"));
        IOException e = assertThrows(IOException.class, () -> Recommender.load(file));
        assertTrue(e.getMessage().contains("spate-mf"), e.getMessage());
    }

    @Test
    void shouldPrintThroughputOnMovieLensSizedFactors() {
        // 943 users, 1,682 items, 6% of them rated, 20 factors plus the two bias columns of AlsTrainer.
        Recommender model = randomModel(943, 1682, 22, 0.06, 13);
        int n = 500;
        int k = 10;
        int[] users = randomUsers(model, n, 17);
        int[] items = new int[n * k];
        float[] scores = new float[n * k];
        RecommenderRunner runner = model.runner(k);
        for (int warmup = 0; warmup < 100; warmup++) {
            runner.recommend(users, n, true, items, scores);
        }
        int batches = 100;
        // Thread CPU time beside wall time: other processes share this machine's cores.
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        for (int b = 0; b < batches; b++) {
            runner.recommend(users, n, true, items, scores);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        System.out.printf("RecommenderRunner: %,.0f recommendations/s wall, %,.0f per CPU-second"
                        + " (n=%d, k=%d, %d items, f=%d, excluding rated, 1 thread, %.2f ms/batch)%n",
                batches * n / seconds, batches * n / cpuSeconds, n, k, model.items(), model.factors(), 1e3 * seconds / batches);
        assertTrue(items[0] >= 0);
    }

    /** The expected top k: all scores in double precision, sorted by score then index. */
    private static int[] bruteForce(Recommender model, int user, int k, boolean excludeRated) {
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < model.items(); i++) {
            int from = model.ratedIndptr()[user];
            int to = model.ratedIndptr()[user + 1];
            if (!excludeRated || Arrays.binarySearch(model.ratedItems(), from, to, i) < 0) {
                candidates.add(i);
            }
        }
        candidates.sort(Comparator.<Integer>comparingDouble(i -> -model.score(user, i)).thenComparingInt(i -> i));
        int[] top = new int[k];
        Arrays.fill(top, -1);
        for (int r = 0; r < Math.min(k, candidates.size()); r++) {
            top[r] = candidates.get(r);
        }
        return top;
    }

    private static Recommender randomModel(int users, int items, int f, long seed) {
        return randomModel(users, items, f, 0.3, seed);
    }

    private static Recommender randomModel(int users, int items, int f, double ratedShare, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] userFactors = new float[users * f];
        float[] itemFactors = new float[items * f];
        for (int i = 0; i < userFactors.length; i++) {
            userFactors[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < itemFactors.length; i++) {
            itemFactors[i] = (float) random.nextGaussian();
        }
        int[] indptr = new int[users + 1];
        List<Integer> rated = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            // Unsorted on purpose: the model must sort each user's list itself.
            for (int i = items - 1; i >= 0; i--) {
                if (random.nextDouble() < ratedShare) {
                    rated.add(i);
                }
            }
            indptr[u + 1] = rated.size();
        }
        long[] userIds = new long[users];
        for (int u = 0; u < users; u++) {
            userIds[u] = 1000 + 7L * (users - u);
        }
        String[] titles = new String[items];
        for (int i = 0; i < items; i++) {
            titles[i] = i == 3 ? "Movie \"3\" | Amélie, 東京" : "Movie " + i;
        }
        return new Recommender(userIds, userFactors, ids(items), itemFactors, f, indptr,
                rated.stream().mapToInt(Integer::intValue).toArray(), titles, "random", 0.875);
    }

    private static long[] ids(int n) {
        long[] ids = new long[n];
        Arrays.setAll(ids, i -> i + 1);
        return ids;
    }

    private static int[] randomUsers(Recommender model, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] users = new int[n];
        for (int j = 0; j < n; j++) {
            users[j] = random.nextInt(model.users());
        }
        return users;
    }
}
