package io.spate.internal.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.spate.PartitionTime;
import io.spate.Pipeline;
import io.spate.SpateSettings;
import io.spate.frame.Column;
import io.spate.frame.ColumnType;
import io.spate.frame.DoubleColumn;
import io.spate.frame.Frame;
import io.spate.frame.LongColumn;
import io.spate.frame.Utf8Column;
import io.spate.internal.compute.ComputeActor;
import io.spate.plan.Aggregate;
import io.spate.plan.GroupKey;
import io.spate.plan.Plan;
import io.spate.plan.Query;
import io.spate.plan.Window;
import io.spate.testkit.KafkaTopics;

/**
 * Restores running aggregates when a pipeline starts: a running query's output topic is its
 * changelog (an upsert stream keyed by group, as Kafka Streams uses a source topic as a changelog),
 * so its last value per key is the state to start from. Read with {@code read_committed}: in
 * exactly-once mode that is exactly the state the committed offsets belong to; in at-least-once
 * mode it may be ahead of them, and re-read records count again (at-least-once).
 */
public final class StateRestore {

    private static final Logger LOG = LoggerFactory.getLogger(StateRestore.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private StateRestore() {
    }

    /**
     * Before the first batch: restores every running and windowed query of {@code pipeline} into the
     * compute actor and the windowed queries' event time, when {@code spate.state.restore} is on;
     * and tells the windowed queries every partition of their input, so that one not read from yet
     * holds back the dropping of old windows.
     */
    public static void restore(SpateSettings settings, Pipeline pipeline, ActorRef<ComputeActor.Command> actor, ActorSystem<?> system) {
        boolean restore = settings.config().getBoolean("spate.state.restore");
        Plan plan = pipeline.plan();
        for (int q = 0; q < plan.queries().size() && restore; q++) {
            Query query = plan.queries().get(q);
            if (!query.running()) {
                continue;
            }
            String topic = pipeline.outputTopics().get(q);
            Frame saved;
            try {
                saved = read(settings, plan, query, topic);
            } catch (IOException e) {
                throw new IllegalStateException("cannot restore the running state of '" + query.name() + "' from " + topic, e);
            }
            int index = q;
            try {
                AskPattern.<ComputeActor.Command, org.apache.pekko.pattern.StatusReply<org.apache.pekko.Done>>ask(actor,
                                replyTo -> new ComputeActor.Restore(plan, index, saved, replyTo), Duration.ofMinutes(5), system.scheduler())
                        .toCompletableFuture().get(5, TimeUnit.MINUTES).getValue();
            } catch (Exception e) {
                throw new IllegalStateException("cannot restore the running state of '" + query.name() + "': " + e.getMessage(), e);
            }
            LOG.info("restored {} groups of {} from {}", saved.rows(), query.name(), topic);
        }
        if (pipeline.windowed()) {
            List<PartitionTime> times = new ArrayList<>(restore ? readTimes(settings, pipeline) : List.of());
            times.addAll(inputPartitions(settings, pipeline));
            try {
                AskPattern.<ComputeActor.Command, org.apache.pekko.pattern.StatusReply<org.apache.pekko.Done>>ask(actor,
                                replyTo -> new ComputeActor.RestoreTimes(plan, times, replyTo), Duration.ofMinutes(5), system.scheduler())
                        .toCompletableFuture().get(5, TimeUnit.MINUTES).getValue();
            } catch (Exception e) {
                throw new IllegalStateException("cannot restore the event time of " + pipeline.name() + ": " + e.getMessage(), e);
            }
            LOG.info("event time of {} ({} input partitions, saved times restored: {})", pipeline.name(), times.size(), restore);
        }
    }

    /** Every partition of the pipeline's input topics, for each windowed query, as not read from ({@link Long#MIN_VALUE}). */
    private static List<PartitionTime> inputPartitions(SpateSettings settings, Pipeline pipeline) {
        List<PartitionTime> out = new ArrayList<>();
        try (org.apache.kafka.clients.admin.Admin admin = io.spate.internal.kafka.KafkaClients.admin(settings)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<String> topics = pipeline.topics().stream().filter(existing::contains).toList();
            for (org.apache.kafka.clients.admin.TopicDescription d : admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values()) {
                for (org.apache.kafka.common.TopicPartitionInfo p : d.partitions()) {
                    for (int q = 0; q < pipeline.plan().queries().size(); q++) {
                        if (pipeline.plan().queries().get(q).window().isPresent()) {
                            out.add(new PartitionTime(q, d.name(), p.partition(), Long.MIN_VALUE));
                        }
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot list the partitions of " + pipeline.topics() + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** The last event time per windowed query and input partition saved in the pipeline's event-time changelog. */
    static List<PartitionTime> readTimes(SpateSettings settings, Pipeline pipeline) {
        Map<String, JsonNode> last = new LinkedHashMap<>();
        try {
            for (ConsumerRecord<byte[], byte[]> r : KafkaTopics.readAll(settings.bootstrapServers(), pipeline.eventTimeTopic())) {
                if (r.key() != null && r.value() != null) {
                    last.put(new String(r.key(), StandardCharsets.UTF_8), JSON.readTree(r.value()));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the event-time changelog " + pipeline.eventTimeTopic(), e);
        }
        List<PartitionTime> times = new ArrayList<>();
        for (JsonNode t : last.values()) {
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

    /** The last value per key of {@code topic}, as a frame shaped like the query's output. */
    static Frame read(SpateSettings settings, Plan plan, Query query, String topic) throws IOException {
        Map<String, JsonNode> last = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTopics.readAll(settings.bootstrapServers(), topic)) {
            last.put(r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8), JSON.readTree(r.value()));
        }
        List<JsonNode> rows = new ArrayList<>(last.values());
        List<Column> columns = new ArrayList<>();
        if (query.window().isPresent()) {
            columns.add(column(Window.START, ColumnType.LONG, rows));
            columns.add(column(Window.END, ColumnType.LONG, rows));
        }
        for (GroupKey k : query.keys()) {
            columns.add(column(k.alias(), keyType(plan, query, k), rows));
        }
        for (Aggregate a : query.aggregates()) {
            ColumnType input = a.column() == null ? ColumnType.LONG : plan.format().field(a.column()).orElseThrow().type();
            columns.add(column(a.alias(), Plan.resultType(a.fn(), input), rows));
        }
        return new Frame(columns, query.keyColumnCount(), rows.size());
    }

    private static ColumnType keyType(Plan plan, Query query, GroupKey key) {
        if (query.tokenize().isPresent() && key.column().equals(query.tokenize().get().alias())) {
            return ColumnType.UTF8;
        }
        return plan.format().field(key.column()).orElseThrow().type();
    }

    private static Column column(String name, ColumnType type, List<JsonNode> rows) {
        int n = rows.size();
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
