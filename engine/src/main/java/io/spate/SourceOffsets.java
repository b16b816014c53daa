package io.spate;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.pekko.Done;

/**
 * What committing a batch means for the source it came from: the source's offsets after the
 * batch's records. The sink calls {@link #commit()} once every record computed from the batch is
 * acked, in batch order.
 */
@FunctionalInterface
public interface SourceOffsets {

    /** Offsets of a batch that has nothing to commit (tests, bounded reads). */
    SourceOffsets NONE = () -> CompletableFuture.completedFuture(Done.getInstance());

    /** Commits; completes when the source has recorded the offsets. */
    CompletionStage<Done> commit();
}
