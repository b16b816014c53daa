package io.spate.cli;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.typesafe.config.Config;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import io.spate.SpateSettings;
import io.spate.internal.node.Node;
import io.spate.internal.config.NodeConfig;

/** {@code spate run}: runs the pipelines a HOCON file defines, as a standalone node. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the pipelines of a config file until stopped (SIGTERM drains and exits 0), or until idle.")
public final class RunCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "HOCON file defining spate.pipelines")
    File config;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers (overrides spate.kafka.bootstrap-servers)")
    String bootstrap;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override any config key, e.g. --set spate.batch.max-records=10000")
    List<String> sets = new ArrayList<>();

    @Option(names = "--until-idle", description = "stop cleanly once every input partition is caught up and committed; "
            + "on a terminal, a progress bar on stderr shows the records read of the lag at the start")
    boolean untilIdle;

    @Override
    public Integer call() throws Exception {
        Config cfg = NodeConfig.load(config, bootstrap, sets);
        Node node = new Node(cfg);
        // On a terminal, the records read of the lag there was at the start, as spate demo shows them.
        AutoCloseable progress = untilIdle ? RunProgress.forNode(node, SpateSettings.create(cfg)) : () -> { };
        return NodeShutdown.startAndRun(node, untilIdle, System.out, progress);
    }
}
