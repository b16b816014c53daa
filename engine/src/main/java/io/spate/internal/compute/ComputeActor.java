package io.spate.internal.compute;

import java.util.function.Supplier;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.pattern.StatusReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.spate.BatchResult;
import io.spate.RecordBatch;
import io.spate.plan.Plan;
import io.spate.spi.ComputeBackend;

/**
 * The compute actor: owns one {@link ComputeBackend} and runs plans on batches, one at a time, on
 * its own dispatcher (so a long batch never blocks the stream's threads). The backend is created
 * in the actor's setup, on the actor's thread (a GPU backend makes its CUDA context current
 * there), and closed when the actor stops.
 */
public final class ComputeActor {

    private static final Logger LOG = LoggerFactory.getLogger(ComputeActor.class);

    /** What the actor understands. */
    public sealed interface Command permits Execute, Stop {
    }

    /** Finish the batches already queued, then stop (the backend is closed). */
    public enum Stop implements Command {
        /** the one instance */
        INSTANCE
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

    private ComputeActor() {
    }

    /** The actor's behaviour; {@code backends} is called once, in setup. */
    public static Behavior<Command> create(Supplier<ComputeBackend> backends) {
        return Behaviors.setup(ctx -> {
            ComputeBackend backend = backends.get();
            LOG.info("compute actor {} runs the {} backend", ctx.getSelf().path().name(), backend.name());
            return Behaviors.receive(Command.class)
                    .onMessage(Execute.class, msg -> {
                        StatusReply<BatchResult> reply;
                        try {
                            reply = StatusReply.success(backend.execute(msg.plan(), msg.batch()));
                        } catch (RuntimeException e) {
                            LOG.error("{} backend failed on {}", backend.name(), msg.batch(), e);
                            reply = StatusReply.error(e);
                        }
                        msg.replyTo().tell(reply);
                        return Behaviors.same();
                    })
                    .onMessageEquals(Stop.INSTANCE, Behaviors::stopped)
                    .onSignal(PostStop.class, signal -> {
                        backend.close();
                        return Behaviors.same();
                    })
                    .build();
        });
    }
}
