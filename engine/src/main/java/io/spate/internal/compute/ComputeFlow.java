package io.spate.internal.compute;

import java.util.concurrent.atomic.AtomicLong;

import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.typed.javadsl.ActorFlow;

import io.spate.BatchResult;
import io.spate.RecordBatch;
import io.spate.SpateSettings;
import io.spate.plan.Plan;

/** Starting and stopping compute actors, and the stream stage that asks one to run a plan on each batch. */
public final class ComputeFlow {

    private static final AtomicLong ACTOR_IDS = new AtomicLong();

    private ComputeFlow() {
    }

    /**
     * Starts a compute actor on the {@code spate.compute.dispatcher} thread with the backend the
     * settings select, counting the batches it re-runs after a fault in {@code faults}.
     */
    public static ActorRef<ComputeActor.Command> spawn(ClassicActorSystemProvider system, String name, SpateSettings settings,
                                                       AtomicLong faults) {
        return spawn(system, name, settings, ComputeListener.counting(faults));
    }

    /**
     * Starts a compute actor on the {@code spate.compute.dispatcher} thread with the backend the
     * settings select, telling {@code listener} how long each batch took and which it ran again.
     */
    public static ActorRef<ComputeActor.Command> spawn(ClassicActorSystemProvider system, String name, SpateSettings settings,
                                                       ComputeListener listener) {
        String actorName = "spate-compute-" + name.replaceAll("[^A-Za-z0-9_-]", "_") + "-" + ACTOR_IDS.incrementAndGet();
        // A system actor, because a typed system with its own guardian refuses new top-level user actors.
        return Adapter.toTyped(system.classicSystem()).systemActorOf(ComputeActor.create(() -> Backends.create(settings),
                        settings.compute().injectFaultEvery(), listener),
                actorName, DispatcherSelector.fromConfig("spate.compute.dispatcher"));
    }

    /** Stops a compute actor (its backend is closed). */
    public static void stop(ActorRef<ComputeActor.Command> actor) {
        actor.tell(ComputeActor.Stop.INSTANCE);
    }

    /** Asks {@code actor} to run {@code plan} on each batch, the settings' in-flight batches at a time, in order. */
    public static Flow<RecordBatch, BatchResult, NotUsed> flow(Plan plan, ActorRef<ComputeActor.Command> actor, SpateSettings settings) {
        return ActorFlow.askWithStatus(settings.inFlight(), actor, settings.computeTimeout(),
                (RecordBatch batch, ActorRef<StatusReply<BatchResult>> replyTo) -> new ComputeActor.Execute(plan, batch, replyTo));
    }
}
