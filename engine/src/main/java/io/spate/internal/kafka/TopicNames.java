package io.spate.internal.kafka;

import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;

/**
 * Kafka's rules for topic names (ASCII letters, digits, {@code .}, {@code _} and {@code -}, at most
 * 249 characters, not {@code .} or {@code ..}), checked before a name reaches a broker: there a bad
 * one fails late, deep in a client's retries.
 */
public final class TopicNames {

    private TopicNames() {
    }

    /**
     * Returns {@code topic} if Kafka takes it as a topic name.
     *
     * @throws IllegalArgumentException saying which rule it breaks
     */
    public static String valid(String topic) {
        try {
            Topic.validate(topic);
            return topic;
        } catch (InvalidTopicException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }
}
