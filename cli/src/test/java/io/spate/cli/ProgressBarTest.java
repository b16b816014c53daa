package io.spate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The bar {@code spate demo} and {@code spate run --until-idle} draw, for given numbers. */
class ProgressBarTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String drawn() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldRedrawOneLineInPlaceOnATerminal() {
        ProgressBar bar = new ProgressBar(out, "reading", true);
        bar.update(250, 1000, "records");
        bar.update(500, 1000, "records");
        String drawn = drawn();
        assertTrue(drawn.startsWith("\rreading    [########----------------------]  25% 250/1,000 records, "), drawn);
        assertTrue(drawn.contains("\rreading    [###############---------------]  50% 500/1,000 records, "), drawn);
        assertEquals(-1, drawn.indexOf('\n'), "no line ended before finish(): " + drawn);
        bar.finish();
        assertTrue(drawn().endsWith("\n"), drawn());
    }

    @Test
    void shouldShowAFullBarWithoutAnEtaWhenDone() {
        ProgressBar bar = new ProgressBar(out, "reading", true);
        bar.update(1000, 1000, "records");
        assertTrue(drawn().contains("[##############################] 100% 1,000/1,000 records, "), drawn());
        assertTrue(!drawn().contains("ETA"), drawn());
    }

    @Test
    void shouldPrintAtMostOneLinePerTenthWhenNotATerminal() {
        ProgressBar bar = new ProgressBar(out, "loading", false);
        for (int done = 0; done <= 1000; done += 10) {
            bar.update(done, 1000, "lines");
        }
        bar.finish();
        assertEquals(11, drawn().lines().count(), drawn());
        assertTrue(!drawn().contains("\r"), drawn());
    }
}
