package io.spate.internal.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Generates MovieLens-like ratings with a planted low-rank structure, so that the recommender
 * example runs without MovieLens (whose licence keeps it out of the project) and ALS has something
 * to find: each item belongs to a genre, each user has a taste per genre, and a rating is
 * {@code 3 + user bias + item bias + taste . item profile + noise}, rounded and clipped to 1-5
 * stars. The same seed gives the same files.
 *
 * <p>Files use MovieLens' layouts: ratings as {@code user<TAB>item<TAB>rating<TAB>timestamp}
 * ({@link Ratings#load}), titles as {@code id|Synthetic movie 17 (genre 3)|...}
 * ({@link Ratings#loadTitles}); ids are 1-based.
 */
public final class SyntheticRatings {

    /** Default user count. */
    public static final int DEFAULT_USERS = 500;
    /** Default item count. */
    public static final int DEFAULT_ITEMS = 300;
    /** Default rating count. */
    public static final int DEFAULT_RATINGS = 20_000;

    private static final int GENRES = 6;
    private static final double NOISE = 0.4;
    private static final long FIRST_TIMESTAMP = 946_684_800L;

    private final int users;
    private final int items;
    private final int ratings;
    private final long seed;

    private SyntheticRatings(int users, int items, int ratings, long seed) {
        if (users <= 0 || items <= 0 || ratings <= 0) {
            throw new IllegalArgumentException("users, items and ratings must be positive");
        }
        this.users = users;
        this.items = items;
        this.ratings = ratings;
        this.seed = seed;
    }

    /** 500 users, 300 items, 20,000 ratings, seed 1. */
    public static SyntheticRatings create() {
        return new SyntheticRatings(DEFAULT_USERS, DEFAULT_ITEMS, DEFAULT_RATINGS, 1);
    }

    /** A copy generating {@code users} users. */
    public SyntheticRatings withUsers(int users) {
        return new SyntheticRatings(users, items, ratings, seed);
    }

    /** A copy generating {@code items} items. */
    public SyntheticRatings withItems(int items) {
        return new SyntheticRatings(users, items, ratings, seed);
    }

    /** A copy generating {@code ratings} ratings; {@link #write} refuses more than half of users x items. */
    public SyntheticRatings withRatings(int ratings) {
        return new SyntheticRatings(users, items, ratings, seed);
    }

    /** A copy with seed {@code seed}. */
    public SyntheticRatings withSeed(long seed) {
        return new SyntheticRatings(users, items, ratings, seed);
    }

    /** Users generated. */
    public int users() {
        return users;
    }

    /** Items generated. */
    public int items() {
        return items;
    }

    /** Ratings generated. */
    public int ratings() {
        return ratings;
    }

    /**
     * Writes the ratings and the titles.
     *
     * @param ratingsFile where the ratings go (replaced)
     * @param titlesFile where the titles go (replaced)
     * @throws IOException if a file cannot be written
     */
    public void write(Path ratingsFile, Path titlesFile) throws IOException {
        // Distinct (user, item) pairs are drawn at random: keep well below the number of pairs.
        if ((long) ratings * 2 > (long) users * items) {
            throw new IllegalArgumentException(ratings + " ratings are more than half of the " + users + " x " + items + " pairs");
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[] genre = new int[items];
        double[] profile = new double[items * GENRES];
        double[] itemBias = new double[items];
        for (int i = 0; i < items; i++) {
            genre[i] = random.nextInt(GENRES);
            for (int g = 0; g < GENRES; g++) {
                profile[i * GENRES + g] = (g == genre[i] ? 1.0 : 0) + 0.3 * random.nextGaussian();
            }
            itemBias[i] = 0.4 * random.nextGaussian();
        }
        double[] taste = new double[users * GENRES];
        double[] userBias = new double[users];
        for (int u = 0; u < users; u++) {
            for (int g = 0; g < GENRES; g++) {
                taste[u * GENRES + g] = 0.7 * random.nextGaussian();
            }
            userBias[u] = 0.3 * random.nextGaussian();
        }
        try (BufferedWriter out = Files.newBufferedWriter(ratingsFile, StandardCharsets.UTF_8)) {
            Set<Long> seen = new HashSet<>();
            while (seen.size() < ratings) {
                // Squaring a uniform draw skews towards low item ids: some items are popular, most are not.
                double skew = random.nextDouble();
                int u = random.nextInt(users);
                int i = (int) (skew * skew * items);
                if (!seen.add((long) u * items + i)) {
                    continue;
                }
                double value = 3 + userBias[u] + itemBias[i] + random.nextGaussian() * NOISE;
                for (int g = 0; g < GENRES; g++) {
                    value += taste[u * GENRES + g] * profile[i * GENRES + g];
                }
                long stars = Math.max(1, Math.min(5, Math.round(value)));
                out.write((u + 1) + "\t" + (i + 1) + "\t" + stars + "\t" + (FIRST_TIMESTAMP + seen.size()) + "\n");
            }
        }
        try (BufferedWriter out = Files.newBufferedWriter(titlesFile, StandardCharsets.ISO_8859_1)) {
            for (int i = 0; i < items; i++) {
                out.write((i + 1) + "|Synthetic movie " + (i + 1) + " (genre " + (genre[i] + 1) + ")|01-Jan-2000||\n");
            }
        }
    }
}
