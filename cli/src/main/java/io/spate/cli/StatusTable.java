package io.spate.cli;

import java.io.PrintStream;
import java.util.List;

import io.spate.internal.node.GroupStatus;

/** The table {@code spate status} prints: a heading per group, its members, then one row per partition. */
final class StatusTable {

    private StatusTable() {
    }

    /** Prints {@code statuses}, read from the cluster at {@code bootstrap}, and their total lag. */
    static void print(PrintStream out, String bootstrap, List<GroupStatus> statuses) {
        out.println("Kafka at " + bootstrap + ": " + statuses.size() + (statuses.size() == 1 ? " consumer group" : " consumer groups"));
        for (GroupStatus s : statuses) {
            out.println();
            out.println(heading(s));
            for (GroupStatus.Member m : s.members()) {
                out.println("  member " + m.clientId() + " (" + m.host() + "): "
                        + (m.assignment().isEmpty() ? "no partitions" : String.join(", ", m.assignment())));
            }
            for (String topic : s.missingTopics()) {
                out.println("  topic " + topic + " does not exist");
            }
            if (!s.partitions().isEmpty()) {
                partitions(out, s.partitions());
            }
        }
        out.println();
        out.printf("total lag %,d%n", statuses.stream().mapToLong(GroupStatus::totalLag).sum());
    }

    /** {@code pipeline golden-signals, group spate-golden-signals: Stable, 1 member, lag 0}. */
    private static String heading(GroupStatus s) {
        String name = (s.pipeline() == null ? "" : "pipeline " + s.pipeline() + ", ") + "group " + s.group() + ": ";
        if (!s.exists()) {
            return name + "does not exist yet (no member has joined, nothing is committed), lag " + String.format("%,d", s.totalLag());
        }
        int n = s.members().size();
        return name + s.state() + ", " + n + (n == 1 ? " member" : " members") + ", lag " + String.format("%,d", s.totalLag());
    }

    private static void partitions(PrintStream out, List<GroupStatus.PartitionLag> rows) {
        int topicWidth = Math.max("topic".length(), rows.stream().mapToInt(r -> r.topic().length()).max().orElse(0));
        String format = "  %-" + topicWidth + "s %9s %14s %14s %12s  %s%n";
        out.printf(format, "topic", "partition", "committed", "end", "lag", "member");
        for (GroupStatus.PartitionLag r : rows) {
            out.printf(format, r.topic(), r.partition(), r.committed() == null ? "-" : String.format("%,d", r.committed()),
                    String.format("%,d", r.end()), String.format("%,d", r.lag()), r.owner() == null ? "-" : r.owner());
        }
    }
}
