package io.spate.internal.source;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

import org.apache.pekko.kafka.ConsumerMessage;
import scala.jdk.javaapi.FutureConverters;

import io.spate.SourceOffsets;

/**
 * The newest committable offset per partition of an open batch. Records of one partition arrive
 * in offset order, so committing the last one commits them all; keeping one entry per partition
 * (rather than folding every offset into an immutable offset batch) keeps the per-record cost to a
 * map put.
 */
public final class CommitTracker {

    private final Map<ConsumerMessage.GroupTopicPartition, ConsumerMessage.CommittableOffset> last = new HashMap<>();

    /** Remembers {@code offset} as the newest of its partition. */
    public void track(ConsumerMessage.CommittableOffset offset) {
        last.put(offset.partitionOffset().key(), offset);
    }

    /** What committing the batch commits. */
    SourceOffsets committable() {
        if (last.isEmpty()) {
            return SourceOffsets.NONE;
        }
        ConsumerMessage.Committable batch = ConsumerMessage.createCommittableOffsetBatch(new ArrayList<>(last.values()));
        return () -> FutureConverters.asJava(batch.commitInternal());
    }
}
