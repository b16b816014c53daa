package io.spate.gpu.internal;

import io.spate.BatchResult;
import io.spate.frame.Frame;
import io.spate.frame.LongColumn;

/** Totals of golden-signals results, for tests that compare a whole run on the device with the CPU's. */
final class ResultSums {

    private ResultSums() {
    }

    /**
     * Adds what a golden-signals result says to {@code sums}: rejected records in slot 0, then per
     * frame (the last slot taking the rest) the sum of its first aggregate column.
     */
    static void add(long[] sums, BatchResult r) {
        sums[0] += r.rejectedCount();
        int i = 1;
        for (Frame f : r.frames()) {
            LongColumn first = (LongColumn) f.columns().get(f.keyCount());
            for (int row = 0; row < f.rows(); row++) {
                sums[i] += first.get(row);
            }
            i = Math.min(sums.length - 1, i + 1);
        }
    }
}
