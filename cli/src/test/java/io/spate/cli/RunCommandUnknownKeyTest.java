package io.spate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spate run} with a misspelt key stops before it starts anything: exit 2, the key and the one meant. */
class RunCommandUnknownKeyTest {

    /** Runs the CLI; returns its exit code and what it wrote to stderr. */
    private static String run(int expectedCode, String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertEquals(expectedCode, SpateCli.execute(args));
        } finally {
            System.setErr(saved);
        }
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldExitTwoNamingAMisspeltPipelineKey(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("typo.conf"), """
                spate.pipelines = [{
                  name = typo, source { topics = [weblogs] }, format { type = clf }
                  outputs = [{ topic = traffic, group_by = [host], aggregates = ["count as requests"] }]
                }]
                """);
        String said = run(2, "run", "--config", config.toString(), "--bootstrap", "127.0.0.1:1");
        assertTrue(said.contains("spate.pipelines[0].outputs[0].group_by: unknown key; did you mean group-by?"), said);
    }

    @Test
    void shouldExitTwoNamingAMisspeltNodeKey() {
        String said = run(2, "run", "--config", "../config/golden-signals.conf", "--bootstrap", "127.0.0.1:1",
                "--set", "spate.batch.max-record=10");
        assertTrue(said.contains("spate.batch.max-record: unknown key; did you mean max-records?"), said);
    }
}
