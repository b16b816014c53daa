package io.spate.internal.compute;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.pattern.StatusReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.spate.BatchResult;
import io.spate.PartitionTime;
import io.spate.RecordBatch;
import io.spate.frame.Frame;
import io.spate.plan.Plan;
import io.spate.spi.ComputeBackend;

/**
 * The compute actor: owns one {@link ComputeBackend} and runs plans on batches, one at a time, on
 * its own dispatcher (so a long batch never blocks the stream's threads). The backend is created
 * in the actor's setup, on the actor's thread (a GPU backend makes its CUDA context current
 * there), and closed when the actor stops.
 *
 * <p>Batches are run in the order they arrive. An arriving batch is queued and run on a message
 * the actor sends itself, so that batches that arrived meanwhile are queued too: when the one
 * after the batch about to run is already there, the backend is told to
 * {@linkplain ComputeBackend#prepare prepare} it first (the GPU backend copies it to the device
 * while the current batch computes). With {@code spate.compute.in-flight} at 2 or more a batch
 * is usually waiting.
 */
public final class ComputeActor extends AbstractBehavior<ComputeActor.Command> {

    private static final Logger LOG = LoggerFactory.getLogger(ComputeActor.class);

    /** What the actor understands. */
    public sealed interface Command permits Execute, Restore, RestoreTimes, Reset, Stop, RunNext {
    }

    /**
     * Run {@code plan} on {@code batch} and reply with the result, or with an error if the backend
     * threw.
     *
     * @param plan the plan
     * @param batch the batch
     * @param replyTo where the result goes
     */
    public record Execute(Plan plan, RecordBatch batch, ActorRef<StatusReply<BatchResult>> replyTo) implements Command {
    }

    /**
     * Seed the running state of query {@code query} of {@code plan} before any batch.
     *
     * @param plan the plan
     * @param query the index of a running query in the plan
     * @param saved its groups' last values
     * @param replyTo told when done, or why not
     */
    public record Restore(Plan plan, int query, Frame saved, ActorRef<StatusReply<Done>> replyTo)
            implements Command {
    }

    /**
     * Set the largest event times the windowed queries of {@code plan} had seen per input partition, before any batch.
     *
     * @param plan the plan
     * @param times as saved in the pipeline's event-time changelog
     * @param replyTo told when done, or why not
     */
    public record RestoreTimes(Plan plan, List<PartitionTime> times, ActorRef<StatusReply<Done>> replyTo)
            implements Command {
    }

    /**
     * Forget all state of {@code plan} (see {@link ComputeBackend#reset}).
     *
     * @param plan the plan
     * @param replyTo told when done, or why not
     */
    public record Reset(Plan plan, ActorRef<StatusReply<Done>> replyTo) implements Command {
    }

    /** Finish the batches already queued, then stop (the backend is closed). */
    public enum Stop implements Command {
        /** the one instance */
        INSTANCE
    }

    /** Run the first queued batch (sent by the actor to itself). */
    private enum RunNext implements Command {
        INSTANCE
    }

    private final ComputeBackend backend;
    private final ComputeListener listener;
    private final ArrayDeque<Execute> queued = new ArrayDeque<>();
    private Execute prepared;
    private boolean runNextSent;

    private ComputeActor(ActorContext<Command> context, ComputeBackend backend, ComputeListener listener) {
        super(context);
        this.backend = backend;
        this.listener = listener;
        LOG.info("compute actor {} runs the {} backend", context.getSelf().path().name(), backend.name());
    }

    /** The actor's behaviour; {@code backends} is called once, in setup, on the actor's thread. */
    public static Behavior<Command> create(Supplier<ComputeBackend> backends) {
        return create(backends, 0, ComputeListener.NONE);
    }

    /**
     * The actor's behaviour, failing every {@code injectFaultEvery}-th batch when that is positive
     * (a test hook), and counting the batches it had to run again in {@code faults}.
     */
    public static Behavior<Command> create(Supplier<ComputeBackend> backends, int injectFaultEvery, AtomicLong faults) {
        return create(backends, injectFaultEvery, ComputeListener.counting(faults));
    }

    /**
     * The actor's behaviour, failing every {@code injectFaultEvery}-th batch when that is positive
     * (a test hook), telling {@code listener} how long each batch took and which it ran again.
     */
    public static Behavior<Command> create(Supplier<ComputeBackend> backends, int injectFaultEvery, ComputeListener listener) {
        return Behaviors.setup(context -> {
            ComputeBackend backend = backends.get();
            return new ComputeActor(context, injectFaultEvery > 0 ? new FaultInjectingBackend(backend, injectFaultEvery) : backend,
                    listener);
        });
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Execute.class, this::onExecute)
                .onMessageEquals(RunNext.INSTANCE, this::onRunNext)
                .onMessage(Restore.class, this::onRestore)
                .onMessage(RestoreTimes.class, this::onRestoreTimes)
                .onMessage(Reset.class, this::onReset)
                .onMessageEquals(Stop.INSTANCE, this::onStop)
                .onSignal(PostStop.class, signal -> onPostStop())
                .build();
    }

    /** Queues one batch (public only for the receive builder's serializable method reference). */
    public Behavior<Command> onExecute(Execute msg) {
        queued.add(msg);
        if (!runNextSent) {
            runNextSent = true;
            getContext().getSelf().tell(RunNext.INSTANCE);
        }
        return this;
    }

    /** Runs the first queued batch, preparing the one after (public only for the receive builder's method reference). */
    public Behavior<Command> onRunNext() {
        runNextSent = false;
        runQueued();
        if (!queued.isEmpty()) {
            runNextSent = true;
            getContext().getSelf().tell(RunNext.INSTANCE);
        }
        return this;
    }

    /** Finishes the queued batches, then stops (public only for the receive builder's method reference). */
    public Behavior<Command> onStop() {
        runAll();
        return Behaviors.stopped();
    }

    private void runAll() {
        while (!queued.isEmpty()) {
            runQueued();
        }
    }

    private void runQueued() {
        Execute msg = queued.poll();
        if (msg == null) {
            return;
        }
        Execute next = queued.peek();
        if (next != null && next != prepared) {
            prepared = next;
            try {
                backend.prepare(next.plan(), next.batch());
            } catch (RuntimeException e) {
                // A hint only: the batch runs all the same when its turn comes.
                LOG.debug("{} backend could not prepare {}: {}", backend.name(), next.batch(), e.toString());
            }
        }
        run(msg);
    }

    private void run(Execute msg) {
        StatusReply<BatchResult> reply;
        try {
            reply = StatusReply.success(timed(msg));
        } catch (RuntimeException first) {
            // A backend that throws leaves its state as it was (the SPI's contract): run the batch again.
            listener.ranAgain();
            LOG.warn("{} backend failed on {}, running it again: {}", backend.name(), msg.batch(), first.toString());
            try {
                reply = StatusReply.success(timed(msg));
            } catch (RuntimeException second) {
                LOG.error("{} backend failed twice on {}", backend.name(), msg.batch(), second);
                second.addSuppressed(first);
                reply = StatusReply.error(second);
            }
        }
        msg.replyTo().tell(reply);
    }

    private BatchResult timed(Execute msg) {
        long start = System.nanoTime();
        BatchResult result = backend.execute(msg.plan(), msg.batch());
        listener.computed(result.backend(), System.nanoTime() - start);
        listener.stats(backend.stats());
        return result;
    }

    /** Seeds running state (public only for the receive builder's serializable method reference). */
    public Behavior<Command> onRestore(Restore msg) {
        return done(msg.replyTo(), () -> backend.restore(msg.plan(), msg.query(), msg.saved()));
    }

    /**
     * Finishes the queued batches (so state changes keep their order among batches), then runs
     * {@code action} on the backend and tells {@code replyTo} it is done, or why not.
     */
    private Behavior<Command> done(ActorRef<StatusReply<Done>> replyTo, Runnable action) {
        runAll();
        try {
            action.run();
            replyTo.tell(StatusReply.success(Done.getInstance()));
        } catch (RuntimeException e) {
            replyTo.tell(StatusReply.error(e));
        }
        return this;
    }

    /** Seeds event times (public only for the receive builder's serializable method reference). */
    public Behavior<Command> onRestoreTimes(RestoreTimes msg) {
        return done(msg.replyTo(), () -> msg.times().forEach(t -> backend.restoreTime(msg.plan(), t)));
    }

    /** Forgets state (public only for the receive builder's serializable method reference). */
    public Behavior<Command> onReset(Reset msg) {
        return done(msg.replyTo(), () -> backend.reset(msg.plan()));
    }

    /** Closes the backend (public only for the receive builder's serializable method reference). */
    public Behavior<Command> onPostStop() {
        backend.close();
        return this;
    }
}
