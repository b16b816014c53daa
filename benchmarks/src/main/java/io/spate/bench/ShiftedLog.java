package io.spate.bench;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * Log lines repeated cycle after cycle, each cycle's times moved forward by the same whole number
 * of days, more than the lines span: cycling a day of log otherwise sends time back at every
 * cycle, and every record after the first cycle would be late for event-time windows. Only the
 * date of the {@code [dd/MMM/yyyy:HH:mm:ss zone]} text is rewritten, so the zone offset stays and
 * a line of cycle {@code c} is exactly {@code c * shiftDays} days after the line it copies.
 */
final class ShiftedLog {

    static final long DAY_MILLIS = 86_400_000L;
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    private static final DateTimeFormatter CLF_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);
    /** Length of {@code dd/MMM/yyyy}. */
    private static final int DATE_LENGTH = 11;

    private final List<byte[]> lines;
    /** Where each line's date starts, or -1 for a line without a Common Log Format time (left as it is). */
    private final int[] datePosition;
    /** Each line's date as days since the epoch, as the line writes it (in its own zone). */
    private final long[] epochDay;
    /** Each line's time in epoch milliseconds, or {@link Long#MIN_VALUE}. */
    private final long[] times;
    private final int shiftDays;
    /** The {@code dd/MMM/yyyy} bytes of an epoch day: a cycle has a handful of dates. */
    private final Map<Long, byte[]> dates = new HashMap<>();

    ShiftedLog(List<byte[]> lines) {
        this.lines = List.copyOf(lines);
        int n = lines.size();
        datePosition = new int[n];
        epochDay = new long[n];
        times = new long[n];
        Arrays.fill(datePosition, -1);
        Arrays.fill(times, Long.MIN_VALUE);
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            Matcher m = Totals.CLF.matcher(new String(lines.get(i), StandardCharsets.ISO_8859_1));
            if (!m.matches()) {
                continue;
            }
            OffsetDateTime time;
            try {
                time = OffsetDateTime.parse(m.group(4), CLF_TIME);
            } catch (DateTimeParseException e) {
                continue;
            }
            datePosition[i] = m.start(4);
            epochDay[i] = time.toLocalDate().toEpochDay();
            times[i] = time.toInstant().toEpochMilli();
            first = Math.min(first, times[i]);
            last = Math.max(last, times[i]);
        }
        // The next cycle's earliest line comes after this cycle's latest.
        this.shiftDays = first > last ? 1 : (int) ((last - first) / DAY_MILLIS) + 1;
    }

    /** The first {@code n} lines of the cycles: cycle {@code c} is the lines with their times {@code c * shiftDays()} days on. */
    List<byte[]> cycled(long n) {
        return Cycled.made(lines.size(), n, this::line);
    }

    /** Days between a line and its copy in the next cycle. */
    int shiftDays() {
        return shiftDays;
    }

    /** Number of lines in a cycle. */
    int size() {
        return lines.size();
    }

    /** The time of line {@code i} of cycle 0 in epoch milliseconds, or {@link Long#MIN_VALUE} when it has none. */
    long time(int i) {
        return times[i];
    }

    /** Line {@code i} of cycle {@code cycle}. */
    byte[] line(int cycle, int i) {
        byte[] line = lines.get(i);
        int at = datePosition[i];
        if (cycle == 0 || at < 0) {
            return line;
        }
        byte[] shifted = line.clone();
        byte[] date = dates.computeIfAbsent(epochDay[i] + (long) cycle * shiftDays, ShiftedLog::clfDate);
        System.arraycopy(date, 0, shifted, at, DATE_LENGTH);
        return shifted;
    }

    /**
     * The first line that would be late for tumbling windows of {@code windowMillis} with
     * {@code outOfOrdernessMillis} (and no allowed lateness) if every partition held the lines in
     * their order, or -1 when none would be: the running maximum over all lines is at least any
     * partition's, so a line on time against it is on time in whatever partition it lands.
     */
    int firstLate(long windowMillis, long outOfOrdernessMillis) {
        long max = Long.MIN_VALUE;
        for (int i = 0; i < times.length; i++) {
            long t = times[i];
            if (t == Long.MIN_VALUE) {
                continue;
            }
            long windowEnd = Math.floorDiv(t, windowMillis) * windowMillis + windowMillis;
            if (max != Long.MIN_VALUE && windowEnd - 1 <= max - outOfOrdernessMillis - 1) {
                return i;
            }
            max = Math.max(max, t);
        }
        return -1;
    }

    /** {@code dd/MMM/yyyy} of an epoch day, with the English month abbreviations of the Common Log Format whatever the locale. */
    static byte[] clfDate(long epochDay) {
        LocalDate d = LocalDate.ofEpochDay(epochDay);
        if (d.getYear() < 1000 || d.getYear() > 9999) {
            throw new IllegalArgumentException("year " + d.getYear() + " does not fit the Common Log Format");
        }
        String s = String.format(Locale.ROOT, "%02d/%s/%04d", d.getDayOfMonth(), MONTHS[d.getMonthValue() - 1], d.getYear());
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
