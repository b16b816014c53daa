package io.spate.examples;

import java.io.File;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import com.typesafe.config.Config;

import io.spate.RunningPipeline;
import io.spate.broker.BrokerSettings;
import io.spate.broker.EmbeddedKafkaBroker;
import io.spate.internal.node.Node;
import io.spate.internal.config.NodeConfig;
import io.spate.testkit.KafkaTopics;

/**
 * What every example does: use the given broker or start an embedded one, fill the input topic,
 * run the pipeline file from {@code config/} until it has caught up, and hand back the node so the
 * example can read and print the outputs.
 */
final class ExampleRun implements AutoCloseable {

    private final EmbeddedKafkaBroker broker;
    private final String bootstrap;
    private final PrintStream out;

    ExampleRun(String bootstrap, PrintStream out) {
        this.out = out;
        if (bootstrap == null) {
            broker = new EmbeddedKafkaBroker(BrokerSettings.create().withPort(0)).start();
            this.bootstrap = broker.bootstrapServers();
            out.println("embedded Kafka broker (KRaft) at " + this.bootstrap);
        } else {
            broker = null;
            this.bootstrap = bootstrap;
        }
    }

    String bootstrap() {
        return bootstrap;
    }

    /** The pipeline file {@code config/NAME}, found from the launcher's directory. */
    static File configFile(String name) {
        return Path.of(System.getProperty("spate.home", ".")).resolve("config").resolve(name).toFile();
    }

    /** Produces {@code messages} to {@code topic}. */
    void load(String topic, List<byte[]> messages) {
        KafkaTopics.produce(bootstrap, topic, messages);
        out.printf("loaded %,d messages into %s%n", messages.size(), topic);
    }

    /** Runs the pipelines of {@code config/NAME} until caught up, with {@code sets} overrides; returns the first. */
    RunningPipeline run(String name, List<String> sets) throws InterruptedException {
        Config config = NodeConfig.load(configFile(name), bootstrap, sets);
        Node node = new Node(config);
        node.start();
        int rc = node.awaitAndStop(true);
        node.printSummary(out);
        if (rc != 0) {
            throw new IllegalStateException("the pipeline did not end cleanly (see the log)");
        }
        return node.running().get(0);
    }

    @Override
    public void close() {
        if (broker != null) {
            broker.close();
        }
    }
}
