package io.spate.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.spate.BatchSettings;
import io.spate.Pipeline;
import io.spate.SpateSettings;
import io.spate.frame.ColumnType;
import io.spate.internal.model.Mlp;
import io.spate.plan.Classify;
import io.spate.plan.ClfFormat;
import io.spate.plan.Field;
import io.spate.plan.JsonFormat;
import io.spate.plan.Window;

/** The broker-free test driver runs the engine's backend, encoder and state restore as a node does. */
class PipelineTestDriverTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SpateSettings SETTINGS = SpateSettings.create(ConfigFactory.load());
    private static final SpateSettings NO_RESTORE = SpateSettings.create(
            ConfigFactory.parseString("spate.state.restore = false").withFallback(ConfigFactory.load()));

    private static final Pipeline GOLDEN_SIGNALS = Pipeline.builder("golden-signals")
            .source("weblogs")
            .format(new ClfFormat())
            .output("traffic", q -> q.groupBy("host").count("requests"))
            .output("errors", q -> q.where("status >= 500").groupBy("host", "status as response").count("errors"))
            .output("mb-sent", q -> q.groupBy("host").sum("bytes", "bytes"))
            .build();

    private static final Pipeline WORD_COUNT = Pipeline.builder("word-count")
            .source("texts")
            .format(new JsonFormat(List.of(new Field("text", ColumnType.UTF8))))
            .output("word-counts", q -> q.tokenize("text", "word", true).groupBy("word").count("count").running())
            .build();

    private static final Pipeline HOURLY = Pipeline.builder("hourly")
            .source("weblogs")
            .format(new ClfFormat())
            .output("traffic-hourly", q -> q.groupBy("host").count("requests").running()
                    .window(Window.tumbling("timestamp", Duration.ofHours(1))))
            .build();

    private static final DateTimeFormatter CLF_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);
    private static final OffsetDateTime MIDNIGHT = OffsetDateTime.parse("1995-07-01T00:00:00-04:00");

    /** A NASA log line of {@code host} at {@code minutes} past midnight of 1 July 1995 (log time, -0400). */
    private static String at(String host, int minutes) {
        return host + " - - [" + CLF_TIME.format(MIDNIGHT.plusMinutes(minutes)) + "] \"GET /images/NASA-logosmall.gif HTTP/1.0\" 200 786";
    }

    /** Epoch milliseconds of {@code minutes} past that midnight. */
    private static long millis(int minutes) {
        return MIDNIGHT.plusMinutes(minutes).toInstant().toEpochMilli();
    }

    private static String words(String text) {
        return "{\"text\": \"" + text + "\"}";
    }

    /** README.md shows this test as it is ("Testing a pipeline without a broker"): change both together. */
    @Test
    void shouldCountRequestsAndServerErrorsPerHost() {
        Pipeline pipeline = Pipeline.builder("golden-signals").source("weblogs").format(new ClfFormat())
                .output("traffic", q -> q.groupBy("host").count("requests"))
                .output("errors", q -> q.where("status >= 500").groupBy("host", "status as response").count("errors"))
                .build();
        try (PipelineTestDriver driver = new PipelineTestDriver(pipeline)) {
            driver.input("weblogs").pipe(
                    "199.72.81.55 - - [01/Jul/1995:00:00:01 -0400] \"GET /history/apollo/ HTTP/1.0\" 200 6245",
                    "163.205.1.45 - - [03/Jul/1995:10:49:40 -0400] \"GET /cgi-bin/geturlstats.pl HTTP/1.0\" 500 0",
                    "199.72.81.55 - - [01/Jul/1995:00:00:09 -0400] \"GET /shuttle/countdown/ HTTP/1.0\" 200 3985");
            assertEquals(List.of(new KeyValue("199.72.81.55", "{\"host\":\"199.72.81.55\",\"requests\":2}"),
                            new KeyValue("163.205.1.45", "{\"host\":\"163.205.1.45\",\"requests\":1}")),
                    driver.output("traffic").readKeyValues());
            assertEquals(List.of(new KeyValue("{\"host\":\"163.205.1.45\",\"response\":500}",
                            "{\"host\":\"163.205.1.45\",\"response\":500,\"errors\":1}")),
                    driver.output("errors").readKeyValues());
        }
    }

    @Test
    void shouldBeTheTestTheReadmeShows() throws Exception {
        Path readme = Path.of("..", "README.md");
        Path source = Path.of("src", "test", "java", "io", "spate", "testkit", "PipelineTestDriverTest.java");
        assumeTrue(Files.exists(readme) && Files.exists(source), "run from the testkit module of a checkout");
        String test = Files.readString(source);
        int from = test.indexOf("    @Test\n    void shouldCountRequestsAndServerErrorsPerHost()");
        String shown = test.substring(from, test.indexOf("\n    }\n", from) + 7).replaceAll("(?m)^    ", "");
        assertTrue(Files.readString(readme).contains("```java\n" + shown + "```\n"), "README.md shows:\n" + shown);
    }

    @Test
    void shouldWriteTheGoldenSignalsOfEachBatch() {
        try (PipelineTestDriver driver = new PipelineTestDriver(GOLDEN_SIGNALS, SETTINGS)) {
            driver.input("weblogs").pipe(
                    "199.72.81.55 - - [01/Jul/1995:00:00:01 -0400] \"GET /history/apollo/ HTTP/1.0\" 200 6245",
                    "unicomp6.unicomp.net - - [01/Jul/1995:00:00:06 -0400] \"GET /shuttle/countdown/ HTTP/1.0\" 200 3985",
                    "163.205.1.45 - - [03/Jul/1995:10:49:40 -0400] \"GET /cgi-bin/geturlstats.pl HTTP/1.0\" 500 0",
                    "199.72.81.55 - - [01/Jul/1995:00:00:09 -0400] \"GET /shuttle/missions/sts-73/mission-sts-73.html HTTP/1.0\" 200 4085",
                    "163.205.1.45 - - [03/Jul/1995:10:50:01 -0400] \"POST /cgi-bin/wais HTTP/1.0\" 501 -",
                    "163.205.1.45 - - [03/Jul/1995:10:50:05 -0400] \"GET /cgi-bin/geturlstats.pl HTTP/1.0\" 500 0");
            assertEquals(List.of(
                    new KeyValue("199.72.81.55", "{\"host\":\"199.72.81.55\",\"requests\":2}"),
                    new KeyValue("unicomp6.unicomp.net", "{\"host\":\"unicomp6.unicomp.net\",\"requests\":1}"),
                    new KeyValue("163.205.1.45", "{\"host\":\"163.205.1.45\",\"requests\":3}")), driver.output("traffic").readKeyValues());
            assertEquals(List.of(
                    new KeyValue("{\"host\":\"163.205.1.45\",\"response\":500}", "{\"host\":\"163.205.1.45\",\"response\":500,\"errors\":2}"),
                    new KeyValue("{\"host\":\"163.205.1.45\",\"response\":501}", "{\"host\":\"163.205.1.45\",\"response\":501,\"errors\":1}")),
                    driver.output("errors").readKeyValues());
            assertEquals(List.of("{\"host\":\"199.72.81.55\",\"bytes\":10330}", "{\"host\":\"unicomp6.unicomp.net\",\"bytes\":3985}",
                    "{\"host\":\"163.205.1.45\",\"bytes\":0}"), driver.output("mb-sent").readValues());

            driver.input("weblogs").pipe(
                    "unicomp6.unicomp.net - - [01/Jul/1995:00:00:14 -0400] \"GET /shuttle/countdown/count.gif HTTP/1.0\" 200 40310");
            assertEquals(List.of(new KeyValue("unicomp6.unicomp.net", "{\"host\":\"unicomp6.unicomp.net\",\"requests\":1}")),
                    driver.output("traffic").readKeyValues(), "a batch writes its own counts, not totals");
            assertTrue(driver.output("errors").isEmpty(), "no group, no record");
            assertTrue(driver.deadLetters().isEmpty());
        }
    }

    @Test
    void shouldDeadLetterAMalformedLineWithItsReasonPartitionAndOffset() {
        try (PipelineTestDriver driver = new PipelineTestDriver(GOLDEN_SIGNALS, SETTINGS)) {
            TestInputTopic weblogs = driver.input("weblogs");
            weblogs.pipe(2, List.of(at("a.example", 1), at("b.example", 2)));
            weblogs.pipe(2, List.of(at("a.example", 3), "this is not a log line", at("b.example", 4)));

            List<TestRecord> dead = driver.deadLetters();
            assertEquals(1, dead.size());
            TestRecord letter = dead.get(0);
            assertEquals("this is not a log line", letter.value());
            assertNull(letter.key());
            assertEquals("clf: missing opening bracket of time", letter.reason());
            assertEquals(2, letter.partition());
            assertEquals(3, letter.offset(), "offsets go on from batch to batch in their partition");
            // Piped without a timestamp, the record was stamped when piped, as a producer stamps it.
            Map<String, String> headers = new HashMap<>(letter.headers());
            long stamped = Long.parseLong(headers.remove("spate.source.timestamp"));
            assertTrue(stamped > 0);
            assertEquals(Map.of("spate.error.reason", "clf: missing opening bracket of time", "spate.source.topic", "weblogs",
                    "spate.source.partition", "2", "spate.source.offset", "3", "spate.pipeline", "golden-signals"), headers);
            assertEquals(Map.of("a.example", "{\"host\":\"a.example\",\"requests\":1}", "b.example", "{\"host\":\"b.example\",\"requests\":1}"),
                    driver.output("traffic").readKeyValuesToMap(), "the lines around the malformed one still count");
        }
    }

    @Test
    void shouldContinueARunningWordCountAfterARestart() {
        try (PipelineTestDriver driver = new PipelineTestDriver(WORD_COUNT, SETTINGS)) {
            TestInputTopic texts = driver.input("texts");
            TestOutputTopic counts = driver.output("word-counts");
            texts.pipe(words("The cat"), words("the dog"));
            assertEquals(List.of(new KeyValue("the", "{\"word\":\"the\",\"count\":2}"), new KeyValue("cat", "{\"word\":\"cat\",\"count\":1}"),
                    new KeyValue("dog", "{\"word\":\"dog\",\"count\":1}")), counts.readKeyValues());
            texts.pipe(words("a cat"));
            assertEquals(List.of("{\"word\":\"a\",\"count\":1}", "{\"word\":\"cat\",\"count\":2}"), counts.readValues());

            driver.restart();
            texts.pipe(words("The end of the cat"));
            assertEquals(Map.of("the", "{\"word\":\"the\",\"count\":4}", "end", "{\"word\":\"end\",\"count\":1}",
                    "of", "{\"word\":\"of\",\"count\":1}", "cat", "{\"word\":\"cat\",\"count\":3}"), counts.readKeyValuesToMap(),
                    "the counts went on from the state restored from word-counts");
        }
    }

    @Test
    void shouldStartTheRunningCountFromZeroWhenRestoreIsOff() {
        try (PipelineTestDriver driver = new PipelineTestDriver(WORD_COUNT, NO_RESTORE)) {
            driver.input("texts").pipe(words("the cat"));
            driver.restart();
            driver.output("word-counts").readKeyValues();
            driver.input("texts").pipe(words("the"));
            assertEquals(List.of(new KeyValue("the", "{\"word\":\"the\",\"count\":1}")), driver.output("word-counts").readKeyValues());
        }
    }

    @Test
    void shouldKeepTheEventTimeOfAWindowedQueryAcrossARestart() {
        try (PipelineTestDriver driver = new PipelineTestDriver(HOURLY, SETTINGS)) {
            TestInputTopic weblogs = driver.input("weblogs");
            TestOutputTopic hourly = driver.output("traffic-hourly");
            weblogs.pipe(at("a.example", 10), at("a.example", 90));
            assertEquals(List.of(
                    "{\"window_start\":" + millis(0) + ",\"window_end\":" + millis(60) + ",\"host\":\"a.example\",\"requests\":1}",
                    "{\"window_start\":" + millis(60) + ",\"window_end\":" + millis(120) + ",\"host\":\"a.example\",\"requests\":1}"),
                    hourly.readValues());
            assertEquals(List.of(new KeyValue("traffic-hourly/weblogs/0",
                            "{\"output\":\"traffic-hourly\",\"topic\":\"weblogs\",\"partition\":0,\"max_timestamp\":" + millis(90) + "}")),
                    driver.output(HOURLY.eventTimeTopic()).readKeyValues());

            driver.restart();
            weblogs.pipe(at("a.example", 20), at("a.example", 100));
            List<TestRecord> late = driver.deadLetters();
            assertEquals(1, late.size(), "00:20 is behind 01:30, the event time saved before the restart");
            assertEquals("late", late.get(0).reason());
            assertEquals("traffic-hourly", late.get(0).header("spate.output"));
            assertEquals(2, late.get(0).offset());
            assertEquals(List.of(
                    "{\"window_start\":" + millis(60) + ",\"window_end\":" + millis(120) + ",\"host\":\"a.example\",\"requests\":2}"),
                    hourly.readValues(), "the 01:00 window went on from its restored count");
        }
    }

    @Test
    void shouldKeepWindowsForAPartitionNotReadYetAcrossARestart() {
        Pipeline noRetention = Pipeline.builder("hourly")
                .source("weblogs")
                .format(new ClfFormat())
                .output("traffic-hourly", q -> q.groupBy("host").count("requests").running()
                        .window(Window.tumbling("timestamp", Duration.ofHours(1)).withRetention(Duration.ZERO)))
                .build();
        try (PipelineTestDriver driver = new PipelineTestDriver(noRetention, SETTINGS)) {
            TestInputTopic weblogs = driver.input("weblogs");
            TestOutputTopic hourly = driver.output("traffic-hourly");
            weblogs.pipe(2, List.of(at("a.example", 10), at("a.example", 300)));
            driver.restart();
            weblogs.pipe(0, List.of(at("a.example", 305)));
            hourly.readValues();
            weblogs.pipe(1, List.of(at("a.example", 30)));
            assertTrue(driver.deadLetters().isEmpty(), "partition 2 made partition 1, not read from yet: 00:xx was kept for it");
            assertEquals(List.of(
                    "{\"window_start\":" + millis(0) + ",\"window_end\":" + millis(60) + ",\"host\":\"a.example\",\"requests\":2}"),
                    hourly.readValues());
        }
    }

    @Test
    void shouldForgetTheEventTimeOnRestartWhenRestoreIsOff() {
        try (PipelineTestDriver driver = new PipelineTestDriver(HOURLY, NO_RESTORE)) {
            driver.input("weblogs").pipe(at("a.example", 90));
            driver.restart();
            driver.input("weblogs").pipe(at("a.example", 20));
            assertTrue(driver.deadLetters().isEmpty(), "nothing saved was restored, so 00:20 is on time");
        }
    }

    @Test
    void shouldServeAModelOnEveryRecord(@TempDir Path dir) throws Exception {
        Mlp mlp = Mlp.random(new int[] {2, 8, 2}, 7);
        Path model = dir.resolve("model.safetensors");
        mlp.save(model, Map.of());
        Pipeline scoring = Pipeline.builder("scoring")
                .source("events")
                .format(new JsonFormat(List.of(new Field("id", ColumnType.LONG), new Field("x", ColumnType.DOUBLE),
                        new Field("y", ColumnType.DOUBLE))))
                .output("scores", new Classify("scores", model.toString(), "id", List.of("x", "y"), 0.5))
                .build();
        try (PipelineTestDriver driver = new PipelineTestDriver(scoring, SETTINGS)) {
            driver.input("events").pipe("{\"id\": 7, \"x\": 0.5, \"y\": 2.0}", "{\"id\": 8, \"x\": -1}", "{\"id\": 9, \"x\": 3, \"y\": 1}");
            List<KeyValue> scores = driver.output("scores").readKeyValues();
            assertEquals(List.of("7", "9"), scores.stream().map(KeyValue::key).toList(), "one answer per record that decodes");
            float[][] events = {{0.5f, 2.0f}, {3f, 1f}};
            for (int i = 0; i < events.length; i++) {
                float[] p = new float[2];
                mlp.runner().predict(events[i], 1, p);
                JsonNode answer = JSON.readTree(scores.get(i).value());
                assertEquals(p[1], answer.get("p_signal").asDouble(), 1e-6, "the model's own answer");
                assertEquals(p[1] >= 0.5 ? 1 : 0, answer.get("label").asInt());
            }
            assertEquals(1, driver.deadLetters().get(0).offset(), "the record without y");
        }
    }

    @Test
    void shouldComputeAPipeAsOneBatchWhateverTheBatchLimits() {
        Pipeline small = Pipeline.builder("small-batches")
                .source("weblogs")
                .format(new ClfFormat())
                .output("traffic", q -> q.groupBy("host").count("requests"))
                .batch(BatchSettings.of(2, 1024, Duration.ofMillis(1)))
                .build();
        try (PipelineTestDriver driver = new PipelineTestDriver(small, SETTINGS.withBatch(BatchSettings.of(2, 1024, Duration.ofMillis(1))))) {
            driver.input("weblogs").pipe(at("a.example", 1), at("a.example", 2), at("a.example", 3), at("a.example", 4), at("a.example", 5));
            assertEquals(List.of("{\"host\":\"a.example\",\"requests\":5}"), driver.output("traffic").readValues());
        }
    }

    @Test
    void shouldReadEachRecordOnce() {
        try (PipelineTestDriver driver = new PipelineTestDriver(GOLDEN_SIGNALS, SETTINGS)) {
            TestOutputTopic traffic = driver.output("traffic");
            assertTrue(traffic.isEmpty());
            driver.input("weblogs").pipe(at("a.example", 1));
            driver.input("weblogs").pipe(List.of());
            assertEquals(1, driver.output("traffic").readKeyValues().size());
            assertTrue(traffic.isEmpty(), "output(topic) is one topic, read once");
            assertEquals(List.of(), traffic.readKeyValues());
        }
    }

    @Test
    void shouldNameTheTopicsOfThePipelineWhenAskedForAnother() {
        try (PipelineTestDriver driver = new PipelineTestDriver(GOLDEN_SIGNALS, SETTINGS)) {
            IllegalArgumentException in = assertThrows(IllegalArgumentException.class, () -> driver.input("traffic"));
            assertEquals("pipeline 'golden-signals' does not read topic 'traffic'; it reads [weblogs]", in.getMessage());
            IllegalArgumentException out = assertThrows(IllegalArgumentException.class, () -> driver.output("weblogs"));
            assertEquals("pipeline 'golden-signals' does not write topic 'weblogs'; it writes [traffic, errors, mb-sent, weblogs.dlq]",
                    out.getMessage());
        }
    }

    @Test
    void shouldRefuseToPipeAfterClose() {
        PipelineTestDriver driver = new PipelineTestDriver(GOLDEN_SIGNALS, SETTINGS);
        TestInputTopic weblogs = driver.input("weblogs");
        driver.close();
        driver.close();
        assertThrows(IllegalStateException.class, () -> weblogs.pipe(at("a.example", 1)));
        assertThrows(IllegalStateException.class, driver::restart);
    }
}
