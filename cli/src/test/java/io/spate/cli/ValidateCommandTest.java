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

/** {@code spate validate}: the shipped configs pass without a broker; a mistake exits 2 naming the key. */
class ValidateCommandTest {

    /** What {@code spate ARGS} wrote to stdout and stderr, after checking its exit code. */
    private record Said(String out, String err) {
    }

    private static Said validate(int expectedCode, String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertEquals(expectedCode, SpateCli.execute(args), () -> "exit code; stderr: " + err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        return new Said(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldPrintOneLinePerPipelineWithItsTopicsAndOutputs() {
        Said said = validate(0, "validate", "--config", "../config/golden-signals.conf");
        assertEquals("golden-signals: clf from weblogs -> traffic, errors, mb-sent", said.out().strip());
    }

    @Test
    void shouldPassEveryShippedConfigThatNeedsNoModelFile() {
        for (String file : new String[] {"golden-signals-hourly.conf", "golden-signals-tsv.conf", "word-count.conf"}) {
            Said said = validate(0, "validate", "--config", "../config/" + file);
            assertEquals(1, said.out().lines().count(), file + ": " + said.out());
        }
    }

    @Test
    void shouldExitTwoNamingAMisspeltKey(@TempDir Path dir) throws IOException {
        Path typo = Files.writeString(dir.resolve("typo.conf"),
                Files.readString(Path.of("../config/golden-signals.conf")).replace("group-by = [host]", "group_by = [host]"));
        Said said = validate(2, "validate", "--config", typo.toString());
        assertTrue(said.err().contains("spate.pipelines[0].outputs[0].group_by: unknown key; did you mean group-by?"), said.err());
        assertEquals("", said.out());
    }

    @Test
    void shouldExitTwoNamingAMisspeltNodeKeyGivenWithSet() {
        Said said = validate(2, "validate", "--config", "../config/golden-signals.conf", "--set", "spate.batch.max-record=10");
        assertTrue(said.err().contains("spate.batch.max-record: unknown key; did you mean max-records?"), said.err());
    }

    @Test
    void shouldNameAPipelineThatInfersItsTypesAsNotCheckedWithoutABootstrap(@TempDir Path dir) throws IOException {
        // The broker address is one nothing listens on: without --bootstrap, validate must not try it.
        Path config = Files.writeString(dir.resolve("inferred.conf"), """
                include file("%s")
                spate.kafka.bootstrap-servers = "127.0.0.1:1"
                spate.pipelines += {
                  name = inferred, source { topics = [tsv-logs] }
                  format { type = tsv, header = "host\\tbytes", infer-types = true }
                  outputs = [{ topic = mb-per-host, group-by = [host], aggregates = ["sum(bytes) as bytes"] }]
                }
                """.formatted(Path.of("../config/golden-signals.conf").toAbsolutePath()));
        Said said = validate(0, "validate", "--config", config.toString());
        assertTrue(said.out().contains("golden-signals: clf from weblogs -> traffic, errors, mb-sent"), said.out());
        assertTrue(said.out().contains("inferred: not checked: format.infer-types = true"), said.out());
        assertTrue(said.out().contains("give --bootstrap"), said.out());
    }
}
