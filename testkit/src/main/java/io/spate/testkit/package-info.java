/**
 * Test support users can use too: {@link io.spate.testkit.KafkaTopics} fills and reads topics with
 * plain Kafka clients; the broker itself is {@link io.spate.broker.EmbeddedKafkaBroker}.
 * {@link io.spate.testkit.PipelineTestDriver} runs a pipeline without a broker, as Kafka Streams'
 * {@code TopologyTestDriver} runs a topology: the engine's backend, encoder and state restore on
 * batches piped in by the test.
 */
package io.spate.testkit;
