/**
 * JMH micro-benchmarks of the per-batch hot paths, each scored in records (or rows) per second:
 * filling a batch ({@link io.spate.bench.jmh.BatcherBenchmark}), decoding the input formats
 * ({@link io.spate.bench.jmh.CodecBenchmark}), hash group-by ({@link
 * io.spate.bench.jmh.GroupByBenchmark}), JSON encoding of result rows ({@link
 * io.spate.bench.jmh.EncoderBenchmark}), and whole workloads' compute per batch: word count
 * ({@link io.spate.bench.jmh.WordCountBenchmark}) and the hourly windows ({@link
 * io.spate.bench.jmh.HourlyBenchmark}).
 *
 * <p>They live apart from the unit tests because timings belong in a JMH fork on a quiet machine,
 * never in assertions. Every benchmark reads real data (the NASA HTTP log) prepared once per trial
 * by {@link io.spate.bench.jmh.BenchData}, and counts the payload bytes it handled in a
 * {@link io.spate.bench.jmh.ByteCounter}, so each result carries a measured bytes-per-second line
 * next to its records-per-second score. {@code benchmarks/JMH.md} says how to run them and records
 * the last results.
 */
package io.spate.bench.jmh;
