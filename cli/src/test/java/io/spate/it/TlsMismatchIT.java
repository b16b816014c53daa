package io.spate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.spate.cli.SpateCli;

/**
 * Clients set up for TLS against the embedded broker's plaintext listener: each command says so in
 * one line and exits 2, where the Kafka clients would log a warning per retry and give up only at
 * their timeouts. The timeout here is loose; the clients' own would be 30 to 60 s per command.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TlsMismatchIT extends EmbeddedBrokerTest {

    private static final String SSL = "spate.kafka.client-properties.\"security.protocol\"=SSL";

    /** Runs the CLI with TLS set, expecting exit code 2; returns what it wrote to stderr. */
    private static String tlsMistake(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap", broker.bootstrapServers(), "--set", SSL));
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertEquals(2, SpateCli.execute(all.toArray(String[]::new)), () -> err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
        return err.toString(StandardCharsets.UTF_8);
    }

    private static void assertSaysPlaintext(String said) {
        assertTrue(said.contains("spate: TLS handshake with " + broker.bootstrapServers() + " failed: the listener is plaintext"), said);
        assertTrue(said.lines().noneMatch(l -> l.contains("terminated during authentication")), said);
    }

    @Test
    void shouldSayTheListenerIsPlaintextOnReplay() {
        createTopic("tls-replay", 1);
        assertSaysPlaintext(tlsMistake("replay", "--topic", "tls-replay", "--sum", "."));
    }

    @Test
    void shouldSayTheListenerIsPlaintextOnLoad(@TempDir Path dir) throws Exception {
        assertSaysPlaintext(tlsMistake("load", "--topic", "tls-load", Files.writeString(dir.resolve("l.txt"), "1\n").toString()));
    }

    @Test
    void shouldSayTheListenerIsPlaintextOnRun(@TempDir Path dir) throws Exception {
        Path conf = Files.writeString(dir.resolve("p.conf"), """
                spate.pipelines = [{ name = tls, source { topics = [tls-in] }, format { type = clf },
                  outputs = [{ topic = tls-out, aggregates = [count] }] }]
                """);
        assertSaysPlaintext(tlsMistake("run", "--config", conf.toString()));
    }
}
