package io.spate;

import java.util.List;
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

    /**
     * These offsets and those of {@code later} batches (in batch order) as one, for a sink that
     * writes several batches together: committing it commits them all. This one commits each in
     * turn; a source may merge them into one commit.
     */
    default SourceOffsets followedBy(List<? extends SourceOffsets> later) {
        if (later.isEmpty()) {
            return this;
        }
        List<SourceOffsets> rest = List.copyOf(later);
        return () -> {
            CompletionStage<Done> done = commit();
            for (SourceOffsets b : rest) {
                done = done.thenCompose(d -> b.commit());
            }
            return done;
        };
    }
}
