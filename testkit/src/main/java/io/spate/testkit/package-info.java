/**
 * Test support users can use too: {@link io.spate.testkit.KafkaTopics} fills and reads topics with
 * plain Kafka clients; the broker itself is {@link io.spate.broker.EmbeddedKafkaBroker}.
 */
package io.spate.testkit;
