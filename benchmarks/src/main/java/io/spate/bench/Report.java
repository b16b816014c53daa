package io.spate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/** The benchmark's outputs: a Markdown table, a JSON file of every figure, and a PNG chart. */
final class Report {

    private Report() {
    }

    /** The Markdown tables of {@code rows}: one per workload, in the order the rows come. */
    static String markdown(List<BenchRow> rows, String machine) {
        StringBuilder sb = new StringBuilder();
        sb.append("Machine: ").append(machine).append("\n");
        for (Map.Entry<String, List<BenchRow>> workload : byWorkload(rows).entrySet()) {
            sb.append("\n### ").append(workload.getKey()).append("\n\n");
            sb.append("| variant | records | batch | records/s | MB/s | x ceiling | x Kafka Streams | p50 ms | p99 ms | peak heap MB | heap after GC MB | CPU s / M records | totals |\n");
            sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
            for (BenchRow r : workload.getValue()) {
                VariantResult v = r.result();
                sb.append(String.format(Locale.ROOT, "| %s | %,d | %s | %,.0f | %.1f | %s | %s | %s | %s | %.0f | %.0f | %.2f | %s |%n",
                        r.variant(), r.records(), r.batchRecords() > 0 ? String.format(Locale.ROOT, "%,d", r.batchRecords()) : "-",
                        v.recordsPerSecond(), v.megabytesPerSecond(), fmt(r.ratioToCeiling()), fmt(r.ratioToKafkaStreams()),
                        fmt1(r.p50Millis()), fmt1(r.p99Millis()), v.peakHeapBytes() / 1e6, v.heapAfterGcBytes() / 1e6, v.cpuSecondsPerMillion(),
                        r.totals()));
            }
        }
        return sb.toString();
    }

    private static Map<String, List<BenchRow>> byWorkload(List<BenchRow> rows) {
        Map<String, List<BenchRow>> out = new LinkedHashMap<>();
        for (BenchRow r : rows) {
            out.computeIfAbsent(r.workload(), w -> new ArrayList<>()).add(r);
        }
        return out;
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String fmt1(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.0f", v);
    }

    /** Writes {@code bench.json}, {@code bench.md} and the charts ({@code bench-*.png}) into {@code dir}. */
    static void write(Path dir, List<BenchRow> rows, String machine) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("machine", machine);
        doc.put("rows", rows);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("bench.json").toFile(), doc);
        Files.writeString(dir.resolve("bench.md"), markdown(rows, machine));
        chart(dir, rows);
    }

    private static void chart(Path dir, List<BenchRow> all) throws IOException {
        workloadsChart(dir, all);
        List<BenchRow> rows = all.stream().filter(r -> r.workload().equals(GoldenSignals.NAME)).toList();
        if (rows.isEmpty()) {
            return;
        }
        long largest = rows.stream().mapToLong(BenchRow::records).max().orElse(0);
        List<String> names = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        List<String> latencyNames = new ArrayList<>();
        List<Double> p50 = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        for (BenchRow r : rows) {
            if (r.records() != largest) {
                continue;
            }
            String name = r.variant() + (r.batchRecords() > 0 ? " (batch " + r.batchRecords() + ")" : "");
            names.add(name);
            rates.add(r.result().recordsPerSecond() / 1000);
            if (!Double.isNaN(r.p50Millis())) {
                latencyNames.add(name);
                p50.add(r.p50Millis());
                p99.add(r.p99Millis());
            }
        }
        // Upright names, each under its own bar: slanted ones run past the next bar and the last is cut off.
        CategoryChart throughput = new CategoryChartBuilder().width(900).height(560)
                .title(String.format(Locale.ROOT, "Golden signals, %,d NASA log records: throughput", largest))
                .xAxisTitle("variant").yAxisTitle("thousand records/s").build();
        throughput.getStyler().setLegendVisible(false);
        throughput.getStyler().setXAxisLabelRotation(90);
        throughput.addSeries("records/s", names, rates);
        BitmapEncoder.saveBitmap(throughput, dir.resolve("bench-throughput").toString(), BitmapEncoder.BitmapFormat.PNG);
        if (!latencyNames.isEmpty()) {
            CategoryChart latency = new CategoryChartBuilder().width(900).height(420)
                    .title("End-to-end latency at a fixed offered rate").xAxisTitle("variant").yAxisTitle("ms").build();
            latency.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
            latency.addSeries("p50", latencyNames, p50);
            latency.addSeries("p99", latencyNames, p99);
            BitmapEncoder.saveBitmap(latency, dir.resolve("bench-latency").toString(), BitmapEncoder.BitmapFormat.PNG);
        }
        XYChart sweep = new XYChartBuilder().width(900).height(420).title("Spate CPU: throughput by input size and batch size")
                .xAxisTitle("input records").yAxisTitle("thousand records/s").build();
        sweep.getStyler().setXAxisLogarithmic(true);
        Map<Integer, List<double[]>> byBatch = new LinkedHashMap<>();
        for (BenchRow r : rows) {
            if (r.variant().equals("spate-cpu")) {
                byBatch.computeIfAbsent(r.batchRecords(), b -> new ArrayList<>()).add(new double[] {r.records(), r.result().recordsPerSecond() / 1000});
            }
        }
        byBatch.forEach((batch, points) -> {
            if (points.size() > 1) {
                sweep.addSeries("batch " + batch, points.stream().mapToDouble(p -> p[0]).toArray(), points.stream().mapToDouble(p -> p[1]).toArray());
            }
        });
        if (!sweep.getSeriesMap().isEmpty()) {
            BitmapEncoder.saveBitmap(sweep, dir.resolve("bench-sweep").toString(), BitmapEncoder.BitmapFormat.PNG);
        }
    }

    /** Spate CPU (at the compared batch size: the last of the sweep) against each workload's own ceiling, at the largest size. */
    private static void workloadsChart(Path dir, List<BenchRow> rows) throws IOException {
        long largest = rows.stream().mapToLong(BenchRow::records).max().orElse(0);
        List<String> names = new ArrayList<>();
        List<Double> ceilings = new ArrayList<>();
        List<Double> spate = new ArrayList<>();
        for (Map.Entry<String, List<BenchRow>> workload : byWorkload(rows).entrySet()) {
            BenchRow ceiling = null;
            BenchRow cpu = null;
            for (BenchRow r : workload.getValue()) {
                if (r.records() == largest && r.variant().equals("ceiling")) {
                    ceiling = r;
                } else if (r.records() == largest && r.variant().equals("spate-cpu")) {
                    cpu = r;
                }
            }
            if (ceiling != null && cpu != null) {
                names.add(String.format(Locale.ROOT, "%s (x %.2f)", workload.getKey(), cpu.ratioToCeiling()));
                ceilings.add(ceiling.result().recordsPerSecond() / 1000);
                spate.add(cpu.result().recordsPerSecond() / 1000);
            }
        }
        if (names.isEmpty()) {
            return;
        }
        CategoryChart chart = new CategoryChartBuilder().width(900).height(420)
                .title(String.format(Locale.ROOT, "Spate CPU against each workload's ceiling, %,d records", largest))
                .xAxisTitle("workload (Spate CPU / ceiling)").yAxisTitle("thousand records/s").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.addSeries("ceiling", names, ceilings);
        chart.addSeries("spate-cpu", names, spate);
        BitmapEncoder.saveBitmap(chart, dir.resolve("bench-workloads").toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
