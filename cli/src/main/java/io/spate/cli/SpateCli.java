package io.spate.cli;

import java.util.ServiceLoader;
import java.util.concurrent.Callable;

import com.typesafe.config.ConfigException;
import picocli.CommandLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

import io.spate.PipelineStartException;

/** The {@code spate} command: a standalone node, an embedded broker, and the demo. */
@Command(name = "spate", mixinStandardHelpOptions = true, versionProvider = SpateVersion.class,
        description = "GPU-accelerated, actor-based stream processing on Kafka.",
        subcommands = {RunCommand.class, StatusCommand.class, ExplainCommand.class, ValidateCommand.class, BrokerCommand.class, DemoCommand.class, ReplayCommand.class, LoadCommand.class, TrainMfCommand.class, TrainMlpCommand.class})
public final class SpateCli implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(SpateCli.class);

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
        cli.setParameterExceptionHandler(SpateCli::usageError);
        SpateVersion.addTo(cli);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            // Mistakes in what the user gave are not a crash: one clear line, the stack trace only at debug level.
            String mistake = mistake(e);
            if (mistake != null) {
                LOG.debug("spate {} failed", cmd.getCommandName(), e);
                cmd.getErr().println("spate: " + mistake);
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

    /** One line for a command line picocli cannot take (picocli's own handler adds the whole usage help). */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        StringBuilder line = new StringBuilder("spate: ").append(e.getMessage());
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            line.append("; did you mean ").append(String.join(" or ", u.getSuggestions())).append('?');
        }
        line.append(" (see '").append(cmd.getCommandSpec().qualifiedName()).append(" --help')");
        cmd.getErr().println(line);
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    /**
     * What the user got wrong, if {@code e} is such a mistake: a bad config or option value, or a
     * Kafka client setting its client refuses (a bootstrap host that does not resolve); else null.
     */
    private static String mistake(Throwable e) {
        if (e instanceof ConfigException || e instanceof IllegalArgumentException) {
            return e.getMessage();
        }
        return KafkaErrors.refusedSetting(e);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
    }
}
