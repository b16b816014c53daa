package io.spate.internal.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.pekko.kafka.ConsumerSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Function1;

import io.spate.Pipeline;
import io.spate.PipelineStartException;
import io.spate.PipelineStartException.Problem;
import io.spate.SpateSettings;

/** Builds the connector's consumer, producer and committer settings, and creates topics. */
public final class KafkaClients {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaClients.class);

    private KafkaClients() {
    }

    /** Consumer settings for {@code pipeline}: byte[] keys and values, its group, its starting offset. */
    public static ConsumerSettings<byte[], byte[]> consumer(SpateSettings settings, Pipeline pipeline) {
        return consumer(settings, pipeline, ClientListener.NONE);
    }

    /** {@link #consumer(SpateSettings, Pipeline)}, telling {@code clients} of each consumer the connector makes with them. */
    public static ConsumerSettings<byte[], byte[]> consumer(SpateSettings settings, Pipeline pipeline, ClientListener clients) {
        Map<String, String> props = new HashMap<>(settings.consumerProperties());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, pipeline.startingOffset().name().toLowerCase(Locale.ROOT));
        ConsumerSettings<byte[], byte[]> connector = ConsumerSettings.create(settings.config().getConfig("pekko.kafka.consumer"),
                        new ByteArrayDeserializer(), new ByteArrayDeserializer())
                .withBootstrapServers(settings.bootstrapServers())
                .withGroupId(pipeline.groupId())
                .withProperties(props)
                // The stream stops through DrainingControl, which already waits for the last commits;
                // the connector's default 30 s delay would only hold up shutdown.
                .withStopTimeout(Duration.ZERO);
        if (clients == ClientListener.NONE) {
            return connector;
        }
        Function1<ConsumerSettings<byte[], byte[]>, Consumer<byte[], byte[]>> make = connector.consumerFactory();
        return connector.withConsumerFactory(s -> {
            Consumer<byte[], byte[]> consumer = make.apply(s);
            clients.consumerOpened(consumer);
            return consumer;
        });
    }

    /**
     * An admin client that gives up after {@code spate.kafka.startup-timeout} rather than Kafka's
     * default minute: for the start checks, and for {@code spate status}, which asks within the same bound.
     */
    public static Admin startupAdmin(SpateSettings settings) {
        Map<String, Object> props = new HashMap<>(settings.clientProperties());
        int ms = (int) Math.min(Integer.MAX_VALUE, settings.startupTimeout().toMillis());
        props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        props.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
        return Admin.create(props);
    }

    /** An admin client for the node's cluster. */
    public static Admin admin(SpateSettings settings) {
        return Admin.create(new HashMap<>(settings.clientProperties()));
    }

    /** Creates the output and dead-letter topics of {@code pipeline} that do not exist yet. */
    public static void createOutputTopics(SpateSettings settings, Pipeline pipeline) {
        try (Admin admin = startupAdmin(settings)) {
            createOutputTopics(settings, admin, pipeline, Map.of());
        }
    }

    /**
     * Creates the output and dead-letter topics of {@code pipeline} that do not exist yet, with
     * {@code configs} (topic configs, e.g. {@code max.message.bytes}) beside Spate's own, through
     * {@code admin} (the start's one admin client).
     *
     * @throws PipelineStartException when one cannot be created, or does not exist and {@code spate.output.create-topics} is off
     */
    public static void createOutputTopics(SpateSettings settings, Admin admin, Pipeline pipeline, Map<String, String> configs) {
        List<String> wanted = new ArrayList<>(pipeline.outputTopics());
        wanted.add(pipeline.deadLetterTopic());
        // A running query's output is an upsert stream and its state's changelog: keep the last value per key.
        Set<String> compacted = new HashSet<>();
        for (int q = 0; q < pipeline.plan().queries().size(); q++) {
            if (pipeline.plan().queries().get(q).running()) {
                compacted.add(pipeline.outputTopics().get(q));
            }
        }
        if (pipeline.windowed()) {
            wanted.add(pipeline.eventTimeTopic());
            compacted.add(pipeline.eventTimeTopic());
        }
        createTopics(settings, admin, wanted, compacted, settings.output().partitions(), configs);
    }

    /** Creates the topics of {@code wanted} that do not exist yet (unless {@code spate.output.create-topics} is off). */
    public static void createTopics(SpateSettings settings, List<String> wanted) {
        createTopics(settings, wanted, settings.output().partitions());
    }

    /** Like {@link #createTopics(SpateSettings, List)}, with {@code partitions} partitions each. */
    public static void createTopics(SpateSettings settings, List<String> wanted, int partitions) {
        try (Admin admin = startupAdmin(settings)) {
            createTopics(settings, admin, wanted, partitions, Map.of());
        }
    }

    /** Like {@link #createTopics(SpateSettings, List, int)}, through {@code admin}, with topic {@code configs}. */
    public static void createTopics(SpateSettings settings, Admin admin, List<String> wanted, int partitions, Map<String, String> configs) {
        createTopics(settings, admin, wanted, Set.of(), partitions, configs);
    }

    /** The partition count of {@code topic}, waiting (up to 30 s) for a topic just created to show in the metadata. */
    public static int partitionCount(Admin admin, String topic) throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions().size();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    /**
     * Waits until the broker serves each partition of {@code topic} (its leader answers an offsets
     * request). A broker serves a new partition a little after the controller has created it, and
     * producing at once can lose records: an idempotent producer's first request fails, a later one
     * lands, and the first is then refused until it expires (KAFKA-15591). So topics Spate creates
     * are waited for before the first batch is produced to them.
     *
     * @throws IllegalStateException if they are not served within {@code timeout}
     */
    public static void awaitServed(Admin admin, String topic, Duration timeout) {
        awaitServed(admin, List.of(topic), timeout);
    }

    /**
     * {@link #awaitServed(Admin, String, Duration)} for several topics at once: one describe and one
     * offsets request for all of them a try, the tries 10 ms apart at first, up to 100 ms.
     */
    public static void awaitServed(Admin admin, Collection<String> topics, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMillis = 10;
        String names = String.join(", ", topics);
        while (true) {
            try {
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).forEach((topic, description) ->
                        description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
                admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException | TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the partitions of " + names + " are not served after " + timeout, e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the partitions of " + names, e);
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the partitions of " + names, e);
            }
            pauseMillis = Math.min(100, pauseMillis * 2);
        }
    }

    /**
     * Creates the missing topics of {@code wanted}, {@code partitions} each (-1: the broker's
     * default), compacted if in {@code compacted}, with {@code configs}; with
     * {@code spate.output.create-topics} off, checks that they exist. Gives up after
     * {@code spate.kafka.startup-timeout} with one line naming the topic and the cause.
     */
    private static void createTopics(SpateSettings settings, Admin admin, List<String> wanted, Set<String> compacted, int partitions,
                                     Map<String, String> configs) {
        int replication = settings.output().replicationFactor();
        Set<String> existing = Preflight.get(settings, admin.listTopics().names(), "list topics");
        List<String> absent = wanted.stream().distinct().filter(t -> !existing.contains(t)).toList();
        if (absent.isEmpty()) {
            return;
        }
        if (!settings.output().createTopics()) {
            throw new PipelineStartException(Problem.NO_OUTPUT_TOPIC, (absent.size() == 1 ? "output topic " : "output topics ")
                    + String.join(", ", absent) + (absent.size() == 1 ? " does" : " do") + " not exist at " + settings.bootstrapServers()
                    + " and spate.output.create-topics is false", null);
        }
        List<NewTopic> missing = absent.stream()
                .map(t -> {
                    Map<String, String> topicConfigs = new HashMap<>(configs);
                    if (compacted.contains(t)) {
                        topicConfigs.put("cleanup.policy", "compact");
                    }
                    return new NewTopic(t, partitions > 0 ? Optional.of(partitions) : Optional.empty(),
                            replication > 0 ? Optional.of((short) replication) : Optional.empty()).configs(topicConfigs);
                })
                .toList();
        List<String> created = new ArrayList<>();
        admin.createTopics(missing).values().forEach((name, f) -> {
            try {
                Preflight.get(settings, f, "create topic " + name);
                created.add(name);
            } catch (PipelineStartException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new PipelineStartException(e.problem() == Problem.UNREACHABLE ? Problem.TOPIC_NOT_CREATED : e.problem(),
                            "cannot create topic " + name + ": " + e.getMessage(), e.getCause());
                }
            }
        });
        if (!created.isEmpty()) {
            // All of them at once: each try asks about every new partition together.
            awaitServed(admin, created, Duration.ofSeconds(30));
            created.forEach(name -> LOG.info("created topic {}", name));
        }
    }
}
