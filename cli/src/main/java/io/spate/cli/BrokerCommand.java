package io.spate.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
     * @return 0 once the broker has stopped, 1 if it could not start; a port already taken fails
     *         before it starts (exit code 2, through {@link SpateCli})
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
        String taken = portTaken();
        if (taken != null) {
            // Checked before the broker starts, which would report it as pages of its own errors.
            throw new IllegalArgumentException(taken);
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

    /** Why the broker cannot listen on {@code --host}:{@code --port} (another process holds the port, say), or null if it can. */
    private String portTaken() {
        if (port == 0) {
            return null;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(host, port));
            return null;
        } catch (IOException e) {
            // A BindException is also what a host that is not this machine's gives: tell them apart by the reason.
            if (e instanceof BindException && String.valueOf(e.getMessage()).contains("in use")) {
                return "--port: " + host + ":" + port + " is in use; choose another port (0 picks a free one)";
            }
            return "--host: cannot listen on " + host + ":" + port + " (" + e.getMessage() + ")";
        }
    }

    private static String causes(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            text.append(": ").append(c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage());
        }
        return text.toString();
    }
}
