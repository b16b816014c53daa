package io.spate.internal.compute;

import java.util.concurrent.atomic.AtomicLong;

import io.spate.PipelineMetrics;
import io.spate.spi.BackendStats;

/** What the compute actor reports, on its own thread: how long each batch took and where, and each batch it ran again. */
public interface ComputeListener {

    /** Hears nothing. */
    ComputeListener NONE = new ComputeListener() {
    };

    /** A batch was computed by {@code backend} in {@code nanos} (a batch run again: its second run). */
    default void computed(String backend, long nanos) {
    }

    /** The backend failed on a batch, which runs again. */
    default void ranAgain() {
    }

    /** What the backend holds and has spent, after a batch. */
    default void stats(BackendStats stats) {
    }

    /** Reports to {@code metrics}: compute time by backend, and re-runs in its fault counter. */
    static ComputeListener of(PipelineMetrics metrics) {
        return new ComputeListener() {
            @Override
            public void computed(String backend, long nanos) {
                metrics.batchComputeTime(backend, nanos);
            }

            @Override
            public void ranAgain() {
                metrics.faultCounter().incrementAndGet();
            }

            @Override
            public void stats(BackendStats stats) {
                metrics.backendStats(stats);
            }
        };
    }

    /** Counts re-runs in {@code faults}, nothing else. */
    static ComputeListener counting(AtomicLong faults) {
        return new ComputeListener() {
            @Override
            public void ranAgain() {
                faults.incrementAndGet();
            }
        };
    }
}
