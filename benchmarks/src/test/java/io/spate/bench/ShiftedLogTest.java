package io.spate.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

/** Cycles of log lines with their dates moved on, so that event time only moves forward. */
class ShiftedLogTest {

    private static final DateTimeFormatter CLF_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);

    private static byte[] line(String host, String time) {
        return (host + " - - [" + time + "] \"GET / HTTP/1.0\" 200 10").getBytes(StandardCharsets.US_ASCII);
    }

    private static long millis(byte[] line) {
        String s = new String(line, StandardCharsets.US_ASCII);
        return OffsetDateTime.parse(s.substring(s.indexOf('[') + 1, s.indexOf(']')), CLF_TIME).toInstant().toEpochMilli();
    }

    @Test
    void shouldShiftEachCycleByWholeDaysPastTheSpan() {
        List<byte[]> lines = List.of(line("a", "01/Jul/1995:00:00:01 -0400"), line("b", "03/Jul/1995:23:59:59 -0400"));
        ShiftedLog log = new ShiftedLog(lines);
        assertEquals(3, log.shiftDays(), "2 days 23:59:58 apart: the next cycle starts 3 days on");
        assertSame(lines.get(0), log.line(0, 0), "the first cycle is the lines as they are");
        assertEquals("a - - [04/Jul/1995:00:00:01 -0400] \"GET / HTTP/1.0\" 200 10",
                new String(log.line(1, 0), StandardCharsets.US_ASCII));
        for (int cycle = 0; cycle < 90; cycle++) {
            for (int i = 0; i < lines.size(); i++) {
                assertEquals(millis(lines.get(i)) + cycle * 3 * ShiftedLog.DAY_MILLIS, millis(log.line(cycle, i)), "cycle " + cycle + " line " + i);
            }
            assertTrue(millis(log.line(cycle + 1, 0)) > millis(log.line(cycle, 1)), "time only moves forward");
        }
        // Over the end of 1995 and 1996's leap day.
        assertEquals("a - - [31/Dec/1995:00:00:01 -0400] \"GET / HTTP/1.0\" 200 10",
                new String(log.line(61, 0), StandardCharsets.US_ASCII));
        assertEquals("a - - [29/Feb/1996:00:00:01 -0400] \"GET / HTTP/1.0\" 200 10",
                new String(log.line(81, 0), StandardCharsets.US_ASCII));
    }

    @Test
    void shouldMakeTheCycledInputLineByLine() {
        List<byte[]> lines = List.of(line("a", "01/Jul/1995:10:00:00 -0400"), line("b", "01/Jul/1995:11:00:00 -0400"));
        List<byte[]> cycled = new ShiftedLog(lines).cycled(5);
        assertEquals(5, cycled.size());
        assertArrayEquals(line("a", "02/Jul/1995:10:00:00 -0400"), cycled.get(2));
        assertArrayEquals(line("a", "03/Jul/1995:10:00:00 -0400"), cycled.get(4));
    }

    @Test
    void shouldLeaveLinesWithoutATimeAsTheyAre() {
        byte[] bad = "not a log line".getBytes(StandardCharsets.US_ASCII);
        byte[] badDate = line("c", "45/Jux/1995:00:00:00 -0400");
        ShiftedLog log = new ShiftedLog(List.of(line("a", "01/Jul/1995:00:00:00 +0000"), bad, badDate));
        assertEquals(1, log.shiftDays());
        assertSame(bad, log.line(3, 1));
        assertSame(badDate, log.line(3, 2));
        assertEquals(Long.MIN_VALUE, log.time(1));
    }

    @Test
    void shouldFindTheFirstLineLateForItsWindow() {
        long hour = 3_600_000L;
        long tenMinutes = 600_000L;
        ShiftedLog inOrder = new ShiftedLog(List.of(line("a", "01/Jul/1995:10:30:00 -0400"), line("b", "01/Jul/1995:10:25:00 -0400"),
                line("c", "01/Jul/1995:11:05:00 -0400"), line("d", "01/Jul/1995:10:56:00 -0400")));
        assertEquals(-1, inOrder.firstLate(hour, tenMinutes), "behind, but its window has not closed");
        ShiftedLog late = new ShiftedLog(List.of(line("a", "01/Jul/1995:11:10:00 -0400"), line("b", "01/Jul/1995:10:59:59 -0400")));
        assertEquals(1, late.firstLate(hour, tenMinutes), "10:00-11:00 closed once 11:10 was seen");
    }

    @Test
    void shouldWriteDatesWithEnglishMonthsWhateverTheLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.FRANCE);
            assertArrayEquals("09/Sep/1995".getBytes(StandardCharsets.US_ASCII), ShiftedLog.clfDate(LocalDate.of(1995, 9, 9).toEpochDay()));
        } finally {
            Locale.setDefault(before);
        }
    }
}
