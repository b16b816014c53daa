package io.spate.cli;

import java.io.File;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import io.spate.Pipeline;
import io.spate.internal.config.NodeConfig;
import io.spate.internal.config.PipelineConfig;

/**
 * {@code spate validate}: reads a config file as {@code spate run} would (the same layers, the same
 * settings and plan checks) and prints one line per pipeline, without a broker. What {@code spate
 * explain} does, less the per-backend detail; a mistake exits 2 naming the key, as {@code run}
 * would before starting anything.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check a config file without a broker: parse it and plan every pipeline; "
                + "one line per pipeline (name, topics, outputs), or exit 2 naming the key at fault.")
public final class ValidateCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "HOCON file defining spate.pipelines")
    File config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override any config key, as spate run takes it")
    List<String> sets = new ArrayList<>();

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers to read the first records of a pipeline with format.infer-types = true from; "
                    + "without it such a pipeline is named as not checked, and no broker is contacted")
    String bootstrap;

    @Override
    public Integer call() {
        Config cfg = NodeConfig.load(config, bootstrap, sets);
        // Reads the node's settings (SpateSettings) first, as a starting node does.
        List<PipelineConfig.Checked> checked = PipelineConfig.check(cfg, bootstrap != null);
        if (checked.isEmpty()) {
            throw new ConfigException.BadValue("spate.pipelines", "no pipeline to run");
        }
        PrintStream out = System.out;
        for (PipelineConfig.Checked c : checked) {
            out.println(c.pipeline().map(ValidateCommand::line).orElseGet(() -> c.name()
                    + ": not checked: format.infer-types = true types its columns from the first records of its topics; "
                    + "give --bootstrap to check it against them"));
        }
        return 0;
    }

    /** {@code golden-signals: clf from weblogs -> traffic, errors, mb-sent}. */
    private static String line(Pipeline p) {
        return p.name() + ": " + p.plan().format().name() + " from " + String.join(", ", p.topics())
                + " -> " + String.join(", ", p.outputTopics());
    }
}
