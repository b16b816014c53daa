package io.spate.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An input topic of a {@link PipelineTestDriver}'s pipeline. Each {@code pipe} call is one batch:
 * the values become records of one partition at the next offsets (from 0 per partition), the
 * pipeline computes the batch, and what it writes can be read from the driver's output topics
 * when the call returns. Values are written as UTF-8; a {@code null} value (a tombstone) is an
 * empty record, as a node reads it. Get one with {@link PipelineTestDriver#input}.
 */
public final class TestInputTopic {

    private final PipelineTestDriver driver;
    private final String name;

    TestInputTopic(PipelineTestDriver driver, String name) {
        this.driver = driver;
        this.name = name;
    }

    /** The topic's name. */
    public String name() {
        return name;
    }

    /** Pipes {@code values} to partition 0 as one batch. */
    public void pipe(String... values) {
        pipe(0, Arrays.asList(values));
    }

    /** Pipes {@code values} to partition 0 as one batch. */
    public void pipe(List<String> values) {
        pipe(0, values);
    }

    /**
     * Pipes {@code values} to {@code partition} as one batch. The topic has partitions 0 up to the
     * highest piped to, as a Kafka topic does; after a {@link PipelineTestDriver#restart() restart}
     * a windowed query keeps its windows while one of them has not been read from, as on a node.
     */
    public void pipe(int partition, List<String> values) {
        List<TestRecord> records = new ArrayList<>(values.size());
        for (String v : values) {
            records.add(TestRecord.of(v));
        }
        pipeRecords(partition, records);
    }

    /**
     * Pipes {@code records} (values with their keys, headers and timestamps, as a Kafka producer
     * sends them) to partition 0 as one batch; a record without a timestamp gets the current time.
     */
    public void pipeRecords(List<TestRecord> records) {
        pipeRecords(0, records);
    }

    /** Pipes {@code records} to {@code partition} as one batch (see {@link #pipe(int, List)} and {@link #pipeRecords(List)}). */
    public void pipeRecords(int partition, List<TestRecord> records) {
        if (partition < 0) {
            throw new IllegalArgumentException("partition must not be negative: " + partition);
        }
        driver.process(name, partition, records);
    }

    @Override
    public String toString() {
        return "TestInputTopic[" + name + "]";
    }
}
