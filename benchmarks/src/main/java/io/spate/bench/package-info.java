/**
 * Benchmarks: JMH micro-benchmarks of the hot paths ({@code io.spate.bench.jmh}) and the end-to-end
 * harness behind {@code spate bench}, which measures Spate against the ceiling (a plain consumer)
 * and its peers (Kafka Streams, a hand-written Pekko Streams pipeline: {@code io.spate.bench.peers})
 * on the golden signals, and against each workload's own ceiling on word count and hourly windows,
 * on the same broker, data and machine, in one run. Each {@link io.spate.bench.Workload} makes its
 * input from the log lines and knows the totals its outputs must reach, computed without the engine.
 */
package io.spate.bench;
