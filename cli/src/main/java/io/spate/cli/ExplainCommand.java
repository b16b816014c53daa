package io.spate.cli;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.typesafe.config.Config;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import io.spate.Pipeline;
import io.spate.SpateSettings;
import io.spate.internal.compute.Backends;
import io.spate.internal.config.PipelineConfig;
import io.spate.internal.config.NodeConfig;

/**
 * {@code spate explain}: the pipelines of a config file and, per output, which backend runs it and
 * where each step runs there (on a GPU node: which steps run on the device and which on the host,
 * and why a step falls back). Reads no Kafka topic.
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Print, per pipeline and output, which backend runs it and where each step runs (device or host, and why).")
public final class ExplainCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "HOCON file defining spate.pipelines")
    File config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override any config key, e.g. --set spate.gpu.enabled=on")
    List<String> sets = new ArrayList<>();

    @Override
    public Integer call() {
        Config cfg = NodeConfig.load(config, null, sets);
        for (Pipeline p : PipelineConfig.pipelines(cfg)) {
            System.out.println("pipeline " + p.name() + " (" + p.plan().format().name() + " from " + String.join(", ", p.topics()) + ")");
            for (String line : Backends.explain(SpateSettings.create(cfg), p.plan())) {
                System.out.println("  " + line);
            }
        }
        return 0;
    }
}
