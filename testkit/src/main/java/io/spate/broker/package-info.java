/**
 * A real Kafka broker for development, tests and the self-contained default run:
 * {@link io.spate.broker.EmbeddedKafkaBroker} runs one KRaft node (broker and controller in one
 * process) inside this JVM, configured by the immutable {@link io.spate.broker.BrokerSettings}.
 * It is the production broker code, not a mock, so what passes against it passes against a cluster
 * apart from replication; {@code spate broker} runs the same class as a standalone process.
 */
package io.spate.broker;
