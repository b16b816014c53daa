package io.spate.it;

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
 * Golden-signal totals computed independently of the engine: a regex over decoded lines, Strings
 * and HashMaps; and the same totals summed from the engine's output records.
 */
public final class GoldenTotals {

    private static final Pattern CLF = Pattern.compile("^(\\S+) (\\S+) (\\S+) \\[([^\\]]+)\\] \"(.*)\" (\\d{3}) (\\S+)$");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Requests per host. */
    public final Map<String, Long> requests = new HashMap<>();
    /** 5xx errors per "host\tstatus". */
    public final Map<String, Long> errors = new HashMap<>();
    /** Bytes per host. */
    public final Map<String, Long> bytes = new HashMap<>();

    /** Totals of the lines that match the Common Log Format; others are skipped (they are dead letters). */
    public static GoldenTotals ofLines(List<byte[]> lines) {
        GoldenTotals t = new GoldenTotals();
        for (byte[] raw : lines) {
            Matcher m = CLF.matcher(new String(raw, StandardCharsets.ISO_8859_1));
            if (!m.matches()) {
                continue;
            }
            String host = m.group(1);
            int status = Integer.parseInt(m.group(6));
            long size = m.group(7).equals("-") ? 0 : Long.parseLong(m.group(7));
            t.requests.merge(host, 1L, Long::sum);
            t.bytes.merge(host, size, Long::sum);
            if (status >= 500) {
                t.errors.merge(host + "\t" + status, 1L, Long::sum);
            }
        }
        return t;
    }

    /** Totals summed from the output records of the three topics. */
    public static GoldenTotals ofOutputs(List<ConsumerRecord<byte[], byte[]>> traffic, List<ConsumerRecord<byte[], byte[]>> errors,
                                         List<ConsumerRecord<byte[], byte[]>> mbSent) throws IOException {
        GoldenTotals t = new GoldenTotals();
        for (ConsumerRecord<byte[], byte[]> r : traffic) {
            JsonNode n = JSON.readTree(r.value());
            t.requests.merge(n.get("host").asText(), n.get("requests").asLong(), Long::sum);
            checkKey(r, n.get("host").asText());
        }
        for (ConsumerRecord<byte[], byte[]> r : mbSent) {
            JsonNode n = JSON.readTree(r.value());
            t.bytes.merge(n.get("host").asText(), n.get("bytes").asLong(), Long::sum);
            checkKey(r, n.get("host").asText());
        }
        for (ConsumerRecord<byte[], byte[]> r : errors) {
            JsonNode n = JSON.readTree(r.value());
            t.errors.merge(n.get("host").asText() + "\t" + n.get("response").asInt(), n.get("errors").asLong(), Long::sum);
            JsonNode key = JSON.readTree(r.key());
            if (!key.get("host").asText().equals(n.get("host").asText()) || key.get("response").asInt() != n.get("response").asInt()) {
                throw new AssertionError("errors record keyed " + new String(r.key(), StandardCharsets.UTF_8) + " holds " + n);
            }
        }
        return t;
    }

    private static void checkKey(ConsumerRecord<byte[], byte[]> r, String host) {
        if (!new String(r.key(), StandardCharsets.UTF_8).equals(host)) {
            throw new AssertionError("record keyed " + new String(r.key(), StandardCharsets.UTF_8) + " is for host " + host);
        }
    }

    /** Sum of all requests. */
    public long totalRequests() {
        return requests.values().stream().mapToLong(Long::longValue).sum();
    }
}
