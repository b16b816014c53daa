package io.spate.bench;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Per-window golden signals: computed from the shifted log lines (a regex and the lines' own
 * times, as a reader of the log would), or read back from the three hourly outputs as the last
 * value per (window, host[, response]) key, the totals of an upsert stream.
 */
final class HourlyTotals {

    /**
     * A group of an hourly output.
     *
     * @param windowStart the window's start, epoch milliseconds
     * @param host the client host
     * @param response the 5xx status for the errors output, 0 for the others
     */
    record Group(long windowStart, String host, int response) {
    }

    final Map<Group, Long> requests = new HashMap<>();
    final Map<Group, Long> errors = new HashMap<>();
    final Map<Group, Long> bytes = new HashMap<>();
    /** Output records whose window is not one window long, or that lack a field: none expected. */
    private long malformedOutputs;
    private String malformedExample;

    /**
     * The totals of the first {@code n} lines of {@code log}'s cycles, every line on time.
     * Shifts are whole days, so a line's copy in cycle {@code c} is in its window moved on by
     * {@code c} shifts: each cycle adds the first cycle's groups moved on.
     */
    static HourlyTotals ofCycled(ShiftedLog log, long n, long windowMillis) {
        long full = n / log.size();
        int rest = (int) (n % log.size());
        HourlyTotals cycle = ofLines(log, log.size(), windowMillis);
        HourlyTotals head = ofLines(log, rest, windowMillis);
        HourlyTotals t = new HourlyTotals();
        long shift = log.shiftDays() * ShiftedLog.DAY_MILLIS;
        for (long c = 0; c < full; c++) {
            t.add(cycle, c * shift);
        }
        t.add(head, full * shift);
        return t;
    }

    private static HourlyTotals ofLines(ShiftedLog log, int count, long windowMillis) {
        HourlyTotals t = new HourlyTotals();
        for (int i = 0; i < count; i++) {
            long time = log.time(i);
            Matcher m = Totals.CLF.matcher(new String(log.line(0, i), StandardCharsets.ISO_8859_1));
            if (time == Long.MIN_VALUE || !m.matches()) {
                continue;
            }
            long start = Math.floorDiv(time, windowMillis) * windowMillis;
            String host = m.group(1);
            Group group = new Group(start, host, 0);
            t.requests.merge(group, 1L, Long::sum);
            t.bytes.merge(group, m.group(7).equals("-") ? 0 : Long.parseLong(m.group(7)), Long::sum);
            int status = Integer.parseInt(m.group(6));
            if (status >= 500) {
                t.errors.merge(new Group(start, host, status), 1L, Long::sum);
            }
        }
        return t;
    }

    private void add(HourlyTotals other, long shift) {
        add(requests, other.requests, shift);
        add(errors, other.errors, shift);
        add(bytes, other.bytes, shift);
    }

    private static void add(Map<Group, Long> into, Map<Group, Long> from, long shift) {
        from.forEach((g, v) -> into.merge(shift == 0 ? g : new Group(g.windowStart() + shift, g.host(), g.response()), v, Long::sum));
    }

    /** The last value per key of the hourly outputs of the run whose topics start with {@code prefix}. */
    static HourlyTotals ofOutputs(String bootstrap, String prefix, long windowMillis) {
        HourlyTotals t = new HourlyTotals();
        Outputs.read(bootstrap, prefix + "traffic-hourly", r -> t.last(t.requests, Outputs.json(r), "requests", false, windowMillis));
        Outputs.read(bootstrap, prefix + "errors-hourly", r -> t.last(t.errors, Outputs.json(r), "errors", true, windowMillis));
        Outputs.read(bootstrap, prefix + "mb-sent-hourly", r -> t.last(t.bytes, Outputs.json(r), "bytes", false, windowMillis));
        return t;
    }

    private void last(Map<Group, Long> into, JsonNode v, String field, boolean byResponse, long windowMillis) {
        JsonNode start = v.get("window_start");
        JsonNode end = v.get("window_end");
        JsonNode host = v.get("host");
        JsonNode value = v.get(field);
        JsonNode response = byResponse ? v.get("response") : null;
        if (start == null || end == null || host == null || value == null || (byResponse && response == null)
                || end.asLong() - start.asLong() != windowMillis) {
            if (malformedOutputs++ == 0) {
                malformedExample = v.toString();
            }
            return;
        }
        into.put(new Group(start.asLong(), host.asText(), byResponse ? response.asInt() : 0), value.asLong());
    }

    /** Why these totals differ from {@code expected}, or null when they are equal. */
    String differenceFrom(HourlyTotals expected) {
        if (malformedOutputs > 0) {
            return malformedOutputs + " output records without a one-window key, e.g. " + malformedExample;
        }
        if (!requests.equals(expected.requests)) {
            return "requests: " + Outputs.differences("(hour, host) groups", expected.requests, requests);
        }
        if (!bytes.equals(expected.bytes)) {
            return "bytes: " + Outputs.differences("(hour, host) groups", expected.bytes, bytes);
        }
        if (!errors.equals(expected.errors)) {
            return "errors: " + Outputs.differences("(hour, host, status) groups", expected.errors, errors);
        }
        return null;
    }
}
