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
 */
public record OutputBatch(List<ProducerRecord<byte[], byte[]>> records, SourceOffsets offsets) {

    /** Copies the list. */
    public OutputBatch {
        records = List.copyOf(records);
        Objects.requireNonNull(offsets, "offsets");
    }
}
