package io.spate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code spate bench} at a small size: every variant runs in its own JVM, totals agree, reports are written. */
class BenchCommandIT {

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void shouldMeasureEveryVariantAndFindTheSameTotals(@TempDir Path out) throws Exception {
        int rc = new CommandLine(new BenchCommand()).execute("--sizes", "20000", "--batch-sizes", "5000",
                "--rate", "2000", "--latency-seconds", "4", "--heap", "512m", "--out", out.toString());
        assertEquals(0, rc, "exit 0 means every variant's totals were exact");
        JsonNode report = new ObjectMapper().readTree(out.resolve("bench.json").toFile());
        JsonNode rows = report.get("rows");
        assertEquals(6, rows.size(), "ceiling, spate-cpu, spate-exactly-once, spate-connector, kafka-streams and pekko-streams (no GPU here): " + rows);
        for (JsonNode row : rows) {
            assertEquals(20_000, row.get("result").get("records").asLong(), row.toString());
            assertTrue(row.get("totals").asText().equals("exact") || row.get("variant").asText().equals("ceiling"), row.toString());
        }
        assertTrue(Files.size(out.resolve("bench-throughput.png")) > 1000);
        assertTrue(Files.size(out.resolve("bench-latency.png")) > 1000);
        assertTrue(Files.readString(out.resolve("bench.md")).contains("| spate-cpu | 20,000 |"));
        assertTrue(Files.readString(out.resolve("bench.md")).contains("| pekko-streams | 20,000 | 5,000 |"));
    }
}
