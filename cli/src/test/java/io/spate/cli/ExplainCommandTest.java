package io.spate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spate explain} on the shipped configs, where only the CPU backend is on the class path. */
class ExplainCommandTest {

    private static String explain(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, SpateCli.execute(args));
        } finally {
            System.setOut(saved);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldSayPerOutputWhereEachStepRuns() {
        String said = explain("explain", "--config", "../config/golden-signals.conf");
        assertTrue(said.contains("pipeline golden-signals (clf from weblogs)"), said);
        assertTrue(said.contains("  backend: cpu"), said);
        for (String output : List.of("traffic", "errors", "mb-sent")) {
            assertTrue(said.contains("  " + output + ": every step on the cpu backend"), said);
        }
    }

    @Test
    void shouldFailAsRunWouldOnAPlanThatCannotStart(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("higgs.conf");
        Files.writeString(config, Files.readString(Path.of("../config/higgs.conf")).replace("models/mlp.safetensors", dir + "/missing.safetensors"));
        assertEquals(2, SpateCli.execute("explain", "--config", config.toString()));
    }
}
