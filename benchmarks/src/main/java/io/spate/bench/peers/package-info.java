/**
 * Spate's peers in the benchmark: the same golden-signals job written the way a JVM user would
 * write it without Spate, run on the same broker and data. Kafka Streams is here because it is what
 * a Kafka user on the JVM picks first; {@link io.spate.bench.peers.KafkaStreamsGoldenSignals} is its
 * topology, {@link io.spate.bench.peers.KafkaStreamsRunner} runs it to the end of its input (or
 * serves it for latency runs) and says how long that took. A hand-written Pekko Streams pipeline
 * on pekko-connectors-kafka is here because it is what Spate itself is built on, so it shows what
 * Spate adds or costs over writing the stream by hand: {@link io.spate.bench.peers.PekkoGoldenSignals}
 * is the graph, {@link io.spate.bench.peers.PekkoStreamsRunner} runs it the same two ways.
 */
package io.spate.bench.peers;
