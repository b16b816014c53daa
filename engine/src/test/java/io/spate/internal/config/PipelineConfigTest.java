package io.spate.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.spate.Pipeline;
import io.spate.SpateSettings;
import io.spate.frame.ColumnType;
import io.spate.internal.config.NodeConfig;
import io.spate.plan.ClfFormat;
import io.spate.plan.DelimitedFormat;
import io.spate.plan.Field;
import io.spate.plan.JsonFormat;
import io.spate.plan.Window;

class PipelineConfigTest {

    private static Config config(String pipelines) {
        return ConfigFactory.parseString("spate.pipelines = [" + pipelines + "]").withFallback(ConfigFactory.load()).resolve();
    }

    private static String failure(String pipelines) {
        return assertThrows(ConfigException.class, () -> PipelineConfig.pipelines(config(pipelines))).getMessage();
    }

    @Test
    void shouldReadTheShippedGoldenSignalsFile() {
        File file = new File("../config/golden-signals.conf");
        Config cfg = NodeConfig.load(file, "127.0.0.1:1234", List.of("spate.batch.max-records=123"));
        List<Pipeline> pipelines = PipelineConfig.pipelines(cfg);
        assertEquals(1, pipelines.size());
        Pipeline p = pipelines.get(0);
        assertEquals(List.of("weblogs"), p.topics());
        assertEquals(List.of("traffic", "errors", "mb-sent"), p.outputTopics());
        assertEquals("weblogs.dlq", p.deadLetterTopic());
        assertEquals("spate-golden-signals", p.groupId());
        assertEquals(Pipeline.StartingOffset.EARLIEST, p.startingOffset());
        assertTrue(p.plan().format() instanceof ClfFormat);
        assertEquals(List.of("host", "response", "errors"), p.plan().queries().get(1).outputNames());
        SpateSettings settings = SpateSettings.create(cfg);
        assertEquals("127.0.0.1:1234", settings.bootstrapServers());
        assertEquals(123, settings.batch().maxRecords());
    }

    @Test
    void shouldReadDelimitedAndJsonFormats() {
        List<Pipeline> ps = PipelineConfig.pipelines(config(
                "{ name = a, source { topics = [t] }, format { type = tsv, columns = [\"user:long\", \"item:long\", \"rating:double\", ts] },"
                        + " outputs = [{ topic = o, group-by = [user], aggregates = [\"mean(rating) as r\"] }] },"
                        + "{ name = b, source { topics = [c], starting-offset = latest }, format { type = json, fields = [commit.committer.name] },"
                        + " outputs = [{ topic = p, group-by = [commit.committer.name], aggregates = [count] }] }"));
        DelimitedFormat tsv = (DelimitedFormat) ps.get(0).plan().format();
        assertEquals('\t', tsv.delimiter());
        assertEquals(4, tsv.columns().size());
        assertTrue(ps.get(1).plan().format() instanceof JsonFormat);
        assertEquals(Pipeline.StartingOffset.LATEST, ps.get(1).startingOffset());
    }

    @Test
    void shouldNameTheKeyOfAnUnknownFormat() {
        String msg = failure("{ name = x, source { topics = [a] }, format { type = nope }, outputs = [{ topic = o, aggregates = [count] }] }");
        assertTrue(msg.contains("spate.pipelines[0].format.type"), msg);
    }

    @Test
    void shouldNameTheKeyOfAMissingTopicList() {
        String msg = failure("{ name = x, format { type = clf }, outputs = [{ topic = o, aggregates = [count] }] }");
        assertTrue(msg.contains("spate.pipelines[0].source.topics"), msg);
    }

    @Test
    void shouldNameTheOutputOfAnUnknownColumn() {
        String msg = failure("{ name = x, source { topics = [a] }, format { type = clf }, outputs = [{ topic = o, group-by = [hots], aggregates = [count] }] }");
        assertTrue(msg.contains("spate.pipelines[0].outputs[0]") && msg.contains("hots"), msg);
    }

    @Test
    void shouldNameTheKeyOfABadFilter() {
        String msg = failure("{ name = x, source { topics = [a] }, format { type = clf }, outputs = [{ topic = o, where = [\"status >> 5\"], aggregates = [count] }] }");
        assertTrue(msg.contains("spate.pipelines[0].outputs[0].where"), msg);
    }

    @Test
    void shouldRefuseAStringSum() {
        String msg = failure("{ name = x, source { topics = [a] }, format { type = clf }, outputs = [{ topic = o, aggregates = [\"sum(host)\"] }] }");
        assertTrue(msg.contains("sum(host)") && msg.contains("string"), msg);
    }

    @Test
    void shouldNameTheKeyOfABadBatchSetting() {
        Config cfg = NodeConfig.load(new File("../config/golden-signals.conf"), null, List.of("spate.batch.max-records=abc"));
        String msg = assertThrows(ConfigException.class, () -> SpateSettings.create(cfg)).getMessage();
        assertTrue(msg.contains("spate.batch.max-records"), msg);
    }

    @Test
    void shouldNameTheKeyOfANonPositiveInFlight() {
        Config cfg = NodeConfig.load((File) null, null, List.of("spate.compute.in-flight=0"));
        String msg = assertThrows(ConfigException.class, () -> SpateSettings.create(cfg)).getMessage();
        assertTrue(msg.contains("spate.compute.in-flight"), msg);
    }

    @Test
    void shouldTakeSetValuesThatAreNotHoconAsStrings() {
        Config cfg = NodeConfig.load((File) null, null, List.of("spate.kafka.bootstrap-servers=host-a:9092,host-b:9092"));
        assertEquals("host-a:9092,host-b:9092", SpateSettings.create(cfg).bootstrapServers());
    }

    /** A valid pipeline with {@code extra} spliced into its output. */
    private static String withOutput(String extra) {
        return "{ name = x, source { topics = [a] }, format { type = clf }, outputs = [{ topic = o, aggregates = [count], " + extra + " }] }";
    }

    private static void assertUnknown(String key, String hint, String pipelines) {
        String msg = failure(pipelines);
        assertTrue(msg.contains(key + ": unknown key; " + hint), msg);
    }

    @Test
    void shouldRefuseAnUnknownPipelineKeyNamingTheClosestKnownOne() {
        assertUnknown("spate.pipelines[0].dead-leter-topic", "did you mean dead-letter-topic?",
                "{ name = x, dead-leter-topic = d, source { topics = [a] }, format { type = clf }, outputs = [{ topic = o, aggregates = [count] }] }");
        assertUnknown("spate.pipelines[0].Name", "did you mean name?",
                "{ Name = x, source { topics = [a] }, format { type = clf }, outputs = [{ topic = o, aggregates = [count] }] }");
    }

    @Test
    void shouldRefuseAnUnknownSourceKey() {
        assertUnknown("spate.pipelines[0].source.group_id", "did you mean group-id?",
                "{ name = x, source { topics = [a], group_id = g }, format { type = clf }, outputs = [{ topic = o, aggregates = [count] }] }");
    }

    @Test
    void shouldRefuseAnUnknownFormatKeyAndOneItsTypeDoesNotTake() {
        assertUnknown("spate.pipelines[0].format.colums", "did you mean columns?",
                "{ name = x, source { topics = [a] }, format { type = csv, colums = [a] }, outputs = [{ topic = o, aggregates = [count] }] }");
        assertUnknown("spate.pipelines[0].format.fields", "known keys: type",
                "{ name = x, source { topics = [a] }, format { type = clf, fields = [a] }, outputs = [{ topic = o, aggregates = [count] }] }");
    }

    @Test
    void shouldRefuseAnUnknownOutputKeyInsteadOfDroppingTheGroupingOrTheFilter() {
        assertUnknown("spate.pipelines[0].outputs[0].group_by", "did you mean group-by?", withOutput("group_by = [host]"));
        assertUnknown("spate.pipelines[0].outputs[0].wher", "did you mean where?", withOutput("wher = [\"bytes > 100\"]"));
    }

    @Test
    void shouldRefuseAnUnknownWindowKey() {
        assertUnknown("spate.pipelines[0].outputs[0].window.advnce", "did you mean advance?",
                withOutput("window { column = timestamp, size = 1h, advnce = 1h }"));
    }

    @Test
    void shouldReadTheWindowTimeUnitMillisUnlessSet() {
        String tsv = "{ name = x, source { topics = [a] }, format { type = tsv, header = \"host\\ttime:long\" }, outputs = [{ topic = o, "
                + "aggregates = [count], window { column = time, size = 1h%s } }] }";
        assertEquals(Window.Unit.MILLIS, window(PipelineConfig.pipelines(config(String.format(tsv, "")))).unit());
        assertEquals(Window.Unit.SECONDS, window(PipelineConfig.pipelines(config(String.format(tsv, ", unit = seconds")))).unit());
        assertEquals(Window.Unit.MICROS, window(PipelineConfig.pipelines(config(String.format(tsv, ", unit = MICROS")))).unit());
        String msg = failure(String.format(tsv, ", unit = hours"));
        assertTrue(msg.contains("spate.pipelines[0].outputs[0].window.unit") && msg.contains("expected seconds, millis or micros"), msg);
    }

    @Test
    void shouldWindowOnTheRecordTimestampAndReadMetadataColumnsInAnyFormat() {
        String json = "{ name = x, source { topics = [a] }, format { type = json, fields = [\"amount:long\"] }, outputs = [{ topic = o, "
                + "where = [\"_header.tenant = acme\"], group-by = [_key, \"_header.trace-id as trace\"], aggregates = [count], "
                + "window { size = 1m } }] }";
        Pipeline p = PipelineConfig.pipelines(config(json)).get(0);
        assertEquals("_timestamp", window(List.of(p)).column(), "Kafka Streams' default event time");
        assertEquals(Window.Unit.MILLIS, window(List.of(p)).unit());
        assertEquals(List.of(new Field("_header.tenant", ColumnType.UTF8), new Field("_header.trace-id", ColumnType.UTF8),
                new Field("_key", ColumnType.UTF8), new Field("_timestamp", ColumnType.LONG)), p.plan().referencedFields());
        assertEquals(List.of(), p.plan().decodedFields());
    }

    private static Window window(List<Pipeline> pipelines) {
        return pipelines.get(0).plan().queries().get(0).window().orElseThrow();
    }

    @Test
    void shouldReadTheShippedTsvGoldenSignalsFileWithTypedHeaderColumns() {
        Pipeline p = PipelineConfig.pipelines(NodeConfig.load(new File("../config/golden-signals-tsv.conf"), null, List.of())).get(0);
        assertEquals(List.of("traffic-hourly-tsv", "errors-hourly-tsv", "mb-sent-hourly-tsv"), p.outputTopics());
        assertEquals(List.of(new Field("host", ColumnType.UTF8), new Field("logname", ColumnType.UTF8), new Field("time", ColumnType.LONG),
                new Field("method", ColumnType.UTF8), new Field("url", ColumnType.UTF8), new Field("response", ColumnType.LONG),
                new Field("bytes", ColumnType.LONG)), p.plan().format().schema());
        assertEquals(Window.Unit.SECONDS, window(List.of(p)).unit());
    }

    @Test
    void shouldRefuseAnUnknownBatchKey() {
        assertUnknown("spate.pipelines[0].batch.max-record", "did you mean max-records?",
                "{ name = x, batch { max-record = 10 }, source { topics = [a] }, format { type = clf }, outputs = [{ topic = o, aggregates = [count] }] }");
    }

    @Test
    void shouldRefuseAnUnknownTokenizeKey() {
        assertUnknown("spate.pipelines[0].outputs[0].tokenize.lower-case", "did you mean lowercase?",
                withOutput("tokenize { column = host, lower-case = true }"));
    }

    @Test
    void shouldRefuseAnUnknownClassifyOrRecommendKey() {
        assertUnknown("spate.pipelines[0].outputs[0].classify.treshold", "did you mean threshold?",
                "{ name = x, source { topics = [a] }, format { type = clf }, outputs = [{ topic = o, classify { model = m, id = host, features = [bytes], treshold = 0.7 } }] }");
        assertUnknown("spate.pipelines[0].outputs[0].recommend.exclude_rated", "did you mean exclude-rated?",
                "{ name = x, source { topics = [a] }, format { type = clf }, outputs = [{ topic = o, recommend { model = m, exclude_rated = false } }] }");
        assertUnknown("spate.pipelines[0].outputs[0].group-by", "known keys: classify, name, topic",
                "{ name = x, source { topics = [a] }, format { type = clf }, outputs = [{ topic = o, group-by = [host], classify { model = m } }] }");
    }

    @Test
    void shouldNameTheKeyTheTypeAndTheValueOfAWrongType() {
        String msg = failure(withOutput("running = maybe"));
        assertTrue(msg.contains("'spate.pipelines[0].outputs[0].running': expected boolean, was \"maybe\""), msg);
        msg = failure("{ name = x, batch { max-records = lots }, source { topics = [a] }, format { type = clf }, outputs = [{ topic = o, aggregates = [count] }] }");
        assertTrue(msg.contains("'spate.pipelines[0].batch.max-records': expected number, was \"lots\""), msg);
    }

    @Test
    void shouldLoadEveryShippedConfig(@TempDir Path dir) throws IOException {
        Path model = Files.writeString(dir.resolve("model.safetensors"), "");
        List<Path> files;
        try (var list = Files.list(Path.of("../config"))) {
            files = list.filter(f -> f.toString().endsWith(".conf")).sorted().toList();
        }
        assertTrue(files.size() >= 5, files.toString());
        for (Path file : files) {
            Config cfg = NodeConfig.load(file.toFile(), null, List.of("spate.models.mlp=" + model, "spate.models.mf=" + model));
            assertTrue(!PipelineConfig.pipelines(cfg).isEmpty(), file.toString());
        }
    }
}
