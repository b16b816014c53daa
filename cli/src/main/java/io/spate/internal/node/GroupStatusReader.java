package io.spate.internal.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.typesafe.config.ConfigException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import io.spate.Pipeline;
import io.spate.PipelineStartException;
import io.spate.PipelineStartException.Problem;
import io.spate.SpateSettings;
import io.spate.internal.kafka.KafkaClients;
import io.spate.internal.kafka.Preflight;
import io.spate.internal.kafka.TlsListenerCheck;

/**
 * Reads consumer groups' state, members and lag from the cluster with the Admin API
 * (describeConsumerGroups, listConsumerGroupOffsets, listOffsets), with the node's client
 * properties. Each request gives up after {@code spate.kafka.startup-timeout} with the one-line
 * {@link PipelineStartException} a starting pipeline would fail with, so a cluster that does not
 * answer costs one timeout, not Kafka's default minute per request.
 */
public final class GroupStatusReader implements AutoCloseable {

    private static final Comparator<TopicPartition> BY_TOPIC_AND_PARTITION =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    private final SpateSettings settings;
    private final Admin admin;

    /**
     * A reader of the cluster of {@code settings}, which has answered once it returns.
     *
     * @throws PipelineStartException when the cluster does not answer in time or refuses the client
     */
    public GroupStatusReader(SpateSettings settings) {
        this.settings = settings;
        try {
            TlsListenerCheck.require(settings);
        } catch (ConfigException e) {
            throw new PipelineStartException(Problem.TLS_HANDSHAKE, e.getMessage(), e);
        }
        this.admin = KafkaClients.startupAdmin(settings);
        try {
            int ms = (int) Math.min(Integer.MAX_VALUE, settings.startupTimeout().toMillis());
            Preflight.get(settings, admin.describeCluster(new DescribeClusterOptions().timeoutMs(ms)).nodes(), "reach the cluster");
        } catch (RuntimeException e) {
            admin.close(Duration.ZERO);
            throw e;
        }
    }

    /** Every consumer group the cluster has, by name. */
    public List<String> groups() {
        return Preflight.get(settings, admin.listConsumerGroups().all(), "list consumer groups").stream()
                .map(ConsumerGroupListing::groupId).sorted().toList();
    }

    /** The status of the group of {@code pipeline}, over its source topics. */
    public GroupStatus read(Pipeline pipeline) {
        return read(pipeline.groupId(), pipeline.name(), pipeline.topics(), pipeline.startingOffset());
    }

    /** The records the groups of {@code pipelines} have yet to commit, summed. */
    public long lag(List<Pipeline> pipelines) {
        return pipelines.stream().mapToLong(p -> read(p).totalLag()).sum();
    }

    /**
     * The status of {@code group}.
     *
     * @param pipeline the pipeline reading with it, or null
     * @param topics the topics it should read; those it has committed offsets on or holds partitions of are added
     * @param start where it starts on a partition it has committed nothing on, for the lag there
     */
    public GroupStatus read(String group, String pipeline, List<String> topics, Pipeline.StartingOffset start) {
        ConsumerGroupDescription description = orNullIfNoGroup(admin.describeConsumerGroups(List.of(group)).describedGroups().get(group),
                "describe consumer group " + group);
        Map<TopicPartition, OffsetAndMetadata> committed = orNullIfNoGroup(
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(), "read the offsets of consumer group " + group);
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        if (committed != null) {
            committed.forEach((tp, o) -> {
                if (o != null) {
                    offsets.put(tp, o);
                }
            });
        }
        List<GroupStatus.Member> members = new ArrayList<>();
        Map<TopicPartition, String> owners = new HashMap<>();
        Set<String> extraTopics = new TreeSet<>(offsets.keySet().stream().map(TopicPartition::topic).toList());
        if (description != null) {
            for (MemberDescription m : description.members()) {
                List<TopicPartition> held = m.assignment().topicPartitions().stream().sorted(BY_TOPIC_AND_PARTITION).toList();
                held.forEach(tp -> owners.put(tp, m.clientId()));
                held.forEach(tp -> extraTopics.add(tp.topic()));
                members.add(new GroupStatus.Member(m.clientId(), m.host(), held.stream().map(TopicPartition::toString).toList()));
            }
            members.sort(Comparator.comparing(GroupStatus.Member::clientId));
        }
        Set<String> allTopics = new LinkedHashSet<>(topics);
        allTopics.addAll(extraTopics);
        List<String> missing = new ArrayList<>();
        List<TopicPartition> partitions = partitions(allTopics, missing);
        Map<TopicPartition, ListOffsetsResultInfo> ends = offsets(partitions, OffsetSpec.latest());
        Map<TopicPartition, ListOffsetsResultInfo> starts = start == Pipeline.StartingOffset.EARLIEST
                ? offsets(partitions.stream().filter(tp -> !offsets.containsKey(tp)).toList(), OffsetSpec.earliest()) : Map.of();
        List<GroupStatus.PartitionLag> lags = new ArrayList<>();
        long total = 0;
        for (TopicPartition tp : partitions) {
            long end = ends.get(tp).offset();
            OffsetAndMetadata c = offsets.get(tp);
            long from = c != null ? c.offset() : starts.containsKey(tp) ? starts.get(tp).offset() : end;
            long lag = Math.max(0, end - from);
            total += lag;
            lags.add(new GroupStatus.PartitionLag(tp.topic(), tp.partition(), c == null ? null : c.offset(), end, lag, owners.get(tp)));
        }
        boolean exists = description != null && description.state() != ConsumerGroupState.DEAD || !offsets.isEmpty();
        String state = description == null ? ConsumerGroupState.DEAD.toString() : description.state().toString();
        return new GroupStatus(group, pipeline, exists, state, members, lags, missing, total);
    }

    /** The partitions of {@code topics}, by topic and partition; the topics that do not exist go to {@code missing}. */
    private List<TopicPartition> partitions(Set<String> topics, List<String> missing) {
        List<TopicPartition> out = new ArrayList<>();
        if (topics.isEmpty()) {
            return out;
        }
        Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(topics).topicNameValues();
        for (String topic : topics) {
            try {
                Preflight.get(settings, described.get(topic), "describe topic " + topic).partitions()
                        .forEach(p -> out.add(new TopicPartition(topic, p.partition())));
            } catch (PipelineStartException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                missing.add(topic);
            }
        }
        out.sort(BY_TOPIC_AND_PARTITION);
        return out;
    }

    private Map<TopicPartition, ListOffsetsResultInfo> offsets(List<TopicPartition> partitions, OffsetSpec spec) {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        String topics = String.join(", ", new TreeSet<>(partitions.stream().map(TopicPartition::topic).toList()));
        return Preflight.get(settings, admin.listOffsets(request).all(), "list the offsets of " + topics);
    }

    /** The value of {@code future}, or null when it failed because the group does not exist. */
    private <T> T orNullIfNoGroup(KafkaFuture<T> future, String what) {
        try {
            return Preflight.get(settings, future, what);
        } catch (PipelineStartException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return null;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
