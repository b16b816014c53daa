package io.spate.internal.source;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RetriableCommitFailedException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.serialization.ByteBufferDeserializer;
import org.apache.pekko.Done;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.spate.BatchSettings;
import io.spate.RecordBatch;
import io.spate.internal.kafka.ClientListener;

/**
 * The thread that owns a {@link KafkaConsumer} for {@link KafkaBatchSource}: it polls, copies each
 * record's value straight from the fetched bytes into the open batch (no stream element or message object per record),
 * closes batches at the record, byte and latency limits, hands them over when the stream asks,
 * and commits acked offsets. Everything that touches the consumer runs on this thread.
 *
 * <p>Backpressure: while a closed batch waits for demand, the assigned partitions are paused, so
 * the consumer keeps its group membership but fetches nothing; memory is bounded by one poll plus
 * one batch. Commits: the acked offsets of every batch are merged (highest per partition) and the
 * ones of partitions still assigned are committed; on a rebalance the acked offsets of revoked
 * partitions are committed synchronously first.
 *
 * <p>Rebalances drain: when partitions are revoked, the open batch is closed and the loop waits
 * (up to {@code spate.source.drain-timeout}) until every batch it built has settled (its records
 * written and its offsets committed, or its transaction committed) before the group moves on; so
 * no batch is in flight across a hand-over, and an exactly-once transaction never carries offsets
 * of a generation the group has left (which would fence it and fail the stream).
 */
final class PollLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(PollLoop.class);
    private static final Duration POLL = Duration.ofMillis(20);
    private static final Duration IN_FLIGHT_POLL = Duration.ofMillis(1);
    private static final int READ_AHEAD = 2;

    /** Where the loop hands its results; called on the poll thread. */
    interface Output {
        void deliver(RecordBatch batch);

        void complete();

        void fail(Throwable error);
    }

    private final Map<String, Object> properties;
    private final List<String> topics;
    private final Output output;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger demand = new AtomicInteger();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile boolean stopping;
    private volatile boolean closing;

    private KafkaConsumer<ByteBuffer, ByteBuffer> consumer;
    private final Map<TopicPartition, OffsetAndMetadata> acked = new HashMap<>();
    private final ArrayDeque<RecordBatch> ready = new ArrayDeque<>(2);
    private final BatchAccumulator batch;
    private Map<TopicPartition, OffsetAndMetadata> openOffsets = new HashMap<>();
    private String lastTopic;
    private int lastPartition = -1;
    private TopicPartition lastTp;
    private long lastNext = -1;
    private final AtomicLong settled = new AtomicLong();
    private final Duration drainTimeout;
    private final AssignmentListener assignments;
    private final ClientListener clients;
    private boolean completed;
    /** Asynchronous commits not answered yet (their callbacks run in a later poll); poll thread only. */
    private int commitsInFlight;
    /** The poll thread, woken when the stream asks for a batch or a commit comes in. */
    private volatile Thread thread;

    PollLoop(Map<String, Object> properties, List<String> topics, BatchSettings limits, Duration drainTimeout,
             AssignmentListener assignments, ClientListener clients, Output output) {
        this.properties = properties;
        this.clients = clients;
        this.drainTimeout = drainTimeout;
        this.assignments = assignments;
        this.topics = topics;
        this.batch = new BatchAccumulator(limits);
        this.output = output;
    }

    /** The stream wants one more batch. */
    void request() {
        demand.incrementAndGet();
        LockSupport.unpark(thread);
    }

    /** Stop reading: the open batch is handed over, then the output completes; commits still run. */
    void stop() {
        stopping = true;
    }

    /** Ends the loop and closes the consumer; completes when it is closed. */
    CompletionStage<Void> close() {
        closing = true;
        return closed;
    }

    /** {@code batches} batches' records and offsets are written (by a transaction that committed them); any thread. */
    void settled(int batches) {
        settled.addAndGet(batches);
    }

    /**
     * Commits {@code offsets} (merged with all acked before) on the poll thread; the {@code batches}
     * batches they belong to have settled once merged.
     */
    CompletionStage<Done> commit(Map<TopicPartition, OffsetAndMetadata> offsets, int batches) {
        CompletableFuture<Done> done = new CompletableFuture<>();
        if (closed.isDone()) {
            done.completeExceptionally(new IllegalStateException("the Kafka source is closed; offsets not committed: " + offsets));
            return done;
        }
        tasks.add(() -> commitOnLoop(offsets, batches, done));
        LockSupport.unpark(thread);
        return done;
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        try {
            // Values and keys as views of the fetched bytes: the copy into the batch is the only one.
            consumer = new KafkaConsumer<>(properties, new ByteBufferDeserializer(), new ByteBufferDeserializer());
            clients.consumerOpened(consumer);
            consumer.subscribe(topics, new Rebalance());
            while (!closing) {
                runTasks();
                if (stopping) {
                    drainOnStop();
                } else {
                    step();
                }
            }
            runTasks();
        } catch (Throwable e) {
            LOG.error("Kafka source of {} failed", topics, e);
            output.fail(e);
        } finally {
            try {
                if (consumer != null) {
                    clients.closing(consumer);
                    consumer.close(Duration.ofSeconds(10));
                }
            } catch (RuntimeException e) {
                LOG.warn("closing the consumer of {} failed: {}", topics, e.toString());
            }
            closed.complete(null);
        }
    }

    private void step() {
        emit();
        // While batches are out in the stream, their commits come through this thread and complete
        // in a later poll: wait briefly, or each hand-over and commit would wait a whole POLL.
        Duration wait = pollWait();
        ConsumerRecords<ByteBuffer, ByteBuffer> records;
        // Read ahead up to READ_AHEAD closed batches; only then stop fetching.
        if (ready.size() < READ_AHEAD) {
            if (!consumer.paused().isEmpty()) {
                consumer.resume(consumer.paused());
            }
            records = consumer.poll(wait);
        } else {
            consumer.pause(consumer.assignment());
            // Nothing to fetch until the stream takes a batch: wait for that or a commit (either
            // wakes this thread), then a poll that returns at once runs the callbacks.
            if (demand.get() == 0 && tasks.isEmpty()) {
                LockSupport.parkNanos(this, wait.toNanos());
            }
            records = consumer.poll(Duration.ZERO);
        }
        // One clock read a poll, not a record: its records arrived together, and a batch's age
        // counts from the poll that brought its first record.
        long polledAt = System.nanoTime();
        for (ConsumerRecord<ByteBuffer, ByteBuffer> r : records) {
            append(r, polledAt);
        }
        if (batch.expired(polledAt)) {
            closeOpen();
        }
        emit();
    }

    /** How long a poll may wait for records: briefly while batches or commits are out, since their commits complete here. */
    private Duration pollWait() {
        return settled.get() < batch.closed() || commitsInFlight > 0 ? IN_FLIGHT_POLL : POLL;
    }

    private void drainOnStop() {
        if (!completed) {
            closeOpen();
            emit();
            if (ready.isEmpty()) {
                completed = true;
                output.complete();
            }
        }
        // Keep polling, partitions paused, so that commit callbacks run and the group membership holds.
        consumer.pause(consumer.assignment());
        consumer.poll(pollWait());
    }

    private void append(ConsumerRecord<ByteBuffer, ByteBuffer> r, long polledAt) {
        int size = r.value() == null ? 0 : r.value().remaining();
        if (batch.overflowsWith(size)) {
            closeOpen();
        }
        KafkaRecordAppender.appendView(r, batch.builder(size, polledAt));
        // Records of one poll come partition by partition: note the offset in a field, and touch
        // the batch's offset map only when the partition changes.
        if (r.partition() != lastPartition || !r.topic().equals(lastTopic)) {
            flushOffset();
            lastTopic = r.topic();
            lastPartition = r.partition();
            lastTp = new TopicPartition(lastTopic, lastPartition);
        }
        lastNext = r.offset() + 1;
        if (batch.full()) {
            closeOpen();
        }
    }

    private void flushOffset() {
        if (lastNext >= 0) {
            openOffsets.put(lastTp, new OffsetAndMetadata(lastNext));
            lastNext = -1;
        }
    }

    private void closeOpen() {
        if (batch.isEmpty()) {
            return;
        }
        flushOffset();
        ready.add(batch.close(new BatchOffsets(openOffsets, consumer.groupMetadata(), this)));
        openOffsets = new HashMap<>();
    }

    private void emit() {
        while (!ready.isEmpty() && demand.get() > 0) {
            demand.decrementAndGet();
            RecordBatch batch = ready.poll();
            LOG.debug("emitting {}", batch);
            output.deliver(batch);
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
        }
    }

    private void commitOnLoop(Map<TopicPartition, OffsetAndMetadata> offsets, int batches, CompletableFuture<Done> done) {
        offsets.forEach((tp, om) -> acked.merge(tp, om, (a, b) -> a.offset() >= b.offset() ? a : b));
        settled.addAndGet(batches);
        Map<TopicPartition, OffsetAndMetadata> owned = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            OffsetAndMetadata om = acked.get(tp);
            if (om != null) {
                owned.put(tp, om);
            }
        }
        if (owned.isEmpty()) {
            done.complete(Done.getInstance());
            return;
        }
        commitsInFlight++;
        consumer.commitAsync(owned, (result, error) -> {
            commitsInFlight--;
            if (error == null) {
                done.complete(Done.getInstance());
            } else if (error instanceof RebalanceInProgressException || error instanceof CommitFailedException
                    || error instanceof RetriableCommitFailedException) {
                // The partitions are moving; their new owner starts from the last committed offsets.
                LOG.warn("commit of {} skipped during a rebalance: {}", owned.keySet(), error.toString());
                done.complete(Done.getInstance());
            } else {
                done.completeExceptionally(error);
            }
        });
    }

    /**
     * Hands over the open batch and waits until every batch built so far has settled, running
     * commit tasks and handing over batches as the stream asks meanwhile (on the poll thread, in
     * the rebalance callback).
     */
    private void drainForRebalance(Collection<TopicPartition> partitions) {
        if (closing || partitions.isEmpty()) {
            return;
        }
        closeOpen();
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        while (settled.get() < batch.closed() && !closing) {
            runTasks();
            emit();
            if (System.nanoTime() > deadline) {
                LOG.warn("{} batches of {} still in flight after {}; the group moves on without them", batch.closed() - settled.get(), topics, drainTimeout);
                return;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.debug("drained {} batches before giving up {}", batch.closed(), partitions);
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            drainForRebalance(partitions);
            Map<TopicPartition, OffsetAndMetadata> leaving = new HashMap<>();
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata om = acked.remove(tp);
                if (om != null) {
                    leaving.put(tp, om);
                }
            }
            if (!leaving.isEmpty()) {
                try {
                    consumer.commitSync(leaving, Duration.ofSeconds(10));
                } catch (RuntimeException e) {
                    LOG.warn("commit of revoked partitions {} failed: {}", leaving.keySet(), e.toString());
                }
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // Lost, not revoked: another member may own them already, so nothing is committed.
            partitions.forEach(acked::remove);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            LOG.debug("assigned {}", partitions);
            if (!partitions.isEmpty()) {
                // With read_committed this waits until the previous owner's transactions on them are
                // complete (KIP-447), so the state read next matches the offsets we start from.
                consumer.committed(new HashSet<>(partitions), Duration.ofMinutes(2));
                assignments.assigned(consumer.assignment());
            }
            assignments.joined(consumer.assignment());
        }
    }
}
