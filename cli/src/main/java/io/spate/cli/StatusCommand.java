package io.spate.cli;

import java.io.File;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import io.spate.Pipeline;
import io.spate.SpateSettings;
import io.spate.internal.config.NodeConfig;
import io.spate.internal.config.PipelineConfig;
import io.spate.internal.node.GroupStatus;
import io.spate.internal.node.GroupStatusReader;
import io.spate.internal.state.ScaleOut;

/**
 * {@code spate status}: where the consumer groups of a node's pipelines stand, from the cluster's
 * Admin API: each group's state and members, and per partition the committed offset, the end
 * offset and the lag. With {@code --config}, the groups of its pipelines (and of their scale-out
 * merge stages), including those that have not started yet, whose lag is what they will read
 * first; without it, every consumer group of the cluster, as {@code kafka-consumer-groups
 * --describe --all-groups} shows them, for a look at a cluster whose node config is not at hand.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Consumer group state, members, committed and end offsets and lag per partition, of the pipelines "
                + "of a config file (or of every group of the cluster without --config). Exit 3 if the cluster does not answer "
                + "within spate.kafka.startup-timeout.")
public final class StatusCommand implements Callable<Integer> {

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers (overrides spate.kafka.bootstrap-servers)")
    String bootstrap;

    @Option(names = "--config", paramLabel = "FILE", description = "HOCON file defining spate.pipelines: show their groups; "
            + "without it, every consumer group of the cluster")
    File config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override any config key, as spate run takes it")
    List<String> sets = new ArrayList<>();

    @Option(names = "--group", paramLabel = "GROUP", description = "show only this consumer group (repeatable)")
    List<String> groups = new ArrayList<>();

    @Option(names = "--json", description = "print one JSON document instead of the table")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Config cfg = NodeConfig.load(config, bootstrap, sets);
        SpateSettings settings = SpateSettings.create(cfg);
        List<Pipeline> readers = config == null ? List.of() : readers(settings, cfg);
        List<GroupStatus> statuses = new ArrayList<>();
        try (GroupStatusReader reader = new GroupStatusReader(settings)) {
            if (config != null) {
                for (Pipeline p : readers) {
                    if (groups.isEmpty() || groups.contains(p.groupId())) {
                        statuses.add(reader.read(p));
                    }
                }
            } else {
                for (String group : groups.isEmpty() ? reader.groups() : groups) {
                    statuses.add(reader.read(group, null, List.of(), settings.source().startingOffset()));
                }
            }
        }
        PrintStream out = System.out;
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("bootstrapServers", settings.bootstrapServers());
            doc.put("groups", statuses);
            doc.put("totalLag", statuses.stream().mapToLong(GroupStatus::totalLag).sum());
            out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(doc));
        } else {
            StatusTable.print(out, settings.bootstrapServers(), statuses);
        }
        out.flush();
        return 0;
    }

    /**
     * The pipelines of the config and, for those run in stages, each merge stage, which reads with
     * a group of its own. A pipeline that types its columns from its topics (infer-types) makes
     * this read them, as {@code spate run} would.
     */
    private static List<Pipeline> readers(SpateSettings settings, Config cfg) {
        List<PipelineConfig.Checked> checked = PipelineConfig.check(cfg, false);
        if (checked.isEmpty()) {
            throw new ConfigException.BadValue("spate.pipelines", "no pipeline to show");
        }
        List<Pipeline> pipelines = checked.stream().allMatch(c -> c.pipeline().isPresent())
                ? checked.stream().map(c -> c.pipeline().orElseThrow()).toList()
                : PipelineConfig.pipelines(cfg);
        List<Pipeline> readers = new ArrayList<>();
        for (Pipeline p : pipelines) {
            readers.addAll(ScaleOut.applies(settings, p) ? ScaleOut.stages(p) : List.of(p));
        }
        return readers;
    }
}
