package io.spate.internal.source;

import java.util.ArrayDeque;

import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;

import io.spate.BatchSettings;
import io.spate.RecordBatch;

/**
 * Packs stream elements into {@link RecordBatch}es, closing a batch at its record limit, at its
 * byte limit, or when its first record has waited the latency limit.
 *
 * <p>Unlike {@code groupedWeightedWithin}, it keeps no list of elements: each element's bytes are
 * copied into the batch buffer as it arrives and the element is dropped. Backpressure: at most one
 * closed batch waits for downstream demand; while one waits, nothing more is pulled, so memory is
 * bounded by about two batches per stage.
 *
 * @param <T> the stream element
 */
public final class BatcherStage<T> extends GraphStage<FlowShape<T, RecordBatch>> {

    private static final String LATENCY_TIMER = "max-latency";

    private final BatchSettings settings;
    private final BatchAppender<T> appender;
    private final Inlet<T> in = Inlet.create("Batcher.in");
    private final Outlet<RecordBatch> out = Outlet.create("Batcher.out");
    private final FlowShape<T, RecordBatch> shape = FlowShape.of(in, out);

    /** A batcher closing batches as {@code settings} say, filling them with {@code appender}. */
    public BatcherStage(BatchSettings settings, BatchAppender<T> appender) {
        this.settings = settings;
        this.appender = appender;
    }

    @Override
    public FlowShape<T, RecordBatch> shape() {
        return shape;
    }

    @Override
    public TimerGraphStageLogic createLogic(Attributes inheritedAttributes) {
        return new Logic();
    }

    private final class Logic extends TimerGraphStageLogic {
        private final ArrayDeque<RecordBatch> ready = new ArrayDeque<>(2);
        private final BatchAccumulator batch = new BatchAccumulator(settings);
        private CommitTracker commits;

        Logic() {
            super(shape);
            setHandler(in, new AbstractInHandler() {
                @Override
                public void onPush() {
                    T element = grab(in);
                    int size = appender.sizeOf(element);
                    if (batch.overflowsWith(size)) {
                        close();
                    }
                    if (batch.isEmpty()) {
                        commits = new CommitTracker();
                        scheduleOnce(LATENCY_TIMER, settings.maxLatency());
                    }
                    appender.append(element, batch.builder(size, System.nanoTime()), commits);
                    if (batch.full()) {
                        close();
                    }
                    emitReady();
                    pullIfRoom();
                }

                @Override
                public void onUpstreamFinish() {
                    close();
                    emitReady();
                    completeIfDone();
                }
            });
            setHandler(out, new AbstractOutHandler() {
                @Override
                public void onPull() {
                    emitReady();
                    pullIfRoom();
                    completeIfDone();
                }
            });
        }

        @Override
        public void preStart() {
            // Start filling the first batch before downstream asks: one batch of read-ahead.
            pull(in);
        }

        @Override
        public void onTimer(Object timerKey) {
            close();
            emitReady();
            pullIfRoom();
        }

        private void close() {
            if (batch.isEmpty()) {
                return;
            }
            cancelTimer(LATENCY_TIMER);
            ready.add(batch.close(commits.committable()));
            commits = null;
        }

        private void emitReady() {
            if (!ready.isEmpty() && isAvailable(out)) {
                push(out, ready.poll());
            }
        }

        private void pullIfRoom() {
            if (ready.isEmpty() && !isClosed(in) && !hasBeenPulled(in)) {
                pull(in);
            }
        }

        private void completeIfDone() {
            if (isClosed(in) && ready.isEmpty() && batch.isEmpty()) {
                completeStage();
            }
        }
    }
}
