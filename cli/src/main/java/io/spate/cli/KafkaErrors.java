package io.spate.cli;

import org.apache.kafka.common.config.ConfigException;

/** Kafka client failures that are the user's to fix, told apart from the others by their causes. */
final class KafkaErrors {

    private KafkaErrors() {
    }

    /**
     * The message of a client setting a Kafka client refused when it was built (a bootstrap host
     * that does not resolve, say), or null if {@code e} is not one.
     */
    static String refusedSetting(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof ConfigException) {
                return c.getMessage();
            }
        }
        return null;
    }
}
