package io.spate.testkit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.spate.RecordBatch;
import io.spate.RecordBatchBuilder;
import io.spate.SourceOffsets;

/** Batches and Common Log Format records for the {@link BackendContract}'s cases. */
final class SampleRecords {

    private SampleRecords() {
    }

    static RecordBatch batch(List<byte[]> lines) {
        return RecordBatch.of("t", lines);
    }

    static List<byte[]> lines(String... text) {
        List<byte[]> out = new ArrayList<>();
        for (String t : text) {
            out.add(t.getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    static String[] concat(String[] a, String[] b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static String clf(String host, String path, int status, String bytes) {
        return host + " - - [01/Jul/1995:00:00:01 -0400] \"GET " + path + " HTTP/1.0\" " + status + " " + bytes;
    }

    /** A CLF record at {@code minute:second} past midnight of the day every sample has. */
    static String clfAt(String host, int minute, int second, int status, long bytes) {
        return String.format("%s - - [01/Jul/1995:00:%02d:%02d -0400] \"GET /x HTTP/1.0\" %d %d", host, minute, second, status, bytes);
    }

    /** A batch of {@code records} (partition, record text, ...) from topic t, offsets counted per partition from {@code offset}. */
    static RecordBatch partitioned(long offset, Object... records) {
        RecordBatchBuilder b = RecordBatch.builder(1024, records.length / 2);
        Map<Integer, Long> next = new HashMap<>();
        for (int i = 0; i < records.length; i += 2) {
            int partition = (Integer) records[i];
            byte[] v = ((String) records[i + 1]).getBytes(StandardCharsets.UTF_8);
            long at = next.merge(partition, 1L, Long::sum) - 1 + offset;
            b.append(v, 0, v.length, "t", partition, at);
        }
        return b.build(SourceOffsets.NONE, 0);
    }

    /** Batches from partitions 0 and 1, in and out of order, with records late in one partition only and late everywhere. */
    static List<RecordBatch> windowBatches() {
        return List.of(
                partitioned(0, 0, clfAt("a.com", 0, 5, 200, 10), 1, clfAt("b.com", 0, 30, 500, 20), 0, clfAt("a.com", 1, 10, 503, 30),
                        0, clfAt("b.com", 0, 50, 200, 40), 1, clfAt("a.com", 2, 0, 500, 50), 0, "malformed"),
                partitioned(3, 0, clfAt("a.com", 0, 1, 200, 1), 1, clfAt("a.com", 0, 59, 500, 2), 0, clfAt("c.com", 3, 0, 500, 3),
                        1, clfAt("c.com", 1, 45, 200, 4), 0, clfAt("a.com", 2, 20, 502, 5), 1, clfAt("b.com", 2, 5, 200, 6)),
                partitioned(6, 1, clfAt("a.com", 0, 10, 500, 7), 2, clfAt("d.com", 0, 10, 500, 8), 0, clfAt("a.com", 5, 0, 200, 9),
                        1, clfAt("b.com", 6, 0, 500, 10), 2, clfAt("d.com", 6, 30, 200, 11), 0, clfAt("a.com", 4, 59, 504, 12)),
                partitioned(9, 0, clfAt("a.com", 3, 0, 200, 13), 1, clfAt("b.com", 4, 40, 500, 14), 2, clfAt("e.com", 1, 0, 200, 15),
                        3, clfAt("f.com", 0, 0, 200, 16), 0, clfAt("a.com", 9, 0, 200, 17), 1, clfAt("b.com", 9, 30, 500, 18)));
    }
}
