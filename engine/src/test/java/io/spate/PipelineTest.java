package io.spate;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.spate.plan.ClfFormat;

/** The Java DSL refuses a pipeline that would feed its own output back to itself, or a topic Kafka cannot name. */
class PipelineTest {

    private static Pipeline.Builder logs() {
        return Pipeline.builder("p").source("logs").format(new ClfFormat());
    }

    private static String failure(Pipeline.Builder builder) {
        return assertThrows(IllegalArgumentException.class, builder::build).getMessage();
    }

    @Test
    void shouldRefuseADeadLetterTopicThatIsASourceTopic() {
        String msg = failure(logs().output("o", q -> q.count("n")).deadLetterTopic("logs"));
        assertTrue(msg.contains("dead-letter topic 'logs' is also a source topic"), msg);
    }

    @Test
    void shouldRefuseAnOutputTopicThatIsASourceTopic() {
        String msg = failure(logs().output("logs", q -> q.count("n")));
        assertTrue(msg.contains("output topic 'logs' is also a source topic"), msg);
    }

    @Test
    void shouldRefuseAnInvalidTopicName() {
        String msg = failure(logs().output("a/b", q -> q.count("n")));
        assertTrue(msg.contains("output topic") && msg.contains("a/b"), msg);
    }
}
