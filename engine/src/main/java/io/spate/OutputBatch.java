package io.spate;

import java.util.List;
import java.util.Objects;

import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What one batch makes for the sink: the records to produce (results and dead letters) and the
 * source offsets to commit once they are written (at-least-once) or with them in one Kafka
 * transaction (exactly-once).
 *
 * @param records the records, in order
 * @param offsets the batch's source offsets
 * @param oldestTimestamp the oldest Kafka timestamp of the batch's input records (epoch
 *        milliseconds), or {@link RecordBatch#NO_TIMESTAMP}: the sink measures the batch's
 *        end-to-end latency from it once the batch is written
 */
public record OutputBatch(List<ProducerRecord<byte[], byte[]>> records, SourceOffsets offsets, long oldestTimestamp) {

    /** Copies the list. */
    public OutputBatch {
        records = List.copyOf(records);
        Objects.requireNonNull(offsets, "offsets");
    }

    /** An output batch whose input had no timestamps. */
    public OutputBatch(List<ProducerRecord<byte[], byte[]>> records, SourceOffsets offsets) {
        this(records, offsets, RecordBatch.NO_TIMESTAMP);
    }
}
