package io.spate;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

import io.spate.internal.kafka.TopicNames;
import io.spate.plan.Inference;
import io.spate.plan.InputFormat;
import io.spate.plan.Plan;
import io.spate.plan.Query;

/**
 * A complete streaming job: Kafka topics in, one plan per batch, one output topic per query, and a
 * dead-letter topic for records that do not decode. Immutable; build one with {@link #builder}:
 *
 * <pre>{@code
 * Pipeline goldenSignals = Pipeline.builder("golden-signals")
 *         .source("weblogs")
 *         .format(new ClfFormat())
 *         .output("traffic", q -> q.groupBy("host").count("requests"))
 *         .output("errors", q -> q.where("status >= 500").groupBy("host", "status as response").count("errors"))
 *         .output("mb-sent", q -> q.groupBy("host").sum("bytes", "bytes"))
 *         .build();
 * }</pre>
 *
 * @param name the pipeline's name (logs, metrics, default group id {@code spate-NAME})
 * @param topics the input topics
 * @param groupId the Kafka consumer group
 * @param startingOffset where a group without committed offsets starts
 * @param plan the work on each batch
 * @param outputTopics the topic of each output of the plan: its queries, then its inferences
 * @param deadLetterTopic where malformed records go
 * @param batch batch limits for this pipeline, or empty for the node's defaults
 */
public record Pipeline(String name, List<String> topics, String groupId, StartingOffset startingOffset, Plan plan,
                       List<String> outputTopics, String deadLetterTopic, Optional<BatchSettings> batch) {

    /** Where a consumer group without committed offsets starts reading. */
    public enum StartingOffset {
        /** the oldest retained record (what Kafka Streams does) */
        EARLIEST,
        /** only records produced after the pipeline starts */
        LATEST
    }

    /** Checks the parts. */
    public Pipeline {
        Objects.requireNonNull(name, "name");
        topics = List.copyOf(topics);
        outputTopics = List.copyOf(outputTopics);
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(startingOffset, "startingOffset");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
        Objects.requireNonNull(batch, "batch");
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("pipeline '" + name + "' has no source topic");
        }
        if (outputTopics.size() != plan.outputCount()) {
            throw new IllegalArgumentException("pipeline '" + name + "': one output topic per query and inference is needed");
        }
        topics.forEach(t -> checkName(name, "source", t));
        outputTopics.forEach(t -> checkName(name, "output", t));
        checkName(name, "dead-letter", deadLetterTopic);
        // A topic both read and written loops: what is written is read again and written again, for ever.
        for (String t : outputTopics) {
            if (topics.contains(t)) {
                throw new IllegalArgumentException("pipeline '" + name + "': output topic '" + t
                        + "' is also a source topic; its results would be read again as input");
            }
        }
        if (topics.contains(deadLetterTopic)) {
            throw new IllegalArgumentException("pipeline '" + name + "': dead-letter topic '" + deadLetterTopic
                    + "' is also a source topic; dead letters would be read again");
        }
    }

    private static void checkName(String pipeline, String role, String topic) {
        try {
            TopicNames.valid(topic);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pipeline '" + pipeline + "': " + role + " topic: " + e.getMessage());
        }
    }

    /**
     * The compacted changelog of the windowed queries' event time: the largest timestamp each has
     * seen per input partition, written with the outputs (in their transaction, exactly-once) and
     * read back when the pipeline starts.
     */
    public String eventTimeTopic() {
        return groupId + "-event-time-changelog";
    }

    /** Whether some query of the plan has event-time windows. */
    public boolean windowed() {
        return plan.queries().stream().anyMatch(q -> q.window().isPresent());
    }

    /** A builder for a pipeline named {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Fluent builder of a {@link Pipeline}. */
    public static final class Builder {
        private final String name;
        private final List<String> topics = new ArrayList<>();
        private String groupId;
        private StartingOffset startingOffset = StartingOffset.EARLIEST;
        private InputFormat format;
        private final List<Query> queries = new ArrayList<>();
        private final List<String> queryTopics = new ArrayList<>();
        private final List<Inference> inferences = new ArrayList<>();
        private final List<String> inferenceTopics = new ArrayList<>();
        private String deadLetterTopic;
        private BatchSettings batch;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** Adds input topics. */
        public Builder source(String... topics) {
            this.topics.addAll(List.of(topics));
            return this;
        }

        /** The consumer group (default {@code spate-NAME}). */
        public Builder groupId(String groupId) {
            this.groupId = groupId;
            return this;
        }

        /** Where a group without committed offsets starts (default earliest). */
        public Builder startingOffset(StartingOffset startingOffset) {
            this.startingOffset = startingOffset;
            return this;
        }

        /** How records are decoded. */
        public Builder format(InputFormat format) {
            this.format = format;
            return this;
        }

        /** Adds a query, written to {@code topic} (the query is named by the topic). */
        public Builder output(String topic, UnaryOperator<Query.Builder> query) {
            return output(topic, query.apply(Query.builder(topic)).build());
        }

        /** Adds a query, written to {@code topic}. */
        public Builder output(String topic, Query query) {
            queries.add(query);
            queryTopics.add(topic);
            return this;
        }

        /** Adds a model answering every record, written to {@code topic}. */
        public Builder output(String topic, Inference inference) {
            inferences.add(inference);
            inferenceTopics.add(topic);
            return this;
        }

        /** The dead-letter topic (default: the first source topic + {@code .dlq}). */
        public Builder deadLetterTopic(String topic) {
            this.deadLetterTopic = topic;
            return this;
        }

        /** Batch limits for this pipeline (default: the node's). */
        public Builder batch(BatchSettings batch) {
            this.batch = batch;
            return this;
        }

        /** The pipeline; throws {@link IllegalArgumentException} naming what is wrong. */
        public Pipeline build() {
            if (format == null) {
                throw new IllegalArgumentException("pipeline '" + name + "' has no format");
            }
            if (topics.isEmpty()) {
                throw new IllegalArgumentException("pipeline '" + name + "' has no source topic");
            }
            List<String> outputTopics = new ArrayList<>(queryTopics);
            outputTopics.addAll(inferenceTopics);
            return new Pipeline(name, topics, groupId != null ? groupId : "spate-" + name, startingOffset,
                    new Plan(format, queries, inferences), outputTopics,
                    deadLetterTopic != null ? deadLetterTopic : topics.get(0) + ".dlq", Optional.ofNullable(batch));
        }
    }
}
