package io.spate.bench.jmh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.typesafe.config.ConfigFactory;

import io.spate.RecordBatch;
import io.spate.SpateSettings;
import io.spate.internal.compute.Backends;
import io.spate.spi.ComputeBackend;
import io.spate.testkit.SampleData;

/**
 * The records the benchmarks run on, made once per trial: the NASA HTTP log as it is (CLF), and TSV
 * and JSON records derived from its lines so that every format carries the same values.
 *
 * <p>The log is the 200,000-line extract under {@code shared/data/nasa_http}, found by walking up
 * from the working directory; without it, the 50,000-line sample bundled in the engine jar.
 */
public final class BenchData {

    /** The topic every benchmark batch claims its records came from. */
    public static final String TOPIC = "bench";

    private BenchData() {
    }

    /** The NASA log lines, as raw bytes (some are Latin-1, as in the real log). */
    public static List<byte[]> nasaLines() {
        try {
            List<byte[]> lines = SampleData.nasaLog();
            System.out.printf(Locale.ROOT, "# data: %s, %d lines, %.1f bytes per line%n",
                    SampleData.shared(SampleData.NASA_LOG).map(Path::toString).orElse("classpath:" + SampleData.BUNDLED_NASA_LOG),
                    lines.size(), averageBytes(lines));
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the NASA log", e);
        }
    }

    /** The first {@code count} elements of {@code values}, repeated from the start when there are fewer. */
    public static List<byte[]> take(List<byte[]> values, int count) {
        List<byte[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(values.get(i % values.size()));
        }
        return out;
    }

    /** A batch of {@code values}, as the batcher would hand it to a backend. */
    public static RecordBatch batch(List<byte[]> values) {
        return RecordBatch.of(TOPIC, values);
    }

    /** Mean length of {@code values} in bytes. */
    public static double averageBytes(List<byte[]> values) {
        long total = 0;
        for (byte[] v : values) {
            total += v.length;
        }
        return values.isEmpty() ? 0 : (double) total / values.size();
    }

    /** {@code host\tstatus\tbytes} for every line of {@code clf} that parses; the others are dropped. */
    public static List<byte[]> tsv(List<byte[]> clf) {
        List<byte[]> out = new ArrayList<>(clf.size());
        for (byte[] line : clf) {
            Request r = Request.parse(line);
            if (r != null) {
                out.add((r.host + '\t' + r.status + '\t' + r.bytes).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /**
     * {@code {"host":..,"status":..,"bytes":..,"request":{"method":..,"path":..}}} for every line of
     * {@code clf} that parses; the others are dropped.
     */
    public static List<byte[]> json(List<byte[]> clf) {
        List<byte[]> out = new ArrayList<>(clf.size());
        StringBuilder sb = new StringBuilder(256);
        for (byte[] line : clf) {
            Request r = Request.parse(line);
            if (r == null) {
                continue;
            }
            sb.setLength(0);
            sb.append("{\"host\":");
            quote(sb, r.host);
            sb.append(",\"status\":").append(r.status).append(",\"bytes\":").append(r.bytes);
            sb.append(",\"request\":{\"method\":");
            quote(sb, r.method);
            sb.append(",\"path\":");
            quote(sb, r.path);
            sb.append("}}");
            out.add(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    /**
     * {@code {"text":..}} holding the request of every line of {@code clf} that has one (the text
     * between its first and last quote), as the word-count workload's messages carry it.
     */
    public static List<byte[]> jsonText(List<byte[]> clf) {
        List<byte[]> out = new ArrayList<>(clf.size());
        StringBuilder sb = new StringBuilder(128);
        for (byte[] line : clf) {
            String s = new String(line, StandardCharsets.ISO_8859_1);
            int open = s.indexOf('"');
            int close = s.lastIndexOf('"');
            if (open < 0 || close <= open) {
                continue;
            }
            sb.setLength(0);
            sb.append("{\"text\":");
            quote(sb, s.substring(open + 1, close));
            sb.append('}');
            out.add(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }

    /** The fields of one CLF line the derived formats carry; the log's bytes are read as Latin-1, which loses none. */
    private record Request(String host, String method, String path, long status, long bytes) {

        static Request parse(byte[] line) {
            String s = new String(line, StandardCharsets.ISO_8859_1);
            int space = s.indexOf(' ');
            int open = s.indexOf('"');
            int close = s.lastIndexOf('"');
            if (space <= 0 || open < 0 || close <= open) {
                return null;
            }
            String[] tail = s.substring(close + 1).trim().split(" ");
            String[] request = s.substring(open + 1, close).split(" ");
            if (tail.length != 2 || request.length < 2) {
                return null;
            }
            try {
                long status = Long.parseLong(tail[0]);
                long bytes = tail[1].equals("-") ? 0 : Long.parseLong(tail[1]);
                return new Request(s.substring(0, space), request[0], request[1], status, bytes);
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    /** The CPU backend as a node makes it ({@code spate.compute.backend = cpu}). */
    static ComputeBackend cpuBackend() {
        return Backends.create(SpateSettings.create(ConfigFactory.load()).withBackend("cpu"));
    }
}
