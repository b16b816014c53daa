package io.spate.internal.runtime;

import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.common.TopicPartition;

import io.spate.PipelineState;
import io.spate.internal.source.AssignmentListener;

/**
 * The {@link PipelineState} of one running pipeline (stage), moved on by what the runner sees: the
 * source's consumer joining its group with its state restored, a stop, the stream's end.
 */
public final class Lifecycle {

    private final AtomicReference<PipelineState> state = new AtomicReference<>(PipelineState.STARTING);

    PipelineState state() {
        return state.get();
    }

    /** {@code inner}, and the pipeline is running once a rebalance has ended with {@code inner}'s state restored. */
    AssignmentListener tracking(AssignmentListener inner) {
        return new AssignmentListener() {
            @Override
            public void assigned(Set<TopicPartition> assignment) {
                inner.assigned(assignment);
            }

            @Override
            public void joined(Set<TopicPartition> assignment) {
                inner.joined(assignment);
                running();
            }
        };
    }

    /** Batches flow (a no-op unless starting); public for the stream's serializable lambda that calls it. */
    public void running() {
        state.compareAndSet(PipelineState.STARTING, PipelineState.RUNNING);
    }

    /** Told to stop: draining, unless it has ended already. */
    void stopping() {
        state.updateAndGet(s -> s == PipelineState.STARTING || s == PipelineState.RUNNING ? PipelineState.STOPPING : s);
    }

    /** The stream ended, with {@code error} or cleanly. */
    void ended(Throwable error) {
        state.set(error == null ? PipelineState.STOPPED : PipelineState.FAILED);
    }

    /** The state of a pipeline run as stages: failed if one failed, else the least advanced of theirs. */
    static PipelineState combined(Iterable<PipelineState> states) {
        PipelineState least = PipelineState.STOPPED;
        for (PipelineState s : states) {
            if (s == PipelineState.FAILED) {
                return s;
            }
            if (s.ordinal() < least.ordinal()) {
                least = s;
            }
        }
        return least;
    }
}
