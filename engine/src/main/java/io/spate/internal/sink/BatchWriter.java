package io.spate.internal.sink;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.pekko.Done;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.spate.OutputBatch;
import io.spate.Pipeline;
import io.spate.SpateSettings;
import io.spate.TransactionalOffsets;
import io.spate.internal.kafka.ClientListener;

/**
 * Writes the output batches of one stream through one producer on a thread of its own, in one of
 * two ways that share everything else (the producer's life, its thread, how a batch's records are
 * sent and how a failure reads):
 *
 * <ul>
 *   <li><b>at-least-once</b> ({@link #atLeastOnce}): a batch's records are sent with one callback
 *       for all of them, and {@link #write} completes once every one is acked; the sink then
 *       commits the batch's offsets, in batch order. No future or stream element per record.</li>
 *   <li><b>exactly-once</b> ({@link #exactlyOnce}): one Kafka transaction per batch (or per
 *       batches that waited while the previous one committed) holding the output records, dead
 *       letters and consumed offsets ({@code sendOffsetsToTransaction} with the consumer's group
 *       metadata), so either all of them are visible to {@code read_committed} readers and the
 *       offsets committed, or none. Its
 *       {@code transactional.id} is stable per pipeline and node, so a restarted node fences its
 *       crashed predecessor and aborts whatever transaction it left open.</li>
 * </ul>
 *
 * <p>Sends run on the writer's thread, not the stream's: a send blocks while the producer's buffer
 * is full, and transactions are sequential anyway. A failed batch fails the stream: the node
 * restarts from the committed offsets (exactly-once: the transaction is aborted first, so nothing
 * of it was made visible). A fenced producer fails the stream with a message that says so and how
 * to fix it: two nodes with one node id (two unnamed nodes on one host, whose host name stands in
 * for it) share the transactional id and fence each other.
 */
public final class BatchWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);
    /** The exactly-once producer's {@code retry.backoff.ms} unless the settings give one. */
    static final int TRANSACTION_RETRY_BACKOFF_MS = 10;

    private final ExecutorService thread;
    private final Map<String, Object> properties;
    /** The transactional id, or null when writing at-least-once. */
    private final String transactionalId;
    private final String fenced;
    private final ClientListener clients;
    private final Function<Map<String, Object>, Producer<byte[], byte[]>> producers;
    private Producer<byte[], byte[]> producer;
    /** Exactly-once: batches waiting for the writer's thread, in order. */
    private final ConcurrentLinkedQueue<Queued> queued = new ConcurrentLinkedQueue<>();
    /** Exactly-once: why a transaction failed; every later batch fails with it. Writer's thread only. */
    private RuntimeException failure;

    private BatchWriter(Map<String, Object> properties, String transactionalId, String fenced, String threadName,
                        ClientListener clients, Function<Map<String, Object>, Producer<byte[], byte[]>> producers) {
        this.properties = properties;
        this.producers = producers;
        this.transactionalId = transactionalId;
        this.fenced = fenced;
        this.clients = clients;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** An at-least-once writer with the producer settings of {@code settings}; its producer is made on first use. */
    public static BatchWriter atLeastOnce(SpateSettings settings, String pipeline, ClientListener clients) {
        return atLeastOnce(settings, pipeline, clients, BatchWriter::kafkaProducer);
    }

    /** {@link #atLeastOnce(SpateSettings, String, ClientListener)} with producers from {@code producers} (a test's mock). */
    public static BatchWriter atLeastOnce(SpateSettings settings, String pipeline, ClientListener clients,
                                          Function<Map<String, Object>, Producer<byte[], byte[]>> producers) {
        return new BatchWriter(new HashMap<>(settings.producerProperties()), null, null, "spate-writer-" + pipeline, clients, producers);
    }

    private static Producer<byte[], byte[]> kafkaProducer(Map<String, Object> properties) {
        return new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * The exactly-once writer of {@code pipeline} on this node: its transactional id is the
     * pipeline's group id and the node id. Call {@link #init()} before the consumer starts.
     */
    public static BatchWriter exactlyOnce(SpateSettings settings, Pipeline pipeline, ClientListener clients) {
        return exactlyOnce(settings, pipeline, clients, BatchWriter::kafkaProducer);
    }

    /** {@link #exactlyOnce(SpateSettings, Pipeline, ClientListener)} with producers from {@code producers} (a test's mock). */
    public static BatchWriter exactlyOnce(SpateSettings settings, Pipeline pipeline, ClientListener clients,
                                          Function<Map<String, Object>, Producer<byte[], byte[]>> producers) {
        String transactionalId = pipeline.groupId() + "-" + settings.nodeId();
        Map<String, Object> properties = new HashMap<>(settings.producerProperties());
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        // A transaction begun right after the last one committed finds the coordinator still
        // writing that one's markers (CONCURRENT_TRANSACTIONS), and its AddOffsetsToTxn retries
        // after retry.backoff.ms: Kafka's 100 ms took 20-45 ms a transaction, a third of the
        // run at 10^7 records. 10 ms, growing exponentially to retry.backoff.max.ms on real errors.
        properties.putIfAbsent(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, TRANSACTION_RETRY_BACKOFF_MS);
        return new BatchWriter(properties, transactionalId, fencedMessage(transactionalId, pipeline.name(), settings),
                "spate-transactions-" + transactionalId, clients, producers);
    }

    /** {@link #exactlyOnce(SpateSettings, Pipeline, ClientListener)} without client listener. */
    public static BatchWriter exactlyOnce(SpateSettings settings, Pipeline pipeline) {
        return exactlyOnce(settings, pipeline, ClientListener.NONE);
    }

    /**
     * Creates the producer; an exactly-once one also fences any earlier producer with its id,
     * aborting the transaction that one left open. Call it before the consumer starts: until that
     * transaction ends, a read_committed consumer cannot learn its committed offsets (KIP-447), so
     * it would wait for the transaction to time out.
     */
    public void init() {
        try {
            CompletableFuture.runAsync(this::producer, thread).get(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting producer " + name(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot start producer " + name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes the producer and fetches the metadata of {@code topics} on the writer's thread, without
     * waiting: the first batch then finds both ready. A failure here is met again, and reported, by
     * the first write.
     */
    public void open(List<String> topics) {
        thread.execute(() -> {
            try {
                Producer<byte[], byte[]> p = producer();
                for (String topic : topics) {
                    p.partitionsFor(topic);
                }
            } catch (RuntimeException e) {
                LOG.debug("opening producer {} failed; the first write tries again: {}", name(), e.toString());
            }
        });
    }

    private String name() {
        return transactionalId == null ? "(at-least-once)" : transactionalId;
    }

    /** The producer, made (and for transactions initialised) on first use, on the writer's thread. */
    private Producer<byte[], byte[]> producer() {
        if (producer == null) {
            producer = producers.apply(properties);
            clients.producerOpened(producer);
            if (transactionalId != null) {
                // Fences an earlier producer with this id and aborts the transaction it left open.
                producer.initTransactions();
                LOG.info("transactional producer {} ready", transactionalId);
            }
        }
        return producer;
    }

    /**
     * Writes {@code out}: at-least-once, completes once all its records are acked (the caller then
     * commits its offsets); exactly-once, once the transaction holding its records and offsets has
     * committed.
     */
    public CompletionStage<Done> write(OutputBatch out) {
        if (transactionalId == null) {
            return CompletableFuture.supplyAsync(() -> send(out.records()), thread).thenCompose(acked -> acked);
        }
        if (!(out.offsets() instanceof TransactionalOffsets offsets)) {
            return CompletableFuture.failedFuture(new IllegalStateException("exactly-once needs the batch source (spate.source.mode = batch)"));
        }
        Queued q = new Queued(out.records(), offsets, new CompletableFuture<>());
        queued.add(q);
        thread.execute(this::writeQueued);
        return q.done();
    }

    /** A batch waiting for its transaction. */
    private record Queued(List<ProducerRecord<byte[], byte[]>> records, TransactionalOffsets offsets, CompletableFuture<Done> done) {
    }

    /**
     * Writes every batch queued so far, in order, in as few transactions as their consumer
     * generations allow: batches that came in while a transaction committed share the next one, so
     * a slow commit round trip is paid once for several batches. After a failed transaction no
     * later batch is written (its offsets would commit past the failed one's records).
     */
    private void writeQueued() {
        List<Queued> group = new ArrayList<>();
        for (Queued q = queued.poll(); q != null; q = queued.poll()) {
            if (failure != null) {
                q.done().completeExceptionally(failure);
            } else if (!group.isEmpty() && !group.get(0).offsets().groupMetadata().equals(q.offsets().groupMetadata())) {
                commit(group);
                group = new ArrayList<>();
                group.add(q);
            } else {
                group.add(q);
            }
        }
        if (!group.isEmpty()) {
            commit(group);
        }
    }

    /** One transaction holding {@code group}'s records and offsets; completes each batch's future. */
    private void commit(List<Queued> group) {
        if (failure != null) {
            group.forEach(q -> q.done().completeExceptionally(failure));
            return;
        }
        try {
            producer();
            transaction(group);
        } catch (KafkaException e) {
            failure = failed("transaction of " + transactionalId + " aborted: " + e, e);
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Queued q : group) {
            if (failure != null) {
                q.done().completeExceptionally(failure);
            } else {
                q.offsets().written();
                q.done().complete(Done.getInstance());
            }
        }
    }

    /** Sends {@code records} with one callback for all; the stage completes when all are acked, or fails with the first error. */
    private CompletableFuture<Done> send(List<ProducerRecord<byte[], byte[]>> records) {
        Acks acks = new Acks(records.size());
        try {
            Producer<byte[], byte[]> p = producer();
            for (ProducerRecord<byte[], byte[]> r : records) {
                p.send(r, acks);
            }
        } catch (RuntimeException e) {
            acks.done.completeExceptionally(e);
        }
        return acks.done;
    }

    private void transaction(List<Queued> group) {
        producer.beginTransaction();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (Queued q : group) {
            for (ProducerRecord<byte[], byte[]> r : q.records()) {
                producer.send(r);
            }
            // Later batches read further: the highest offset of each partition is the one to commit.
            q.offsets().offsets().forEach((tp, om) -> offsets.merge(tp, om, (a, b) -> a.offset() >= b.offset() ? a : b));
        }
        if (!offsets.isEmpty()) {
            producer.sendOffsetsToTransaction(offsets, group.get(0).offsets().groupMetadata());
        }
        // Flushes first, and throws (committing nothing) if any send of the transaction failed.
        producer.commitTransaction();
    }

    /** Counts the acks of one batch's records: one object per batch, not a future per record. */
    private static final class Acks implements Callback {
        private final AtomicInteger left;
        private final CompletableFuture<Done> done = new CompletableFuture<>();

        Acks(int records) {
            this.left = new AtomicInteger(records);
            if (records == 0) {
                done.complete(Done.getInstance());
            }
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception error) {
            if (error != null) {
                done.completeExceptionally(error);
            } else if (left.decrementAndGet() == 0) {
                done.complete(Done.getInstance());
            }
        }
    }

    /** The error that fails the stream after {@code cause}, having aborted the transaction where the producer still can. */
    private IllegalStateException failed(String message, KafkaException cause) {
        if (isFenced(cause)) {
            // The producer that fenced this one has aborted this one's open transaction already.
            return new IllegalStateException(fenced, cause);
        }
        if (cause instanceof OutOfOrderSequenceException || cause instanceof AuthorizationException) {
            return new IllegalStateException("transactional producer " + transactionalId + " cannot go on: " + cause, cause);
        }
        try {
            producer.abortTransaction();
        } catch (KafkaException abortFailed) {
            cause.addSuppressed(abortFailed);
            if (isFenced(abortFailed)) {
                return new IllegalStateException(fenced, cause);
            }
        }
        return new IllegalStateException(message, cause);
    }

    /** Whether {@code e} or a cause of it says another producer with this transactional id has fenced this one. */
    private static boolean isFenced(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof ProducerFencedException || c instanceof InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }

    /** What to tell the user when this writer is fenced: by whom (a producer with its transactional id) and the fix. */
    static String fencedMessage(String transactionalId, String pipeline, SpateSettings settings) {
        String node = settings.namedNode()
                ? "spate.node-id '" + settings.nodeId() + "'"
                : "node id '" + settings.nodeId() + "', the host name, as spate.node-id is not set";
        return "another node with the same transactional id '" + transactionalId + "' (pipeline '" + pipeline + "', " + node
                + ") fenced this one; give each node its own spate.node-id";
    }

    @Override
    public void close() {
        thread.execute(() -> {
            if (producer != null) {
                clients.closing(producer);
                producer.close(Duration.ofSeconds(10));
            }
        });
        thread.shutdown();
    }
}
