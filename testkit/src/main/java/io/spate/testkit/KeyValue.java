package io.spate.testkit;

/**
 * One record a {@link PipelineTestDriver} wrote to an output topic, as a Kafka consumer would read
 * it with string deserializers: the group key (the key's text for one group key, a JSON object for
 * several, {@code null} for none) and the JSON value.
 *
 * @param key the record key, or {@code null}
 * @param value the record value
 */
public record KeyValue(String key, String value) {
}
