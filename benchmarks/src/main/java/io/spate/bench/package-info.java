/**
 * Benchmarks: JMH micro-benchmarks of the hot paths ({@code io.spate.bench.jmh}) and the end-to-end
 * harness behind {@code spate bench}, which measures Spate against the ceiling (a plain consumer)
 * and its peers (Kafka Streams) on the same broker, data and machine, in one run.
 */
package io.spate.bench;
