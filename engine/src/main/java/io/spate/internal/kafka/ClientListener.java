package io.spate.internal.kafka;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Told of each Kafka client a pipeline makes and when it goes: the seam through which the runner
 * binds the clients' own metrics (lag, connections, request rates) to the pipeline's meters.
 * Called on the thread that makes or closes the client; it must not block.
 */
public interface ClientListener {

    /** Does nothing. */
    ClientListener NONE = new ClientListener() {
    };

    /** {@code consumer} was made. */
    default void consumerOpened(Consumer<?, ?> consumer) {
    }

    /** {@code producer} was made. */
    default void producerOpened(Producer<?, ?> producer) {
    }

    /** {@code client}, a consumer or producer made before, is about to be closed. */
    default void closing(Object client) {
    }
}
