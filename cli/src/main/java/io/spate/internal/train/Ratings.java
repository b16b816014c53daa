package io.spate.internal.train;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;

/**
 * Explicit ratings (user, item, stars) with the external ids of users and items mapped to dense
 * indexes, ordered by id so that MovieLens' 1-based ids map to 0-based indexes in order. A
 * {@link #split} shares the id maps, so indexes agree between a training and a test set.
 *
 * <p>Reads MovieLens' {@code u.data} layout ({@code user item rating [timestamp]}, tab or
 * whitespace separated, gzipped when the name ends in {@code .gz}) and its {@code u.item} titles
 * ({@code id|title|...}, ISO-8859-1).
 */
public final class Ratings {

    private final long[] userIds;
    private final long[] itemIds;
    private final int[] users;
    private final int[] items;
    private final float[] values;

    private Ratings(long[] userIds, long[] itemIds, int[] users, int[] items, float[] values) {
        this.userIds = userIds;
        this.itemIds = itemIds;
        this.users = users;
        this.items = items;
        this.values = values;
    }

    /**
     * The ratings {@code (users[i], items[i], values[i])}, ids arbitrary.
     *
     * @param users external user id of each rating
     * @param items external item id of each rating
     * @param values the rating of each
     * @return the ratings with dense indexes assigned in id order
     */
    public static Ratings of(long[] users, long[] items, float[] values) {
        if (users.length != items.length || users.length != values.length) {
            throw new IllegalArgumentException("users, items and values differ in length: "
                    + users.length + ", " + items.length + ", " + values.length);
        }
        long[] userIds = distinctSorted(users);
        long[] itemIds = distinctSorted(items);
        int[] u = new int[users.length];
        int[] i = new int[items.length];
        for (int r = 0; r < users.length; r++) {
            u[r] = Arrays.binarySearch(userIds, users[r]);
            i[r] = Arrays.binarySearch(itemIds, items[r]);
        }
        return new Ratings(userIds, itemIds, u, i, values.clone());
    }

    /**
     * Reads a ratings file: one {@code user item rating [timestamp]} per line, tab or whitespace
     * separated; blank lines are skipped.
     *
     * @param file the file, gzipped if its name ends in {@code .gz}
     * @return its ratings
     * @throws IOException if it cannot be read or a line is malformed (the message names the line)
     */
    public static Ratings load(Path file) throws IOException {
        long[] u = new long[1 << 12];
        long[] it = new long[1 << 12];
        float[] v = new float[1 << 12];
        int n = 0;
        try (BufferedReader in = reader(file, StandardCharsets.UTF_8)) {
            int lineNumber = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNumber++;
                String trimmed = line.strip();
                if (trimmed.isEmpty()) {
                    continue;
                }
                String[] fields = trimmed.split("\\s+");
                if (fields.length < 3) {
                    throw new IOException(file + ":" + lineNumber + ": expected 'user item rating [timestamp]', got '" + line + "'");
                }
                if (n == u.length) {
                    u = Arrays.copyOf(u, 2 * n);
                    it = Arrays.copyOf(it, 2 * n);
                    v = Arrays.copyOf(v, 2 * n);
                }
                try {
                    u[n] = Long.parseLong(fields[0]);
                    it[n] = Long.parseLong(fields[1]);
                    v[n] = Float.parseFloat(fields[2]);
                } catch (NumberFormatException e) {
                    throw new IOException(file + ":" + lineNumber + ": not a number in '" + line + "'", e);
                }
                n++;
            }
        }
        return of(Arrays.copyOf(u, n), Arrays.copyOf(it, n), Arrays.copyOf(v, n));
    }

    /**
     * Reads item titles in MovieLens' {@code u.item} layout: {@code id|title|...} per line,
     * ISO-8859-1; fields after the title are ignored.
     *
     * @param file the file, gzipped if its name ends in {@code .gz}
     * @return titles by item id, in file order
     * @throws IOException if it cannot be read or an id is not a number
     */
    public static Map<Long, String> loadTitles(Path file) throws IOException {
        Map<Long, String> titles = new LinkedHashMap<>();
        try (BufferedReader in = reader(file, StandardCharsets.ISO_8859_1)) {
            int lineNumber = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = line.split("\\|", 3);
                try {
                    titles.put(Long.parseLong(fields[0].strip()), fields.length > 1 ? fields[1] : "");
                } catch (NumberFormatException e) {
                    throw new IOException(file + ":" + lineNumber + ": expected 'id|title|...', got '" + line + "'", e);
                }
            }
        }
        return titles;
    }

    /**
     * A deterministic random split: exactly {@code round(testFraction * size())} ratings, chosen by
     * a shuffle seeded with {@code seed}, go to the test set. Both halves keep this set's id maps.
     *
     * @param testFraction in [0, 1)
     * @param seed the shuffle's seed
     * @return the training and test ratings
     */
    public Split split(double testFraction, long seed) {
        if (!(testFraction >= 0 && testFraction < 1)) {
            throw new IllegalArgumentException("test fraction must be in [0, 1), got " + testFraction);
        }
        int[] order = new int[size()];
        Arrays.setAll(order, i -> i);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int test = (int) Math.round(testFraction * size());
        int[] testRows = Arrays.copyOf(order, test);
        int[] trainRows = Arrays.copyOfRange(order, test, order.length);
        // Sorted rows keep each half in file order, so training does not depend on the shuffle's order.
        Arrays.sort(testRows);
        Arrays.sort(trainRows);
        return new Split(subset(trainRows), subset(testRows));
    }

    /**
     * Two disjoint sets of ratings with the same id maps.
     *
     * @param train the ratings to fit
     * @param test the held-out ratings to measure
     */
    public record Split(Ratings train, Ratings test) {
    }

    private Ratings subset(int[] rows) {
        int[] u = new int[rows.length];
        int[] i = new int[rows.length];
        float[] v = new float[rows.length];
        for (int r = 0; r < rows.length; r++) {
            u[r] = users[rows[r]];
            i[r] = items[rows[r]];
            v[r] = values[rows[r]];
        }
        return new Ratings(userIds, itemIds, u, i, v);
    }

    /** The number of ratings. */
    public int size() {
        return values.length;
    }

    /** The number of distinct users (of the set this one was split from). */
    public int userCount() {
        return userIds.length;
    }

    /** The number of distinct items (of the set this one was split from). */
    public int itemCount() {
        return itemIds.length;
    }

    /** The dense user index of rating {@code r}. */
    public int user(int r) {
        return users[r];
    }

    /** The dense item index of rating {@code r}. */
    public int item(int r) {
        return items[r];
    }

    /** The value of rating {@code r}. */
    public float value(int r) {
        return values[r];
    }

    /** The external id of dense user index {@code index}. */
    public long userId(int index) {
        return userIds[index];
    }

    /** The external id of dense item index {@code index}. */
    public long itemId(int index) {
        return itemIds[index];
    }

    /** The mean rating, NaN if there are none. */
    public double mean() {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    /** The smallest rating, NaN if there are none. */
    public float min() {
        float min = Float.NaN;
        for (float v : values) {
            min = Float.isNaN(min) ? v : Math.min(min, v);
        }
        return min;
    }

    /** The largest rating, NaN if there are none. */
    public float max() {
        float max = Float.NaN;
        for (float v : values) {
            max = Float.isNaN(max) ? v : Math.max(max, v);
        }
        return max;
    }

    private static long[] distinctSorted(long[] ids) {
        long[] sorted = ids.clone();
        Arrays.sort(sorted);
        int n = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (n == 0 || sorted[n - 1] != sorted[i]) {
                sorted[n++] = sorted[i];
            }
        }
        return Arrays.copyOf(sorted, n);
    }

    private static BufferedReader reader(Path file, Charset charset) throws IOException {
        InputStream in = Files.newInputStream(file);
        try {
            if (file.getFileName().toString().endsWith(".gz")) {
                in = new GZIPInputStream(in, 1 << 16);
            }
        } catch (IOException e) {
            in.close();
            throw e;
        }
        return new BufferedReader(new InputStreamReader(in, charset), 1 << 16);
    }
}
