package io.spate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** {@code spate run --until-idle}'s progress: the records read of the lag at the start, on a terminal only. */
class RunProgressTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    void shouldDrawNothingAndAskTheClusterNothingWithoutATerminal() throws Exception {
        AutoCloseable progress = RunProgress.start(out, false, () -> 10, () -> {
            throw new AssertionError("the lag was asked for with no bar to draw");
        });
        progress.close();
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldEndWithTheRecordsReadOfTheLagAtTheStart() throws Exception {
        AtomicLong records = new AtomicLong();
        CountDownLatch asked = new CountDownLatch(1);
        AutoCloseable progress = RunProgress.start(out, true, records::get, () -> {
            asked.countDown();
            return 2000;
        });
        assertTrue(asked.await(1, TimeUnit.MINUTES), "the lag at the start was asked for");
        records.set(2000);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!bytes.toString(StandardCharsets.UTF_8).endsWith("\n") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        progress.close();
        String drawn = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(drawn.contains("\rreading    [##############################] 100% 2,000/2,000 records"), drawn);
        assertTrue(drawn.endsWith("\n"), "the bar's line is ended once all is read, before the node logs it caught up: " + drawn);
        assertEquals(1, drawn.chars().filter(c -> c == '\n').count(), "drawn once, then its line ended: " + drawn);
    }

    @Test
    void shouldDrawNothingBeforeTheFirstRecords() throws Exception {
        CountDownLatch asked = new CountDownLatch(1);
        AutoCloseable progress = RunProgress.start(out, true, () -> 0, () -> {
            asked.countDown();
            return 500;
        });
        assertTrue(asked.await(1, TimeUnit.MINUTES), "the lag at the start was asked for");
        progress.close();
        assertEquals("", bytes.toString(StandardCharsets.UTF_8), "the node stopped before reading: no bar");
    }

    @Test
    void shouldDrawNothingWhenThereWasNothingToRead() throws Exception {
        AutoCloseable progress = RunProgress.start(out, true, () -> 0, () -> 0);
        progress.close();
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldDrawNothingWhenTheLagCannotBeRead() throws Exception {
        AutoCloseable progress = RunProgress.start(out, true, () -> 0, () -> {
            throw new IllegalStateException("no broker");
        });
        progress.close();
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
    }
}
