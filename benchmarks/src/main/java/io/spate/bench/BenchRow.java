package io.spate.bench;

/**
 * One line of the benchmark report.
 *
 * @param workload the job measured: golden-signals, word-count or hourly
 * @param variant the variant
 * @param records the input size
 * @param batchRecords max-records per batch of Spate and of the Pekko Streams peer (0 for others)
 * @param result what the variant measured
 * @param totals "exact" when the outputs' totals equal the independent ones, "n/a" for the ceiling, else what differed
 * @param ratioToCeiling records/s over the ceiling's at the same size, on the same workload's input
 * @param ratioToKafkaStreams records/s over Kafka Streams' at the same size (NaN if it did not run)
 * @param p50Millis end-to-end latency median at the fixed offered rate (NaN if not measured)
 * @param p99Millis end-to-end latency 99th percentile (NaN if not measured)
 */
public record BenchRow(String workload, String variant, long records, int batchRecords, VariantResult result, String totals,
                       double ratioToCeiling, double ratioToKafkaStreams, double p50Millis, double p99Millis) {

    /** A row of what a variant measured, with no ratios or latencies yet. */
    static BenchRow of(String workload, String variant, long records, int batchRecords, VariantResult result, String totals) {
        return new BenchRow(workload, variant, records, batchRecords, result, totals, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    /** This row with its ratios to the ceiling and to Kafka Streams. */
    BenchRow withRatios(double toCeiling, double toKafkaStreams) {
        return new BenchRow(workload, variant, records, batchRecords, result, totals, toCeiling, toKafkaStreams, p50Millis, p99Millis);
    }

    /** This row with its latencies. */
    BenchRow withLatency(double p50, double p99) {
        return new BenchRow(workload, variant, records, batchRecords, result, totals, ratioToCeiling, ratioToKafkaStreams, p50, p99);
    }
}
