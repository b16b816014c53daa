package io.spate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * {@code config/logback-json.xml}, what {@code SPATE_LOG_FORMAT=json} selects: one JSON object a
 * line on stderr, with the level, the logger, the message (its pattern and the formatted line) and
 * any exception; the same levels as {@code config/logback.xml}.
 */
class JsonLoggingConfigTest {

    private static final Path CONFIG = Path.of("..", "config", "logback-json.xml");

    @Test
    void shouldWriteEachRecordAsOneJsonObjectALine() throws Exception {
        assertTrue(Files.isRegularFile(CONFIG), "no " + CONFIG.toAbsolutePath());
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // A context of its own, configured by the file alone (as the node's is), not the tests' logback-test.xml.
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        // The console appender writes to whatever System.err is when it writes.
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(CONFIG.toFile());
            assertFalse(new StatusUtil(context).hasXMLParsingErrors(0), "the file parses");
            context.getLogger("io.spate.internal.node.Node").info("pipeline {} started with \"{}\"", "golden-signals", "quotes");
            context.getLogger("io.spate.internal.node.Node").debug("not at the default level");
            context.getLogger("org.apache.kafka.clients.NetworkClient").info("Kafka's INFO is left out");
            context.getLogger("io.spate.internal.node.Node").warn("pipeline failed", new IllegalStateException("boom"));
        } finally {
            context.stop();
            System.setErr(saved);

        }
        String written = err.toString(StandardCharsets.UTF_8);
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> records = new ArrayList<>();
        for (String line : written.split("\n")) {
            records.add(json.readTree(line));
        }
        assertEquals(2, records.size(), written);
        assertEquals(List.of(), context.getStatusManager().getCopyOfStatusList().stream()
                .filter(st -> st.getLevel() >= Status.WARN).map(Status::getMessage).toList(), "no warnings or errors configuring or appending");

        JsonNode info = records.get(0);
        assertEquals("INFO", info.get("level").asText(), written);
        assertEquals("io.spate.internal.node.Node", info.get("loggerName").asText(), written);
        assertEquals("pipeline {} started with \"{}\"", info.get("message").asText(), written);
        assertEquals("pipeline golden-signals started with \"quotes\"", info.get("formattedMessage").asText(), written);
        assertTrue(info.get("timestamp").asLong() > 0, written);
        assertFalse(info.has("context"), "the logger context is left out: " + written);

        JsonNode warn = records.get(1);
        assertEquals("WARN", warn.get("level").asText(), written);
        assertEquals("java.lang.IllegalStateException", warn.get("throwable").get("className").asText(), written);
        assertEquals("boom", warn.get("throwable").get("message").asText(), written);
    }
}
