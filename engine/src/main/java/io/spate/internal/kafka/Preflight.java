package io.spate.internal.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.typesafe.config.ConfigException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.spate.Pipeline;
import io.spate.PipelineStartException;
import io.spate.PipelineStartException.Problem;
import io.spate.SpateSettings;

/**
 * What a pipeline checks before it reads anything, each within {@code spate.kafka.startup-timeout}
 * and failing with one line that names the cause ({@link PipelineStartException}): that a broker
 * answers (and the TLS handshake and login succeed), that its source topics exist, and how large
 * their records may be, so that the topics Spate creates and its producer can hold what the input
 * holds: a record never stops a stream by being too large to write.
 */
public final class Preflight {

    private static final Logger LOG = LoggerFactory.getLogger(Preflight.class);
    /** Kafka's default {@code max.message.bytes} and producer {@code max.request.size}. */
    private static final int KAFKA_DEFAULT_MESSAGE_BYTES = 1_048_588;
    /** Room for a record's framing and Spate's headers beside the bytes it carries. */
    private static final int FRAMING = 64 * 1024;
    /** Below the brokers' default {@code socket.request.max.bytes} (100 MiB), which caps any produce request. */
    private static final int LARGEST_REQUEST = 100 * 1024 * 1024 - FRAMING;

    private final int largestInput;
    private final int maxRequestSize;

    private Preflight(int largestInput, int maxRequestSize) {
        this.largestInput = largestInput;
        this.maxRequestSize = maxRequestSize;
    }

    /**
     * Checks that the cluster answers and that {@code pipeline}'s source topics exist (or says
     * that it waits for them, with {@code spate.source.await-topics}), and reads how large their
     * records may be.
     *
     * @throws PipelineStartException when the cluster does not answer in time, refuses the client, or a source topic is missing
     */
    public static Preflight check(SpateSettings settings, Pipeline pipeline, Admin admin) {
        try {
            // Kafka's clients only retry against a plaintext listener until they time out: ask it first.
            TlsListenerCheck.require(settings);
        } catch (ConfigException e) {
            throw new PipelineStartException(Problem.TLS_HANDSHAKE, e.getMessage(), e);
        }
        long ms = settings.startupTimeout().toMillis();
        get(settings, admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) ms)).nodes(), "reach the cluster");
        List<String> missing = new ArrayList<>();
        List<ConfigResource> present = new ArrayList<>();
        Map<String, KafkaFuture<TopicDescription>> topics =
                admin.describeTopics(pipeline.topics()).topicNameValues();
        for (String topic : pipeline.topics()) {
            try {
                get(settings, topics.get(topic), "describe topic " + topic);
                present.add(new ConfigResource(ConfigResource.Type.TOPIC, topic));
            } catch (PipelineStartException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                missing.add(topic);
            }
        }
        if (!missing.isEmpty()) {
            if (!settings.source().awaitTopics()) {
                throw new PipelineStartException(Problem.NO_INPUT_TOPIC, (missing.size() == 1 ? "input topic " : "input topics ")
                        + String.join(", ", missing) + " of pipeline " + pipeline.name() + (missing.size() == 1 ? " does" : " do")
                        + " not exist at " + settings.bootstrapServers()
                        + " (a misspelt name? set spate.source.await-topics = true to wait for it)", null);
            }
            LOG.warn("pipeline {}: source topic(s) {} do not exist yet; waiting for them (spate.source.await-topics)", pipeline.name(),
                    missing);
        }
        int largest = KAFKA_DEFAULT_MESSAGE_BYTES;
        if (!present.isEmpty()) {
            Map<ConfigResource, Config> configs = get(settings, admin.describeConfigs(present).all(), "read the source topics' configs");
            for (Config c : configs.values()) {
                largest = Math.max(largest, intValue(c, TopicConfig.MAX_MESSAGE_BYTES_CONFIG, KAFKA_DEFAULT_MESSAGE_BYTES));
            }
        }
        int configured = Integer.parseInt(settings.producerProperties().getOrDefault(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                Integer.toString(KAFKA_DEFAULT_MESSAGE_BYTES)));
        return new Preflight(largest, Math.max(configured, createdTopicMessageBytes(largest)));
    }

    /** The largest record a source topic of the pipeline may hold (its {@code max.message.bytes}, the most of them). */
    public int largestInput() {
        return largestInput;
    }

    /**
     * The {@code max.message.bytes} of the topics Spate creates for the pipeline: room for a
     * record as large as the largest input one twice over (a result repeats its group key in its
     * key and value) plus framing, and never below Kafka's default.
     */
    public Map<String, String> createdTopicConfigs() {
        return Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(createdTopicMessageBytes(largestInput)));
    }

    private static int createdTopicMessageBytes(int largestInput) {
        return (int) Math.min(LARGEST_REQUEST, Math.max(KAFKA_DEFAULT_MESSAGE_BYTES, 2L * largestInput + FRAMING));
    }

    /** {@code settings} with a producer {@code max.request.size} that lets through what the created topics hold. */
    public SpateSettings producerSettings(SpateSettings settings) {
        return settings.withProducerProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(maxRequestSize));
    }

    /**
     * The largest dead letter the pipeline can write whole: the smaller of its dead-letter topic's
     * {@code max.message.bytes} and the producer's request limit, less framing. Call it once the
     * topic exists; a dead letter above it is written truncated.
     */
    public int deadLetterMaxBytes(SpateSettings settings, Admin admin, Pipeline pipeline) {
        ConfigResource dlq = new ConfigResource(ConfigResource.Type.TOPIC, pipeline.deadLetterTopic());
        int topicLimit;
        try {
            Config c = get(settings, admin.describeConfigs(List.of(dlq)).all(), "read the dead-letter topic's config").get(dlq);
            topicLimit = intValue(c, TopicConfig.MAX_MESSAGE_BYTES_CONFIG, KAFKA_DEFAULT_MESSAGE_BYTES);
        } catch (PipelineStartException e) {
            // Not there (create-topics off, and the check of the outputs comes after): the default.
            topicLimit = KAFKA_DEFAULT_MESSAGE_BYTES;
        }
        return Math.max(1024, Math.min(topicLimit, maxRequestSize) - FRAMING);
    }

    private static int intValue(Config config, String name, int orElse) {
        ConfigEntry entry = config == null ? null : config.get(name);
        if (entry == null || entry.value() == null) {
            return orElse;
        }
        try {
            return Integer.parseInt(entry.value());
        } catch (NumberFormatException e) {
            return orElse;
        }
    }

    /**
     * The value of {@code future}, or the start failure that says in one line why there is none;
     * public so that other one-shot Kafka requests (the CLI's {@code spate status}) fail the same way.
     */
    public static <T> T get(SpateSettings settings, KafkaFuture<T> future, String what) {
        long ms = settings.startupTimeout().toMillis();
        try {
            return future.get(ms + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw failure(settings, e.getCause(), what);
        } catch (java.util.concurrent.TimeoutException e) {
            // The future's own wait ran out (the client's timeout should have come first): the same verdict.
            throw failure(settings, new TimeoutException(e.getMessage()), what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while trying to " + what, e);
        }
    }

    /** The start failure {@code cause} means, told in the user's terms. */
    static PipelineStartException failure(SpateSettings settings, Throwable cause, String what) {
        String at = settings.bootstrapServers();
        if (cause instanceof SslAuthenticationException) {
            return new PipelineStartException(Problem.TLS_HANDSHAKE, "TLS handshake with Kafka at " + at + " failed (is the listener "
                    + "plaintext, or its certificate not trusted?): " + rootMessage(cause), cause);
        }
        if (cause instanceof AuthenticationException) {
            return new PipelineStartException(Problem.NOT_AUTHORIZED, "Kafka at " + at + " refused the login: " + rootMessage(cause), cause);
        }
        if (cause instanceof AuthorizationException) {
            return new PipelineStartException(Problem.NOT_AUTHORIZED, "Kafka at " + at + " refused to let this client " + what + ": "
                    + rootMessage(cause), cause);
        }
        if (cause instanceof TimeoutException) {
            return new PipelineStartException(Problem.UNREACHABLE, "no Kafka broker reachable at " + at + " (after "
                    + settings.startupTimeout().toSeconds() + " s trying to " + what + "; spate.kafka.startup-timeout)", cause);
        }
        if (cause instanceof UnknownTopicOrPartitionException) {
            return new PipelineStartException(Problem.NO_INPUT_TOPIC, "cannot " + what + ": " + rootMessage(cause), cause);
        }
        return new PipelineStartException(Problem.UNREACHABLE, "cannot " + what + " at " + at + ": " + rootMessage(cause), cause);
    }

    private static String rootMessage(Throwable t) {
        Throwable root = rootCause(t);
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /** The innermost cause of {@code t} (itself when it has none): what a one-line error should name. */
    public static Throwable rootCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
