package io.spate.testkit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * A topic a {@link PipelineTestDriver}'s pipeline writes: an output, the dead-letter topic or the
 * event-time changelog. It keeps every record written, in the order the node would produce them;
 * the {@code read...} methods return the records not read yet and consume them, as Kafka Streams'
 * {@code TestOutputTopic} does (a {@link PipelineTestDriver#restart() restart} still restores from
 * all of them, as a node reads the whole topic). Get one with {@link PipelineTestDriver#output}.
 */
public final class TestOutputTopic {

    private final String name;
    private final List<ProducerRecord<byte[], byte[]>> written = new ArrayList<>();
    private int read;

    TestOutputTopic(String name) {
        this.name = name;
    }

    /** The topic's name. */
    public String name() {
        return name;
    }

    /** The records not read yet, keys and values as text, and consumes them. */
    public List<KeyValue> readKeyValues() {
        return readRecords().stream().map(r -> new KeyValue(r.key(), r.value())).toList();
    }

    /** The values of the records not read yet, and consumes them. */
    public List<String> readValues() {
        return readRecords().stream().map(TestRecord::value).toList();
    }

    /**
     * The last value per key of the records not read yet, keys in the order they first came, and
     * consumes them: the state an upsert stream (a running output) has reached. Fails on a record
     * without a key (an output without group keys), as Kafka Streams' {@code readKeyValuesToMap} does.
     */
    public Map<String, String> readKeyValuesToMap() {
        Map<String, String> last = new LinkedHashMap<>();
        for (TestRecord r : readRecords()) {
            if (r.key() == null) {
                throw new IllegalStateException("topic " + name + " has a record without a key: " + r.value());
            }
            last.put(r.key(), r.value());
        }
        return Collections.unmodifiableMap(last);
    }

    /** The records not read yet, with their headers, and consumes them. */
    public List<TestRecord> readRecords() {
        List<TestRecord> out = new ArrayList<>(written.size() - read);
        for (ProducerRecord<byte[], byte[]> r : written.subList(read, written.size())) {
            Map<String, String> headers = new LinkedHashMap<>();
            for (Header h : r.headers()) {
                headers.put(h.key(), text(h.value()));
            }
            out.add(new TestRecord(text(r.key()), text(r.value()), headers));
        }
        read = written.size();
        return out;
    }

    /** Whether every record written has been read. */
    public boolean isEmpty() {
        return read == written.size();
    }

    @Override
    public String toString() {
        return "TestOutputTopic[" + name + ", " + written.size() + " written, " + (written.size() - read) + " not read]";
    }

    /** Takes one record the pipeline wrote. */
    void add(ProducerRecord<byte[], byte[]> record) {
        written.add(record);
    }

    /** Every record written, read or not: what a restarting node reads its state from. */
    List<ProducerRecord<byte[], byte[]>> written() {
        return Collections.unmodifiableList(written);
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
