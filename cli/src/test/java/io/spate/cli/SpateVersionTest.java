package io.spate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** {@code -V}: the CLI jar's Implementation-Version, on the top-level command and on every subcommand. */
class SpateVersionTest {

    private static String version(String... args) {
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
    void shouldPrintTheManifestsImplementationVersion() {
        assertEquals("spate 1.2.3", SpateVersion.lines("1.2.3")[0]);
        assertTrue(SpateVersion.lines("1.2.3")[1].startsWith("Java " + System.getProperty("java.version")));
    }

    @Test
    void shouldSayDevelopmentBuildWithoutAManifestVersion() {
        assertEquals("spate development build", SpateVersion.lines(null)[0]);
    }

    @Test
    void shouldPrintTheSameVersionOnEveryCommand() {
        // The tests run from target/classes, which have no manifest.
        String top = version("-V");
        assertTrue(top.startsWith("spate development build"), top);
        for (String command : new String[] {"run", "validate", "explain", "demo", "replay", "load"}) {
            assertEquals(top, version(command, "-V"), "spate " + command + " -V");
        }
        assertEquals(top, version("--version"));
    }
}
