package io.spate.gpu.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.spate.RecordBatch;
import io.spate.frame.ColumnType;
import io.spate.plan.ClfFormat;
import io.spate.plan.DelimitedFormat;
import io.spate.plan.Field;
import io.spate.plan.InputFormat;
import io.spate.plan.JsonFormat;
import io.spate.plan.Plan;
import io.spate.plan.Query;

/**
 * What {@code spate gpu bench} times: the NASA log's requests as CLF lines, or the same requests
 * as CSV or JSON records, each under the same golden-signals queries, so the device's decode
 * kernels can be compared format by format.
 */
enum BenchWorkload {

    /** The log lines as they are. */
    CLF,
    /** host,method,"path",status,bytes with a header skipped. */
    CSV,
    /** {"host":...,"request":{"method":...,"path":...},"status":...,"bytes":...}. */
    JSON;

    /** A batch of {@code records} records made from the log lines {@code nasa}, taken round and round. */
    RecordBatch batch(List<byte[]> nasa, int records) {
        List<byte[]> out = new ArrayList<>(records);
        for (int i = 0; i < records; i++) {
            byte[] line = nasa.get(i % nasa.size());
            out.add(this == CLF ? line : convert(new String(line, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1));
        }
        return RecordBatch.of("bench", out);
    }

    /** The golden-signals queries over this workload's fields. */
    Plan plan() {
        String path = this == JSON ? "request.path" : "path";
        return Plan.of(format(),
                Query.builder("per-host").groupBy("host").count("requests").sum("bytes", "bytes").max("bytes", "largest").build(),
                Query.builder("errors").where("status >= 500").groupBy(path).count("errors").build(),
                Query.builder("per-status").groupBy("status").count("requests").mean("bytes", "mean").build());
    }

    private InputFormat format() {
        return switch (this) {
            case CLF -> new ClfFormat();
            case CSV -> DelimitedFormat.csv(fields("method", "path"));
            case JSON -> new JsonFormat(fields("request.method", "request.path"));
        };
    }

    private static List<Field> fields(String method, String path) {
        return List.of(new Field("host", ColumnType.UTF8), new Field(method, ColumnType.UTF8), new Field(path, ColumnType.UTF8),
                new Field("status", ColumnType.LONG), new Field("bytes", ColumnType.LONG));
    }

    /** The record of one CLF line in this format; a line that does not split is kept as is (and rejected alike by both backends). */
    private String convert(String line) {
        int space = line.indexOf(' ');
        int q1 = line.indexOf('"');
        int q2 = line.lastIndexOf('"');
        if (space < 0 || q1 < 0 || q2 <= q1) {
            return line;
        }
        String[] request = line.substring(q1 + 1, q2).split(" ", -1);
        String[] tail = line.substring(q2 + 1).trim().split(" ");
        String host = line.substring(0, space);
        String method = request[0];
        String path = request.length > 1 ? request[1] : "";
        String status = tail[0];
        String bytes = tail.length > 1 && !tail[1].equals("-") ? tail[1] : "0";
        if (this == CSV) {
            return host + "," + method + ",\"" + path.replace("\"", "\"\"") + "\"," + status + "," + bytes;
        }
        return "{\"host\":\"" + escape(host) + "\",\"request\":{\"method\":\"" + escape(method) + "\",\"path\":\"" + escape(path)
                + "\"},\"status\":" + status + ",\"bytes\":" + bytes + "}";
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
