package io.spate.bench;

/**
 * One line of the benchmark report.
 *
 * @param variant the variant
 * @param records the input size
 * @param batchRecords Spate's max-records per batch (0 for others)
 * @param result what the variant measured
 * @param totals "exact" when the outputs' totals equal the independent ones, "n/a" for the ceiling, else what differed
 * @param ratioToCeiling records/s over the ceiling's at the same size
 * @param ratioToKafkaStreams records/s over Kafka Streams' at the same size (NaN if it did not run)
 * @param p50Millis end-to-end latency median at the fixed offered rate (NaN if not measured)
 * @param p99Millis end-to-end latency 99th percentile (NaN if not measured)
 */
public record BenchRow(String variant, long records, int batchRecords, VariantResult result, String totals,
                       double ratioToCeiling, double ratioToKafkaStreams, double p50Millis, double p99Millis) {
}
