package io.spate.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.spate.broker.BrokerSettings;
import io.spate.broker.EmbeddedKafkaBroker;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code spate broker}: runs a single-node Kafka broker (KRaft, broker and controller in one
 * process) until the JVM is asked to stop, then shuts it down cleanly. The data directory is kept,
 * so a restart finds its topics and committed offsets again.
 */
@Command(name = "broker",
        description = "Runs a single-node Kafka broker (KRaft mode) until stopped with Ctrl-C or SIGTERM.")
public final class BrokerCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    // Help only: a subcommand's --version would print nothing, the top-level command owns it.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    private boolean help;

    @Option(names = "--port", defaultValue = "9092", description = "Client port (0 picks a free one). Default: ${DEFAULT-VALUE}.")
    private int port;

    @Option(names = "--data-dir", defaultValue = "./data/broker",
            description = "Where the broker keeps its logs; kept between runs. Default: ${DEFAULT-VALUE}.")
    private Path dataDir;

    @Option(names = "--host", defaultValue = BrokerSettings.DEFAULT_HOST,
            description = "Host to bind and advertise; 0.0.0.0 binds every interface. Default: ${DEFAULT-VALUE}.")
    private String host;

    @Option(names = "--partitions", defaultValue = "1",
            description = "Partitions of a topic created without a count. Default: ${DEFAULT-VALUE}.")
    private int partitions;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Any other broker property, e.g. --set log.retention.hours=24. Repeatable.")
    private Map<String, String> properties = new LinkedHashMap<>();

    /** The command with its defaults; picocli fills the options. */
    public BrokerCommand() {
    }

    /**
     * Starts the broker, prints where it listens, and blocks until a shutdown hook has closed it.
     *
     * @return 0 once the broker has stopped, 1 if it could not start
     */
    @Override
    public Integer call() throws InterruptedException {
        BrokerSettings settings;
        try {
            settings = BrokerSettings.create()
                    .withPort(port)
                    .withHost(host)
                    .withDataDir(dataDir)
                    .withDefaultPartitions(partitions)
                    .withBrokerProperties(properties);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        EmbeddedKafkaBroker broker;
        try {
            broker = new EmbeddedKafkaBroker(settings).start();
        } catch (KafkaException e) {
            // The cause chain says what went wrong (a port in use, a locked data dir); the stack
            // trace of the start itself would only bury it.
            PrintWriter err = spec.commandLine().getErr();
            err.println("spate broker: " + causes(e));
            err.flush();
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            try {
                broker.close();
            } finally {
                stopped.countDown();
            }
        }, "spate-broker-shutdown");
        try {
            Runtime.getRuntime().addShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The stop request came while the broker was starting: the hook can no longer run.
            broker.close();
            return 0;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("spate broker listening on %s:%d (data in %s)%n", host, broker.port(), broker.dataDir());
        out.flush();
        stopped.await();
        return 0;
    }

    private static String causes(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            text.append(": ").append(c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage());
        }
        return text.toString();
    }
}
