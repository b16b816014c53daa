package io.spate.internal.node;

import java.util.List;

/**
 * What the cluster says of one consumer group at one moment: its state, its members and, per
 * partition of the topics it reads, the committed offset, the end offset and the lag between them.
 * Serialised as it is by {@code spate status --json}.
 *
 * @param group the consumer group id
 * @param pipeline the pipeline (or scale-out stage) that reads with this group, or null when not known
 * @param exists false for a group the cluster has never heard of (no member has joined, nothing is committed)
 * @param state the group's state as Kafka names it ({@code Stable}, {@code Empty}, {@code PreparingRebalance}...)
 * @param members the members now in the group
 * @param partitions one entry per partition of the group's topics, by topic and partition
 * @param missingTopics topics the group should read that do not exist at the cluster
 * @param totalLag the lag summed over {@code partitions}
 */
public record GroupStatus(String group, String pipeline, boolean exists, String state, List<Member> members,
                          List<PartitionLag> partitions, List<String> missingTopics, long totalLag) {

    /** Copies the lists. */
    public GroupStatus {
        members = List.copyOf(members);
        partitions = List.copyOf(partitions);
        missingTopics = List.copyOf(missingTopics);
    }

    /**
     * One member of the group.
     *
     * @param clientId the member's {@code client.id}
     * @param host where it connects from, as the coordinator sees it
     * @param assignment the partitions it holds, as {@code topic-partition}
     */
    public record Member(String clientId, String host, List<String> assignment) {

        /** Copies the list. */
        public Member {
            assignment = List.copyOf(assignment);
        }
    }

    /**
     * Where the group stands on one partition.
     *
     * @param topic the topic
     * @param partition the partition
     * @param committed the group's committed offset, or null if it has committed none there
     * @param end the partition's end offset (the offset the next record produced will get)
     * @param lag records the group has yet to commit: {@code end - committed}; with nothing committed,
     *            what the group will read when it starts (from the log start, or none when it starts at the end)
     * @param owner the client id of the member that holds the partition, or null when none does
     */
    public record PartitionLag(String topic, int partition, Long committed, long end, long lag, String owner) {
    }
}
