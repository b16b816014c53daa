package io.spate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;

import org.junit.jupiter.api.Test;

/** The expected hourly totals: computed a cycle at a time, they equal a line-by-line count of the shifted input. */
class HourlyTotalsTest {

    private static final long HOUR = 3_600_000L;
    private static final DateTimeFormatter CLF_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);

    @Test
    void shouldEqualACountOfEveryShiftedLine() {
        List<byte[]> lines = List.of(
                "a - - [01/Jul/1995:23:10:00 -0400] \"GET / HTTP/1.0\" 200 10",
                "b - - [01/Jul/1995:23:20:00 -0400] \"GET / HTTP/1.0\" 503 -",
                "not a log line",
                "a - - [02/Jul/1995:00:01:00 -0400] \"GET /x HTTP/1.0\" 200 7",
                "b - - [02/Jul/1995:00:02:00 -0400] \"GET / HTTP/1.0\" 500 3",
                "a - - [02/Jul/1995:01:00:00 -0400] \"GET / HTTP/1.0\" 304 0").stream()
                .map(s -> s.getBytes(StandardCharsets.US_ASCII)).toList();
        ShiftedLog log = new ShiftedLog(lines);
        long n = 2 * lines.size() + 4;

        HourlyTotals expected = HourlyTotals.ofCycled(log, n, HOUR);

        Map<HourlyTotals.Group, Long> requests = new HashMap<>();
        Map<HourlyTotals.Group, Long> bytes = new HashMap<>();
        Map<HourlyTotals.Group, Long> errors = new HashMap<>();
        for (byte[] line : log.cycled(n)) {
            Matcher m = Totals.CLF.matcher(new String(line, StandardCharsets.ISO_8859_1));
            if (!m.matches()) {
                continue;
            }
            long t = OffsetDateTime.parse(m.group(4), CLF_TIME).toInstant().toEpochMilli();
            long start = t - Math.floorMod(t, HOUR);
            requests.merge(new HourlyTotals.Group(start, m.group(1), 0), 1L, Long::sum);
            bytes.merge(new HourlyTotals.Group(start, m.group(1), 0), m.group(7).equals("-") ? 0 : Long.parseLong(m.group(7)), Long::sum);
            if (Integer.parseInt(m.group(6)) >= 500) {
                errors.merge(new HourlyTotals.Group(start, m.group(1), Integer.parseInt(m.group(6))), 1L, Long::sum);
            }
        }
        assertEquals(requests, expected.requests);
        assertEquals(bytes, expected.bytes);
        assertEquals(errors, expected.errors);
        assertEquals(2 * 5 + 3, expected.requests.size(), "5 (hour, host) groups a cycle, 3 in the first 4 lines of the third");
        assertNull(expected.differenceFrom(expected));
    }
}
