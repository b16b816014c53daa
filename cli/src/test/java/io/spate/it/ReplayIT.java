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
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.spate.cli.SpateCli;
import io.spate.internal.SharedData;
import io.spate.testkit.KafkaTopics;

/** {@code spate load} and {@code spate replay} as a user runs them, on the embedded broker. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ReplayIT extends EmbeddedBrokerTest {


    /** Runs the CLI, returning its exit code and what it printed on stdout. */
    private static String[] cli(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int rc = SpateCli.execute(args);
            return new String[] {Integer.toString(rc), out.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(saved);
        }
    }

    @Test
    void shouldSumTheNumbersOneToFortyTwo() throws Exception {
        List<byte[]> numbers = new ArrayList<>();
        for (int i = 1; i <= 42; i++) {
            numbers.add(Integer.toString(i).getBytes(StandardCharsets.US_ASCII));
        }
        createTopic("numbers", 3);
        KafkaTopics.produce(broker.bootstrapServers(), "numbers", numbers);
        String[] r = cli("replay", "--topic", "numbers", "--from", "earliest", "--to", "latest", "--sum", ".",
                "--bootstrap", broker.bootstrapServers(), "--progress", "lines");
        assertEquals("0", r[0]);
        assertEquals("903\n", r[1]);
    }

    @Test
    void shouldCountCommitsPerCommitterLargestFirstAndWriteThemToATopic(@TempDir Path dir) throws Exception {
        Optional<Path> commits = SharedData.find(SharedData.GITHUB);
        Path file;
        String expected;
        if (commits.isPresent()) {
            file = commits.get();
            expected = "Nicolas Williams\t70\nWilliam Langford\t20\nNico Williams\t7\nGitHub\t3\n";
        } else {
            file = dir.resolve("commits.json");
            Files.writeString(file, "[{\"commit\":{\"committer\":{\"name\":\"b\"}}},{\"commit\":{\"committer\":{\"name\":\"a\"}}},"
                    + "{\"commit\":{\"committer\":{\"name\":\"b\"}}}]");
            expected = "b\t2\na\t1\n";
        }
        assertEquals("0", cli("load", "--topic", "commits", "--partitions", "2", "--bootstrap", broker.bootstrapServers(), file.toString())[0]);
        String[] r = cli("replay", "--topic", "commits", "--group-by", "commit.committer.name", "--output-topic", "committers",
                "--bootstrap", broker.bootstrapServers(), "--progress", "none");
        assertEquals("0", r[0]);
        assertEquals(expected, r[1]);
        var records = KafkaTopics.readAll(broker.bootstrapServers(), "committers");
        assertEquals(expected.split("\n").length, records.size());
        assertTrue(new String(records.get(0).value(), StandardCharsets.UTF_8).contains("\"commit.committer.name\""));
    }

    @Test
    void shouldReadOnlyUpToTheEndOffsetsTakenAtStart() throws Exception {
        createTopic("growing", 1);
        List<byte[]> ones = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            ones.add("1".getBytes(StandardCharsets.US_ASCII));
        }
        KafkaTopics.produce(broker.bootstrapServers(), "growing", ones);
        String[] r = cli("replay", "--topic", "growing", "--sum", ".", "--bootstrap", broker.bootstrapServers(), "--progress", "none");
        assertEquals("1000\n", r[1]);
    }

    @Test
    void shouldFailClearlyOnAMissingTopic() {
        assertEquals("2", cli("replay", "--topic", "no-such-topic", "--sum", ".", "--bootstrap", broker.bootstrapServers())[0]);
    }
}
