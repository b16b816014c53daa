package io.spate.cli;

import java.util.ServiceLoader;
import java.util.concurrent.Callable;

import com.typesafe.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import io.spate.PipelineStartException;

/** The {@code spate} command: a standalone node, an embedded broker, and the demo. */
@Command(name = "spate", mixinStandardHelpOptions = true, versionProvider = SpateVersion.class,
        description = "GPU-accelerated, actor-based stream processing on Kafka.",
        subcommands = {RunCommand.class, ExplainCommand.class, ValidateCommand.class, BrokerCommand.class, DemoCommand.class, ReplayCommand.class, LoadCommand.class, TrainMfCommand.class, TrainMlpCommand.class})
public final class SpateCli implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Runs the CLI and exits with its code. */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit code (for tests). */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new SpateCli());
        for (CliExtension extension : ServiceLoader.load(CliExtension.class)) {
            cli.addSubcommand(extension.command());
        }
        SpateVersion.addTo(cli);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            // Configuration mistakes are the user's, not a crash: one clear line, no stack trace.
            if (e instanceof ConfigException || e instanceof IllegalArgumentException) {
                cmd.getErr().println("spate: " + e.getMessage());
                return 2;
            }
            // The cluster or its topics kept a pipeline from starting: one line naming the cause.
            if (e instanceof PipelineStartException start) {
                cmd.getErr().println("spate: " + start.getMessage());
                return start.configurationProblem() ? 2 : 3;
            }
            throw e;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
    }
}
