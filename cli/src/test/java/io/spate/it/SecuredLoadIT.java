package io.spate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.spate.broker.BrokerSettings;
import io.spate.broker.EmbeddedKafkaBroker;
import io.spate.cli.SpateCli;
import io.spate.testkit.KafkaTopics;

/**
 * {@code spate load} against a broker whose client listener demands a SASL/PLAIN login, given only
 * as {@code spate.kafka.client-properties} (on the command line or in a config file): the topic's
 * creation and the producing both need it.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SecuredLoadIT {

    private static final String USER = "loader";
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = new EmbeddedKafkaBroker(BrokerSettings.create().withSaslPlain(Map.of(USER, "loader-secret"))).start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldLoadThroughALoginGivenWithSet(@TempDir Path dir) throws Exception {
        List<String> args = new ArrayList<>(List.of("load", "--topic", "secured-load-set", "--partitions", "2",
                "--bootstrap", broker.bootstrapServers()));
        broker.clientProperties(USER).forEach((k, v) -> {
            args.add("--set");
            args.add("spate.kafka.client-properties.\"" + k + "\"=" + quoted(v));
        });
        args.add(lines(dir).toString());

        assertEquals(0, SpateCli.execute(args.toArray(String[]::new)));
        assertEquals(List.of("one", "three", "two"), values("secured-load-set"));
    }

    @Test
    void shouldLoadThroughALoginGivenInAConfigFile(@TempDir Path dir) throws Exception {
        StringBuilder conf = new StringBuilder("spate.kafka.client-properties {\n");
        broker.clientProperties(USER).forEach((k, v) -> conf.append("  \"").append(k).append("\" = ").append(quoted(v)).append('\n'));
        Path file = Files.writeString(dir.resolve("login.conf"), conf.append("}\n"));

        assertEquals(0, SpateCli.execute("load", "--topic", "secured-load-config", "--partitions", "1",
                "--bootstrap", broker.bootstrapServers(), "--config", file.toString(), lines(dir).toString()));
        assertEquals(List.of("one", "three", "two"), values("secured-load-config"));
    }

    private static Path lines(Path dir) throws Exception {
        return Files.writeString(dir.resolve("lines.txt"), "one\ntwo\nthree\n");
    }

    /** {@code value} as a HOCON string, quotes and all (a JAAS line has both). */
    private static String quoted(String value) {
        return ConfigValueFactory.fromAnyRef(value).render(ConfigRenderOptions.concise());
    }

    /** The values of {@code topic}, read with the login, sorted (two partitions keep no order between them). */
    private static List<String> values(String topic) {
        List<String> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTopics.readAll(broker.bootstrapServers(), broker.clientProperties(USER), topic)) {
            out.add(new String(r.value(), StandardCharsets.UTF_8));
        }
        out.sort(null);
        return out;
    }
}
