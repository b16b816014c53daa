package io.spate.internal.source;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.pekko.Done;

import io.spate.SourceOffsets;
import io.spate.TransactionalOffsets;

/**
 * The offsets to commit once everything computed from one batch is written: per partition, the
 * offset after the batch's last record. Committing goes through the source's poll thread, since
 * only that thread may use the consumer.
 */
public final class BatchOffsets implements TransactionalOffsets {

    private final Map<TopicPartition, OffsetAndMetadata> offsets;
    private final ConsumerGroupMetadata group;
    private final PollLoop loop;
    /** How many batches these offsets settle (more than one when batches are written together). */
    private final int batches;

    BatchOffsets(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group, PollLoop loop) {
        this(offsets, group, loop, 1);
    }

    private BatchOffsets(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group, PollLoop loop, int batches) {
        this.offsets = Map.copyOf(offsets);
        this.group = group;
        this.loop = loop;
        this.batches = batches;
    }

    /**
     * Later batches' offsets of this source, all read in this consumer generation, merge with these
     * into one {@link BatchOffsets}: the highest offset of each partition, committed (or sent to a
     * transaction) once, settling every batch. Others are committed one after another.
     */
    @Override
    public SourceOffsets followedBy(List<? extends SourceOffsets> later) {
        if (!later.stream().allMatch(b -> b instanceof BatchOffsets o && o.loop == loop && o.group.equals(group))) {
            return TransactionalOffsets.super.followedBy(later);
        }
        Map<TopicPartition, OffsetAndMetadata> highest = new HashMap<>(offsets);
        int settles = batches;
        for (SourceOffsets b : later) {
            BatchOffsets o = (BatchOffsets) b;
            o.offsets.forEach((tp, om) -> highest.merge(tp, om, (x, y) -> x.offset() >= y.offset() ? x : y));
            settles += o.batches;
        }
        return new BatchOffsets(highest, group, loop, settles);
    }

    @Override
    public ConsumerGroupMetadata groupMetadata() {
        return group;
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> offsets() {
        return offsets;
    }

    @Override
    public void written() {
        loop.settled(batches);
    }

    /** Commits these offsets (with every earlier acked one); completes when the broker has them or the partitions moved away. */
    @Override
    public CompletionStage<Done> commit() {
        return loop.commit(offsets, batches);
    }
}
