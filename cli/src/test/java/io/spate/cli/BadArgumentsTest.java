package io.spate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user can get wrong on the command line, command by command: each mistake is one line on
 * stderr naming the option or key, and exit code 2, before anything connects (no broker here: the
 * bootstrap address is a closed port).
 */
class BadArgumentsTest {

    private static final String NOWHERE = "127.0.0.1:1";

    /** Runs the CLI, expecting exit code 2 and a single line on stderr; returns that line. */
    private static String mistake(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc = SpateCli.execute(args);
        } finally {
            System.setErr(saved);
        }
        String said = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, rc, said);
        assertEquals(1, said.strip().lines().count(), "one line, no stack trace: " + said);
        assertTrue(said.startsWith("spate: "), said);
        return said.strip();
    }

    private static void assertSays(String expected, String said) {
        assertTrue(said.contains(expected), "expected '" + expected + "' in: " + said);
    }

    private static String clf(Path dir, String pipeline) throws IOException {
        return Files.writeString(dir.resolve("p.conf"), "spate.pipelines = [{ name = p, format { type = clf }, " + pipeline + " }]").toString();
    }

    @Test
    void shouldRefuseAPipelineThatReadsItsOwnDeadLetters(@TempDir Path dir) throws IOException {
        String conf = clf(dir, "source { topics = [logs] }, dead-letter-topic = logs, outputs = [{ topic = o, aggregates = [count] }]");
        String said = mistake("run", "--config", conf, "--bootstrap", NOWHERE);
        assertSays("spate.pipelines[0].dead-letter-topic", said);
        assertSays("'logs' is also a source topic of the pipeline; dead letters would be read again", said);
    }

    @Test
    void shouldRefuseAPipelineThatReadsItsOwnResults(@TempDir Path dir) throws IOException {
        String conf = clf(dir, "source { topics = [logs] }, outputs = [{ topic = logs, aggregates = [count] }]");
        assertSays("spate.pipelines[0].outputs[0].topic", mistake("explain", "--config", conf));
        assertSays("its results would be read again as input", mistake("run", "--config", conf, "--bootstrap", NOWHERE));
    }

    @Test
    void shouldRefuseBootstrapServersThatAreNotHostAndPort(@TempDir Path dir) throws IOException {
        String lines = Files.writeString(dir.resolve("lines.txt"), "one\n").toString();
        assertSays("'localhost' is not HOST:PORT", mistake("load", "--topic", "t", "--bootstrap", "localhost", lines));
        assertSays("'host:notaport' is not HOST:PORT", mistake("replay", "--topic", "t", "--sum", ".", "--bootstrap", "host:notaport"));
        assertSays("spate.kafka.bootstrap-servers",
                mistake("run", "--config", "../config/golden-signals.conf", "--bootstrap", "localhost"));
    }

    @Test
    void shouldRefuseInvalidTopicNames(@TempDir Path dir) throws IOException {
        String lines = Files.writeString(dir.resolve("lines.txt"), "one\n").toString();
        assertSays("--topic: ", mistake("load", "--topic", "web logs", "--bootstrap", NOWHERE, lines));
        assertSays("--topic: ", mistake("load", "--topic", "..", "--bootstrap", NOWHERE, lines));
        assertSays("249", mistake("load", "--topic", "t".repeat(250), "--bootstrap", NOWHERE, lines));
        assertSays("--output-topic: ", mistake("replay", "--topic", "t", "--sum", ".", "--output-topic", "a/b", "--bootstrap", NOWHERE));
        assertSays("spate.pipelines[0].source.topics",
                mistake("run", "--config", clf(dir, "source { topics = [\"a b\"] }, outputs = [{ topic = o, aggregates = [count] }]"),
                        "--bootstrap", NOWHERE));
    }

    @Test
    void shouldRefuseMissingFilesAndDirectories(@TempDir Path dir) {
        String missing = dir.resolve("missing.log").toString();
        assertSays("FILE: no such file: " + missing, mistake("load", "--topic", "t", "--bootstrap", NOWHERE, missing));
        assertSays("is a directory, not a file", mistake("load", "--topic", "t", "--bootstrap", NOWHERE, dir.toString()));
        assertSays("--input: no such file", mistake("demo", "--input", missing));
        assertSays("--input: " + dir + " is a directory", mistake("demo", "--input", dir.toString()));
        assertSays("does not exist", mistake("run", "--config", missing, "--bootstrap", NOWHERE));
        assertSays("is a directory, not a file", mistake("explain", "--config", dir.toString()));
        assertSays("is a directory, not a file", mistake("replay", "--topic", "t", "--sum", ".", "--config", dir.toString()));
    }

    @Test
    void shouldTellTheEndOfAReplayFromItsOutputTopic() {
        // Once, --to took any word but latest as the output topic: --to earliest wrote to a topic named earliest.
        for (String to : new String[] {"earliest", "10", "committers"}) {
            String said = mistake("replay", "--topic", "t", "--sum", ".", "--to", to, "--bootstrap", NOWHERE);
            assertSays("--to: where the replay stops; only 'latest' is supported, got '" + to + "'", said);
            assertSays("--output-topic TOPIC", said);
        }
        assertSays("--from: only 'earliest'", mistake("replay", "--topic", "t", "--sum", ".", "--from", "latest"));
    }

    @Test
    void shouldRefuseABrokerPortInUse(@TempDir Path dir) throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            String said = mistake("broker", "--host", "127.0.0.1", "--port", Integer.toString(taken.getLocalPort()),
                    "--data-dir", dir.toString());
            assertSays("--port: 127.0.0.1:" + taken.getLocalPort() + " is in use", said);
        }
    }

    @Test
    void shouldNameTheKeyWhenTheNodesHttpPortIsInUse(@TempDir Path dir) throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            String conf = clf(dir, "source { topics = [logs] }, outputs = [{ topic = o, aggregates = [count] }]");
            String said = mistake("run", "--config", conf, "--bootstrap", NOWHERE, "--set", "spate.http.host=127.0.0.1",
                    "--set", "spate.http.port=" + taken.getLocalPort());
            assertSays("spate.http.port", said);
            assertSays("127.0.0.1:" + taken.getLocalPort() + " is in use", said);
        }
    }

    @Test
    void shouldPutAUsageMistakeOnOneLine() {
        assertSays("'x' is not an int", mistake("broker", "--port", "x"));
        assertSays("Missing required option: '--topic=<topic>' (see 'spate replay --help')", mistake("replay", "--sum", "."));
        assertSays("did you mean --topic?", mistake("load", "--topc", "t", "--topic", "t", "f"));
    }
}
