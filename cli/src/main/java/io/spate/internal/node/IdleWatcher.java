package io.spate.internal.node;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.spate.Pipeline;
import io.spate.SpateSettings;
import io.spate.internal.kafka.KafkaClients;
import io.spate.internal.state.ScaleOut;

/**
 * Tells when a pipeline has caught up: every partition of its input topics has its group's
 * committed offset at the partition's end offset (or is empty). Since offsets are committed only
 * after the batch's results are acked, caught up means everything read so far is produced and
 * committed, which is what {@code spate run --until-idle} waits for. A pipeline run in stages
 * (scale-out) is caught up when each stage is, checked in order in one go. Where a committed offset
 * is short of the end, the rest may be only transaction markers (an input written exactly-once
 * ends with a commit marker): a read_committed consumer then finds no record there, and that
 * counts as caught up. That read is made only when no committed offset moved since the last check,
 * so a pipeline at work is not slowed by it; nor are its end offsets asked for while a committed
 * offset moves short of the ends last seen (one request a check then, not four).
 */
public final class IdleWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IdleWatcher.class);

    private final Pipeline pipeline;
    private final List<Pipeline> stages;
    private final SpateSettings settings;
    private final Admin admin;
    private KafkaConsumer<byte[], byte[]> markers;
    private final ScheduledExecutorService timer;
    private final CompletableFuture<Void> idle = new CompletableFuture<>();
    private final Duration interval;
    /** The committed (or start) offset of each partition at the last check. */
    private final Map<TopicPartition, Long> lastSeen = new HashMap<>();
    /** The end offset of each partition when last asked; ends only grow. */
    private final Map<TopicPartition, Long> lastEnds = new HashMap<>();

    /** Starts watching {@code pipeline}'s group every {@code spate.idle-check-interval}. */
    public IdleWatcher(SpateSettings settings, Pipeline pipeline) {
        this.pipeline = pipeline;
        this.settings = settings;
        this.stages = ScaleOut.applies(settings, pipeline) ? ScaleOut.stages(pipeline) : List.of(pipeline);
        this.admin = KafkaClients.admin(settings);
        this.interval = settings.output().idleCheckInterval();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "spate-idle-" + pipeline.name());
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Completes once the pipeline is caught up. */
    public CompletionStage<Void> idle() {
        return idle;
    }

    private void check() {
        if (idle.isDone()) {
            return;
        }
        try {
            if (caughtUp()) {
                LOG.info("pipeline {} is caught up with {}", pipeline.name(), pipeline.topics());
                idle.complete(null);
            }
        } catch (Exception e) {
            // The broker may be restarting; keep asking.
            LOG.debug("idle check of {} failed: {}", pipeline.name(), e.toString());
        }
    }

    private boolean caughtUp() throws Exception {
        for (Pipeline stage : stages) {
            if (!caughtUp(stage)) {
                return false;
            }
        }
        return true;
    }

    private boolean caughtUp(Pipeline pipeline) throws Exception {
        long timeout = Math.max(5000, interval.toMillis() * 4);
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(pipeline.groupId())
                .partitionsToOffsetAndMetadata().get(timeout, TimeUnit.MILLISECONDS);
        if (working(committed)) {
            // Decided by one request instead of four: what the full check below would say too.
            return false;
        }
        Map<String, TopicDescription> topics = admin.describeTopics(pipeline.topics()).allTopicNames().get(timeout, TimeUnit.MILLISECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        for (TopicDescription d : topics.values()) {
            d.partitions().forEach(p -> {
                latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest());
                earliest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.earliest());
            });
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get(timeout, TimeUnit.MILLISECONDS);
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts = admin.listOffsets(earliest).all().get(timeout, TimeUnit.MILLISECONDS);
        Map<TopicPartition, Long> behind = new HashMap<>();
        boolean moved = false;
        for (TopicPartition tp : List.copyOf(latest.keySet())) {
            long end = ends.get(tp).offset();
            lastEnds.put(tp, end);
            OffsetAndMetadata c = committed.get(tp);
            long from = c != null ? c.offset() : starts.get(tp).offset();
            Long before = lastSeen.put(tp, from);
            if (from < end) {
                behind.put(tp, end);
                moved |= before == null || before != from;
            }
        }
        if (behind.isEmpty()) {
            return true;
        }
        if (moved) {
            // Still committing: not caught up, and no reason to read what is left (that would read
            // the records the pipeline is working through, every check, on the pipeline's CPU).
            return false;
        }
        for (Map.Entry<TopicPartition, Long> e : behind.entrySet()) {
            if (!onlyMarkers(e.getKey(), lastSeen.get(e.getKey()), e.getValue())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a committed offset moved since the last check and is still short of that partition's
     * end as last asked: the pipeline is at work, and the full check would find it behind too (ends
     * only grow), so it is not asked for. Updates what was seen of the partitions that moved.
     */
    private boolean working(Map<TopicPartition, OffsetAndMetadata> committed) {
        boolean working = false;
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : committed.entrySet()) {
            Long end = lastEnds.get(e.getKey());
            Long before = lastSeen.get(e.getKey());
            long now = e.getValue().offset();
            if (end != null && before != null && before != now && now < end) {
                lastSeen.put(e.getKey(), now);
                working = true;
            }
        }
        return working;
    }

    /** Whether a read_committed read of {@code tp} from {@code from} reaches {@code end} without a record. */
    private boolean onlyMarkers(TopicPartition tp, long from, long end) {
        if (markers == null) {
            Map<String, Object> props = new HashMap<>(settings.consumerProperties());
            // It reads assigned partitions and commits nothing, so it joins no group.
            props.remove(ConsumerConfig.GROUP_ID_CONFIG);
            props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            // One record is enough to say no: fetch little (the broker still sends a larger first batch whole).
            props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
            props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024);
            props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 64 * 1024);
            markers = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
        }
        markers.assign(List.of(tp));
        markers.seek(tp, from);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < deadline) {
            if (!markers.poll(Duration.ofMillis(100)).isEmpty()) {
                return false;
            }
            if (markers.position(tp) >= end) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (markers != null) {
            markers.close(Duration.ofSeconds(5));
        }
        admin.close(Duration.ofSeconds(5));
    }
}
