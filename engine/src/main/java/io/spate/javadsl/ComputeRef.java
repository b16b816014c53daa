package io.spate.javadsl;

import org.apache.pekko.actor.typed.ActorRef;

import io.spate.internal.compute.ComputeActor;
import io.spate.internal.compute.ComputeFlow;

/**
 * A running compute actor, as {@link SpateStreams#spawnComputeActor} starts it: the stage
 * {@link SpateStreams#compute} sends batches to. It owns a backend (and on a GPU the CUDA
 * context) until {@link #stop()}.
 */
public final class ComputeRef {

    private final ActorRef<ComputeActor.Command> actor;

    ComputeRef(ActorRef<ComputeActor.Command> actor) {
        this.actor = actor;
    }

    ActorRef<ComputeActor.Command> actor() {
        return actor;
    }

    /** Stops the actor; its backend is closed. */
    public void stop() {
        ComputeFlow.stop(actor);
    }

    @Override
    public String toString() {
        return "ComputeRef(" + actor.path() + ")";
    }
}
