package io.spate.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

/** A pipeline's topics: Kafka's naming rules, and no topic both read and written (a loop), each failing with its key. */
class PipelineTopicsTest {

    private static Config config(String pipelines) {
        return ConfigFactory.parseString("spate.pipelines = [" + pipelines + "]").withFallback(ConfigFactory.load()).resolve();
    }

    private static String failure(Config config) {
        return assertThrows(ConfigException.class, () -> PipelineConfig.pipelines(config)).getMessage();
    }

    private static String failure(String pipelines) {
        return failure(config(pipelines));
    }

    @Test
    void shouldRefuseADeadLetterTopicThatIsASourceTopic() {
        String msg = failure("{ name = p, source { topics = [other, logs] }, format { type = clf }, dead-letter-topic = logs,"
                + " outputs = [{ topic = o, aggregates = [count] }] }");
        assertTrue(msg.contains("spate.pipelines[0].dead-letter-topic"), msg);
        assertTrue(msg.contains("'logs' is also a source topic of the pipeline; dead letters would be read again"), msg);
    }

    @Test
    void shouldNameTheSuffixWhenTheDefaultDeadLetterTopicIsTheSourceTopic() {
        Config config = ConfigFactory.parseString("spate.dead-letter-suffix = \"\"").withFallback(config(
                "{ name = p, source { topics = [logs] }, format { type = clf }, outputs = [{ topic = o, aggregates = [count] }] }"));
        String msg = failure(config);
        assertTrue(msg.contains("spate.dead-letter-suffix"), msg);
        assertTrue(msg.contains("'logs' is also a source topic"), msg);
    }

    @Test
    void shouldRefuseAnOutputTopicThatIsASourceTopic() {
        String msg = failure("{ name = p, source { topics = [logs] }, format { type = clf },"
                + " outputs = [{ topic = o, aggregates = [count] }, { topic = logs, aggregates = [count] }] }");
        assertTrue(msg.contains("spate.pipelines[0].outputs[1].topic"), msg);
        assertTrue(msg.contains("'logs' is also a source topic of the pipeline; its results would be read again as input"), msg);
    }

    @Test
    void shouldNameEachKeyWithAnInvalidTopicName() {
        assertTrue(failure("{ name = p, source { topics = [\"web logs\"] }, format { type = clf }, outputs = [{ topic = o, aggregates = [count] }] }")
                .contains("spate.pipelines[0].source.topics"));
        assertTrue(failure("{ name = p, source { topics = [logs] }, format { type = clf }, outputs = [{ topic = \"..\", aggregates = [count] }] }")
                .contains("spate.pipelines[0].outputs[0].topic"));
        String msg = failure("{ name = p, source { topics = [logs] }, format { type = clf }, dead-letter-topic = \"" + "x".repeat(250) + "\","
                + " outputs = [{ topic = o, aggregates = [count] }] }");
        assertTrue(msg.contains("spate.pipelines[0].dead-letter-topic") && msg.contains("249"), msg);
    }

    @Test
    void shouldTakeDistinctValidTopics() {
        assertEquals("logs.dlq", PipelineConfig.pipelines(config(
                "{ name = p, source { topics = [logs] }, format { type = clf }, outputs = [{ topic = o_1-x.y, aggregates = [count] }] }"))
                .get(0).deadLetterTopic());
    }
}
