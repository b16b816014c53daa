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
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.pekko.Done;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.spate.OutputBatch;
import io.spate.SpateSettings;
import io.spate.TransactionalOffsets;

/**
 * Exactly-once output: one Kafka transaction per batch holding the batch's output records, its
 * dead letters and its consumed offsets ({@code sendOffsetsToTransaction} with the consumer's
 * group metadata), so either all of them are visible to {@code read_committed} readers and the
 * offsets committed, or none. The producer lives on a thread of its own (transactions are
 * sequential). Its {@code transactional.id} is stable per pipeline and node, so a restarted node
 * fences its crashed predecessor and aborts whatever transaction it left open.
 *
 * <p>A failed transaction is aborted and fails the stream: the node restarts from the committed
 * offsets, and nothing of the failed batch was made visible.
 */
public final class TransactionalWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionalWriter.class);

    private final ExecutorService thread;
    private final Map<String, Object> properties;
    private final String transactionalId;
    private KafkaProducer<byte[], byte[]> producer;

    /** A writer for {@code transactionalId}; the producer is created on first use, on its own thread. */
    public TransactionalWriter(SpateSettings settings, String transactionalId) {
        this.transactionalId = transactionalId;
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
            producer.beginTransaction();
            try {
                List<Future<RecordMetadata>> sends = new ArrayList<>(out.records().size());
                for (ProducerRecord<byte[], byte[]> r : out.records()) {
                    sends.add(producer.send(r));
                }
                if (!offsets.offsets().isEmpty()) {
                    producer.sendOffsetsToTransaction(offsets.offsets(), offsets.groupMetadata());
                }
                producer.commitTransaction();
                for (Future<RecordMetadata> f : sends) {
                    f.get();
                }
                offsets.written();
                return Done.getInstance();
            } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException fatal) {
                throw new IllegalStateException("transactional producer " + transactionalId + " cannot go on: " + fatal, fatal);
            } catch (KafkaException | ExecutionException e) {
                producer.abortTransaction();
                throw new IllegalStateException("transaction of " + transactionalId + " aborted: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                producer.abortTransaction();
                throw new IllegalStateException("interrupted in a transaction of " + transactionalId, e);
            }
        }, thread);
    }

    @Override
    public void close() {
        thread.execute(() -> {
            if (producer != null) {
                producer.close(Duration.ofSeconds(10));
            }
        });
        thread.shutdown();
    }
}
