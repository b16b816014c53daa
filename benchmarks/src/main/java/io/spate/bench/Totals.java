package io.spate.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Golden-signal totals: computed independently from the input lines (a regex, as a reader of the
 * log would), or read back from a variant's output topics, either summing per-batch records
 * (Spate) or taking the last value per key of an upsert changelog (Kafka Streams).
 */
final class Totals {

    static final Pattern CLF = Pattern.compile("^(\\S+) (\\S+) (\\S+) \\[([^\\]]+)\\] \"(.*)\" (\\d{3}) (\\S+)$");
    private static final ObjectMapper JSON = new ObjectMapper();

    final Map<String, Long> requests = new HashMap<>();
    final Map<String, Long> errors = new HashMap<>();
    final Map<String, Long> bytes = new HashMap<>();

    /** Adds {@code times} copies of {@code line}. */
    void addLine(byte[] line, long times) {
        Matcher m = CLF.matcher(new String(line, StandardCharsets.ISO_8859_1));
        if (!m.matches()) {
            return;
        }
        String host = m.group(1);
        requests.merge(host, times, Long::sum);
        bytes.merge(host, times * (m.group(7).equals("-") ? 0 : Long.parseLong(m.group(7))), Long::sum);
        if (Integer.parseInt(m.group(6)) >= 500) {
            errors.merge(host + "\t" + m.group(6), times, Long::sum);
        }
    }

    /** The totals of the first {@code n} records of {@code lines} repeated endlessly. */
    static Totals ofCycled(List<byte[]> lines, long n) {
        Totals t = new Totals();
        long full = n / lines.size();
        long rest = n % lines.size();
        for (int i = 0; i < lines.size(); i++) {
            long times = full + (i < rest ? 1 : 0);
            if (times > 0) {
                t.addLine(lines.get(i), times);
            }
        }
        return t;
    }

    /** Totals read back from output records; {@code upserts}: last value per key, else the sum. */
    static Totals ofOutputs(List<ConsumerRecord<byte[], byte[]>> traffic, List<ConsumerRecord<byte[], byte[]>> errors,
                            List<ConsumerRecord<byte[], byte[]>> mbSent, boolean upserts) throws IOException {
        Totals t = new Totals();
        for (ConsumerRecord<byte[], byte[]> r : traffic) {
            JsonNode v = JSON.readTree(r.value());
            put(t.requests, v.get("host").asText(), v.get("requests").asLong(), upserts);
        }
        for (ConsumerRecord<byte[], byte[]> r : mbSent) {
            JsonNode v = JSON.readTree(r.value());
            put(t.bytes, v.get("host").asText(), v.get("bytes").asLong(), upserts);
        }
        for (ConsumerRecord<byte[], byte[]> r : errors) {
            JsonNode v = JSON.readTree(r.value());
            put(t.errors, v.get("host").asText() + "\t" + v.get("response").asInt(), v.get("errors").asLong(), upserts);
        }
        return t;
    }

    private static void put(Map<String, Long> map, String key, long value, boolean upserts) {
        if (upserts) {
            map.put(key, value);
        } else {
            map.merge(key, value, Long::sum);
        }
    }

    /** Why these totals differ from {@code expected}, or null when they are equal. */
    String differenceFrom(Totals expected) {
        if (!requests.equals(expected.requests)) {
            return "requests differ (" + requests.size() + " hosts vs " + expected.requests.size() + ")";
        }
        if (!bytes.equals(expected.bytes)) {
            return "bytes differ";
        }
        if (!errors.equals(expected.errors)) {
            return "errors differ (" + errors + " vs " + expected.errors + ")";
        }
        return null;
    }
}
