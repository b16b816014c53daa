/**
 * Spate's peers in the benchmark: the same golden-signals job written the way a JVM user of
 * another engine would write it, run on the same broker and data. Kafka Streams is here because it
 * is what a Kafka user on the JVM picks first; {@link io.spate.bench.peers.KafkaStreamsGoldenSignals}
 * is its topology, {@link io.spate.bench.peers.KafkaStreamsRunner} runs it to the end of its input
 * (or serves it for latency runs) and says how long that took.
 */
package io.spate.bench.peers;
