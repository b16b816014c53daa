package io.spate.internal.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.spate.PartitionTime;
import io.spate.Pipeline;
import io.spate.frame.Column;
import io.spate.frame.ColumnType;
import io.spate.frame.DoubleColumn;
import io.spate.frame.Frame;
import io.spate.frame.LongColumn;
import io.spate.frame.Utf8Column;
import io.spate.plan.Aggregate;
import io.spate.plan.GroupKey;
import io.spate.plan.Plan;
import io.spate.plan.Query;
import io.spate.plan.Window;

/**
 * The state record format, both ways. A pipeline keeps two kinds of state in Kafka:
 * <ul>
 *   <li>running aggregates: a running query's output topic is its changelog, an upsert stream of
 *       JSON rows keyed by group (written by the sink's frame encoder); {@link #runningFrame} reads
 *       the last rows back into a frame shaped like the query's output;</li>
 *   <li>event time: one compacted record per windowed query and input partition in
 *       {@link Pipeline#eventTimeTopic()}, written by {@link #eventTime} and read by
 *       {@link #eventTimes}.</li>
 * </ul>
 * A changelog's state is its last value per key: {@link LastValues} keeps exactly that while a
 * topic is read, so restoring never holds more than one record per key.
 */
public final class StateRecords {

    private static final Logger LOG = LoggerFactory.getLogger(StateRecords.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private StateRecords() {
    }

    /** The last value per key of a changelog as it is read (a record with a null value deletes its key). */
    public static final class LastValues {
        private final Map<String, byte[]> last = new LinkedHashMap<>();

        /** Takes one changelog record; a null key is a key of its own. */
        public void add(byte[] key, byte[] value) {
            String k = key == null ? "" : new String(key, StandardCharsets.UTF_8);
            if (value == null) {
                last.remove(k);
            } else {
                last.put(k, value);
            }
        }

        /** The values kept, one per key, in the order their keys first came. */
        public Collection<byte[]> values() {
            return last.values();
        }
    }

    /** The changelog record of a windowed query's event time in one input partition. */
    public static ProducerRecord<byte[], byte[]> eventTime(Pipeline pipeline, PartitionTime time) {
        String output = pipeline.outputTopics().get(time.query());
        String key = output + "/" + time.topic() + "/" + time.partition();
        ObjectNode value = JSON.createObjectNode().put("output", output).put("topic", time.topic()).put("partition", time.partition())
                .put("max_timestamp", time.timestamp());
        return new ProducerRecord<>(pipeline.eventTimeTopic(), key.getBytes(StandardCharsets.UTF_8),
                value.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The event times in {@code values} (records of {@link #eventTime}), skipping those of outputs {@code pipeline} has no longer. */
    public static List<PartitionTime> eventTimes(Pipeline pipeline, Collection<byte[]> values) {
        List<PartitionTime> times = new ArrayList<>();
        for (byte[] value : values) {
            JsonNode t = parse(value, pipeline.eventTimeTopic());
            int query = pipeline.outputTopics().indexOf(t.path("output").asText());
            if (query < 0 || query >= pipeline.plan().queries().size() || pipeline.plan().queries().get(query).window().isEmpty()) {
                LOG.warn("ignoring the saved event time of '{}': no windowed output of {} has that name", t.path("output").asText(),
                        pipeline.name());
                continue;
            }
            times.add(new PartitionTime(query, t.path("topic").asText(), t.path("partition").asInt(), t.path("max_timestamp").asLong()));
        }
        return times;
    }

    /**
     * The partitions {@code partitions}, for each windowed query of {@code plan}, as not read from
     * yet ({@link Long#MIN_VALUE}): a partition a node owns holds back the dropping of old windows
     * until it has been read from, saved time or not.
     */
    public static List<PartitionTime> unread(Plan plan, Collection<TopicPartition> partitions) {
        List<PartitionTime> out = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            for (int q = 0; q < plan.queries().size(); q++) {
                if (plan.queries().get(q).window().isPresent()) {
                    out.add(new PartitionTime(q, tp.topic(), tp.partition(), Long.MIN_VALUE));
                }
            }
        }
        return out;
    }

    /** The running state in {@code rows} (the JSON output rows of {@code query}, one per group) as a frame shaped like its output. */
    public static Frame runningFrame(Plan plan, Query query, Collection<byte[]> rows, String topic) {
        List<JsonNode> parsed = new ArrayList<>(rows.size());
        for (byte[] row : rows) {
            parsed.add(parse(row, topic));
        }
        List<Column> columns = new ArrayList<>();
        if (query.window().isPresent()) {
            columns.add(column(Window.START, ColumnType.LONG, parsed, topic));
            columns.add(column(Window.END, ColumnType.LONG, parsed, topic));
        }
        for (GroupKey k : query.keys()) {
            columns.add(column(k.alias(), plan.keyType(query, k), parsed, topic));
        }
        for (Aggregate a : query.aggregates()) {
            columns.add(column(a.alias(), plan.aggregateType(a), parsed, topic));
        }
        return new Frame(columns, query.keyColumnCount(), parsed.size());
    }

    private static JsonNode parse(byte[] value, String topic) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException("a state record of " + topic + " is not JSON: " + e.getMessage(), e);
        }
    }

    private static Column column(String name, ColumnType type, List<JsonNode> rows, String topic) {
        int n = rows.size();
        for (JsonNode row : rows) {
            if (!row.hasNonNull(name)) {
                throw new IllegalStateException("a state record of " + topic + " has no '" + name + "': " + row);
            }
        }
        switch (type) {
            case LONG: {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = rows.get(i).get(name).asLong();
                }
                return new LongColumn(name, v, n);
            }
            case DOUBLE: {
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = rows.get(i).get(name).asDouble();
                }
                return new DoubleColumn(name, v, n);
            }
            default: {
                List<byte[]> v = new ArrayList<>(n);
                for (JsonNode row : rows) {
                    v.add(row.get(name).asText().getBytes(StandardCharsets.UTF_8));
                }
                return Utf8Column.ofBytes(name, v);
            }
        }
    }
}
