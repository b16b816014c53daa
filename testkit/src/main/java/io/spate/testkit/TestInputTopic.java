package io.spate.testkit;

import java.nio.charset.StandardCharsets;
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
        if (partition < 0) {
            throw new IllegalArgumentException("partition must not be negative: " + partition);
        }
        List<byte[]> bytes = new ArrayList<>(values.size());
        for (String v : values) {
            bytes.add(v == null ? new byte[0] : v.getBytes(StandardCharsets.UTF_8));
        }
        driver.process(name, partition, bytes);
    }

    @Override
    public String toString() {
        return "TestInputTopic[" + name + "]";
    }
}
