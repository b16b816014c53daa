package io.spate.internal.model;

/**
 * Scores batches of users against every item of one {@link Recommender} and keeps the top k per
 * user, wherever it runs: {@link RecommenderRunner} on the CPU, or a compute backend's own (the GPU
 * backend's selects on the device). Every implementation returns what the CPU's does: the same
 * items in the same order (best first, ties to the lower item index). Each keeps its scratch, so
 * one instance serves one compute actor.
 *
 * <p>Internal API: public so that a backend in another module can supply one through
 * {@link ModelRunners}.
 */
public interface RecommendScorer {

    /**
     * The top k items of each of {@code n} users, best first; ties go to the lower item index.
     *
     * @param userIndexes dense user indexes (from {@link Recommender#userIndex}); a negative one
     *        (an unknown user) gets no recommendations
     * @param n how many of {@code userIndexes} to score
     * @param excludeRated whether to leave out the items each user has already rated
     * @param outItems {@code n * k} dense item indexes, row per user; -1 where fewer than k items qualify
     * @param outScores {@code n * k} scores matching {@code outItems}; NaN where the item is -1
     */
    void recommend(int[] userIndexes, int n, boolean excludeRated, int[] outItems, float[] outScores);
}
