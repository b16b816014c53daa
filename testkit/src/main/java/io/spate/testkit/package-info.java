/**
 * Test support users can use too: {@link io.spate.testkit.KafkaTopics} fills and reads topics with
 * plain Kafka clients; the broker itself is {@link io.spate.broker.EmbeddedKafkaBroker}.
 * {@link io.spate.testkit.PipelineTestDriver} runs a pipeline without a broker, as Kafka Streams'
 * {@code TopologyTestDriver} runs a topology: the engine's backend, encoder and state restore on
 * batches piped in by the test.
 * {@link io.spate.testkit.BackendContract} is the contract suite every
 * {@link io.spate.spi.ComputeBackend} passes, for a backend's own test to extend, with the plans it
 * runs in {@link io.spate.testkit.SamplePlans}.
 */
package io.spate.testkit;
