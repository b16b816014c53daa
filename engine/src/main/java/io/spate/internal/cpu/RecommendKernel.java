package io.spate.internal.cpu;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import io.spate.frame.DoubleColumn;
import io.spate.frame.Frame;
import io.spate.frame.LongColumn;
import io.spate.frame.Utf8Column;
import io.spate.internal.codec.DecodedBatch;
import io.spate.internal.model.Recommender;
import io.spate.internal.model.ModelRunners;
import io.spate.internal.model.RecommendScorer;
import io.spate.plan.Recommend;

/**
 * Recommends items to the user of every accepted record: maps user ids to the model's indexes,
 * scores all items for the batch's users in one matrix product with top-k selection, and writes
 * one nested record per event ({@code uid}, then {@code items: [{item, title, score}]}). A user the
 * model does not know is rejected with a reason rather than answered with nothing.
 */
final class RecommendKernel implements InferenceKernel {

    private final Recommend recommend;
    private final Recommender model;
    private final RecommendScorer runner;
    private final int userColumn;
    private final byte[][] titles;
    private int[] users = new int[0];
    private int[] known = new int[0];
    private int[] items = new int[0];
    private float[] scores = new float[0];

    RecommendKernel(Recommend recommend, DecodedBatch layout, Recommender model, ModelRunners runners) {
        this.recommend = recommend;
        this.model = model;
        this.runner = runners.scorer(model, recommend.k());
        this.userColumn = layout.columnIndex(recommend.user());
        titles = new byte[model.items()][];
        for (int i = 0; i < titles.length; i++) {
            String t = model.title(i);
            titles[i] = (t == null ? "" : t).getBytes(StandardCharsets.UTF_8);
        }
    }

    @Override
    public Frame run(DecodedBatch batch, Rejects rejects) {
        int n = batch.acceptedCount();
        int[] rows = batch.accepted();
        long[] uids = batch.longs(userColumn);
        if (users.length < n) {
            users = new int[n];
            known = new int[n];
        }
        int m = 0;
        for (int i = 0; i < n; i++) {
            int index = model.userIndex(uids[rows[i]]);
            if (index < 0) {
                rejects.reject(rows[i], "recommend: unknown user " + uids[rows[i]]);
            } else {
                users[m] = index;
                known[m++] = rows[i];
            }
        }
        int k = recommend.k();
        if (items.length < m * k) {
            items = new int[m * k];
            scores = new float[m * k];
        }
        runner.recommend(users, m, recommend.excludeRated(), items, scores);
        int total = 0;
        for (int i = 0; i < m * k; i++) {
            total += items[i] >= 0 ? 1 : 0;
        }
        long[] uidColumn = new long[total];
        long[] itemColumn = new long[total];
        double[] scoreColumn = new double[total];
        int[] titleOffsets = new int[total + 1];
        int titleBytes = 0;
        for (int i = 0; i < m * k; i++) {
            titleBytes += items[i] >= 0 ? titles[items[i]].length : 0;
        }
        byte[] titleData = new byte[titleBytes];
        int[] bounds = new int[m + 1];
        int row = 0;
        for (int e = 0; e < m; e++) {
            for (int j = 0; j < k; j++) {
                int item = items[e * k + j];
                if (item < 0) {
                    continue;
                }
                uidColumn[row] = uids[known[e]];
                itemColumn[row] = model.itemId(item);
                scoreColumn[row] = scores[e * k + j];
                byte[] t = titles[item];
                System.arraycopy(t, 0, titleData, titleOffsets[row], t.length);
                titleOffsets[row + 1] = titleOffsets[row] + t.length;
                row++;
            }
            bounds[e + 1] = row;
        }
        // An event whose user has rated every item has nothing left to recommend and makes no record.
        int records = m;
        int[] kept = dropEmpty(bounds, m);
        if (kept != null) {
            bounds = kept;
            records = kept.length - 1;
        }
        return new Frame(List.of(new LongColumn(recommend.user(), uidColumn, total), new LongColumn("item", itemColumn, total),
                new Utf8Column("title", titleData, titleOffsets, total), new DoubleColumn("score", scoreColumn, total)),
                1, total, new Frame.Nesting("items", records == 0 ? new int[] {0} : bounds));
    }

    /** Bounds without empty records (a record needs one row to carry its key), or null when none is empty. */
    private static int[] dropEmpty(int[] bounds, int m) {
        int empty = 0;
        for (int e = 0; e < m; e++) {
            empty += bounds[e + 1] == bounds[e] ? 1 : 0;
        }
        if (empty == 0) {
            return null;
        }
        int[] out = new int[m + 1 - empty];
        int j = 0;
        out[0] = 0;
        for (int e = 0; e < m; e++) {
            if (bounds[e + 1] > bounds[e]) {
                out[++j] = bounds[e + 1];
            }
        }
        return Arrays.copyOf(out, j + 1);
    }
}
