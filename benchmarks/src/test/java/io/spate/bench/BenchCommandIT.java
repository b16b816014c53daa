package io.spate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import io.spate.testkit.SampleData;

/**
 * {@code spate bench} at a small size: every variant and workload runs in its own JVM, totals agree,
 * reports are written. The input is 5,000 log lines cycled four times, so word count and the hourly
 * windows (whose cycles are shifted in time) see repeated input, with 5xx lines, a Latin-1 host and
 * a malformed line added.
 */
class BenchCommandIT {

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void shouldMeasureEveryVariantAndWorkloadAndFindTheSameTotals(@TempDir Path out) throws Exception {
        Path input = out.resolve("input.log");
        Files.write(input, lines());

        int rc = new CommandLine(new BenchCommand()).execute("--input", input.toString(), "--sizes", "20000", "--batch-sizes", "5000",
                "--rate", "2000", "--latency-seconds", "4", "--heap", "512m", "--out", out.toString());

        assertEquals(0, rc, "exit 0 means every variant's totals were exact");
        JsonNode rows = new ObjectMapper().readTree(out.resolve("bench.json").toFile()).get("rows");
        Map<String, List<String>> variants = new TreeMap<>();
        for (JsonNode row : rows) {
            variants.computeIfAbsent(row.get("workload").asText(), w -> new ArrayList<>()).add(row.get("variant").asText());
            assertEquals(20_000, row.get("result").get("records").asLong(), row.toString());
            assertTrue(row.get("totals").asText().equals("exact") || row.get("variant").asText().equals("ceiling"), row.toString());
            assertTrue(row.get("ratioToCeiling").isNumber(), "each workload has its own ceiling: " + row);
        }
        assertEquals(Map.of(
                "golden-signals", List.of("ceiling", "spate-cpu", "spate-emit-1s", "spate-exactly-once", "spate-connector", "kafka-streams",
                        "pekko-streams"),
                "hourly", List.of("ceiling", "spate-cpu", "spate-emit-1s"),
                "word-count", List.of("ceiling", "spate-cpu", "spate-emit-1s")), variants, "no GPU here");
        JsonNode pekko = rows.get(6);
        assertEquals("pekko-streams", pekko.get("variant").asText());
        assertEquals(5000, pekko.get("batchRecords").asInt(), "batches as large as Spate's compared ones");
        assertTrue(pekko.get("p50Millis").isNumber(), "its latency was measured too: " + pekko);
        assertTrue(Files.size(out.resolve("bench-throughput.png")) > 1000);
        assertTrue(Files.size(out.resolve("bench-latency.png")) > 1000);
        assertTrue(Files.size(out.resolve("bench-workloads.png")) > 1000);
        String md = Files.readString(out.resolve("bench.md"));
        assertTrue(md.contains("### word-count") && md.contains("### hourly"), md);
        assertTrue(md.contains("| pekko-streams | 20,000 | 5,000 |"), md);
        // --cds is the default. A class archive takes jars only: where the class path has folders (a
        // test's), its training runs fail, and the bench says so and goes on without.
        assertTrue(md.contains("; class data sharing (each variant's own archive: ceiling, spate-cpu,")
                || md.contains("; no class data sharing (its training runs failed)"), md);
    }

    /** The first 5,000 sample lines, with lines every workload must count right; each takes the time of the line before it, so time stays in order. */
    private static byte[] lines() throws Exception {
        List<byte[]> lines = new ArrayList<>(SampleData.nasaLog().subList(0, 5_000));
        lines.add(1_000, atTimeOf(lines.get(999), "errhost.example - - [%s] \"GET /a HTTP/1.0\" 503 -"));
        lines.add(2_000, atTimeOf(lines.get(1_999), "caf\u00e9.example - - [%s] \"GET /CAF\u00c9/Men\u00fc HTTP/1.0\" 500 17"));
        lines.add(3_000, "not a log line".getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] line : lines) {
            all.write(line);
            all.write('\n');
        }
        return all.toByteArray();
    }

    private static byte[] atTimeOf(byte[] before, String format) {
        String s = new String(before, StandardCharsets.ISO_8859_1);
        return String.format(format, s.substring(s.indexOf('[') + 1, s.indexOf(']'))).getBytes(StandardCharsets.ISO_8859_1);
    }
}
