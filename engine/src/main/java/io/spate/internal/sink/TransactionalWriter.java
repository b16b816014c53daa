package io.spate.internal.sink;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
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
 * Exactly-once output: one Kafka transaction per batch holding the batch's output records, its
 * dead letters and its consumed offsets ({@code sendOffsetsToTransaction} with the consumer's
 * group metadata), so either all of them are visible to {@code read_committed} readers and the
 * offsets committed, or none. The producer lives on a thread of its own (transactions are
 * sequential). Its {@code transactional.id} is stable per pipeline and node, so a restarted node
 * fences its crashed predecessor and aborts whatever transaction it left open.
 *
 * <p>A failed transaction is aborted and fails the stream: the node restarts from the committed
 * offsets, and nothing of the failed batch was made visible. A fenced producer fails the stream
 * with a message that says so and how to fix it: two nodes with one node id (two unnamed nodes on
 * one host, whose host name stands in for it) share the transactional id and fence each other.
 */
public final class TransactionalWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionalWriter.class);

    private final ExecutorService thread;
    private final Map<String, Object> properties;
    private final String transactionalId;
    private final String fenced;
    private final ClientListener clients;
    private KafkaProducer<byte[], byte[]> producer;

    /**
     * The writer of {@code pipeline} on this node: its transactional id is the pipeline's group id
     * and the node id. The producer is created on first use, on its own thread.
     */
    public TransactionalWriter(SpateSettings settings, Pipeline pipeline) {
        this(settings, pipeline, ClientListener.NONE);
    }

    /** {@link #TransactionalWriter(SpateSettings, Pipeline)}, telling {@code clients} of its producer. */
    public TransactionalWriter(SpateSettings settings, Pipeline pipeline, ClientListener clients) {
        this.clients = clients;
        this.transactionalId = pipeline.groupId() + "-" + settings.nodeId();
        this.fenced = fencedMessage(transactionalId, pipeline.name(), settings);
        this.properties = new HashMap<>(settings.producerProperties());
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "spate-transactions-" + transactionalId);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Creates the producer and fences any earlier one with this id, aborting the transaction it
     * left open. Call it before the consumer starts: until that transaction ends, a read_committed
     * consumer cannot learn its committed offsets (KIP-447), so it would wait for the transaction
     * to time out.
     */
    public void init() {
        try {
            CompletableFuture.runAsync(this::producer, thread).get(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting transactional producer " + transactionalId, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot start transactional producer " + transactionalId + ": " + e.getMessage(), e);
        }
    }

    /** The producer, made and initialised on first use (on the writer's thread). */
    private KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
            clients.producerOpened(producer);
            // Fences an earlier producer with this id and aborts the transaction it left open.
            producer.initTransactions();
            LOG.info("transactional producer {} ready", transactionalId);
        }
        return producer;
    }

    /** Writes {@code out} and commits its offsets in one transaction; completes when it is committed. */
    public CompletionStage<Done> write(OutputBatch out) {
        return CompletableFuture.supplyAsync(() -> {
            if (!(out.offsets() instanceof TransactionalOffsets offsets)) {
                throw new IllegalStateException("exactly-once needs the batch source (spate.source.mode = batch)");
            }
            producer();
            try {
                transaction(out.records(), offsets);
            } catch (KafkaException | ExecutionException e) {
                throw failed("transaction of " + transactionalId + " aborted: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failed("interrupted in a transaction of " + transactionalId, e);
            }
            offsets.written();
            return Done.getInstance();
        }, thread);
    }

    private void transaction(List<ProducerRecord<byte[], byte[]>> records, TransactionalOffsets offsets)
            throws ExecutionException, InterruptedException {
        producer.beginTransaction();
        List<Future<RecordMetadata>> sends = new ArrayList<>(records.size());
        for (ProducerRecord<byte[], byte[]> r : records) {
            sends.add(producer.send(r));
        }
        if (!offsets.offsets().isEmpty()) {
            producer.sendOffsetsToTransaction(offsets.offsets(), offsets.groupMetadata());
        }
        producer.commitTransaction();
        for (Future<RecordMetadata> f : sends) {
            f.get();
        }
    }

    /** The error that fails the stream after {@code cause}, having aborted the transaction where the producer still can. */
    private IllegalStateException failed(String message, Exception cause) {
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
