package io.spate.cli;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import io.spate.SpateSettings;
import io.spate.internal.kafka.KafkaClients;
import io.spate.internal.kafka.TlsListenerCheck;
import io.spate.internal.config.NodeConfig;
import io.spate.testkit.KafkaTopics;
import io.spate.testkit.Lines;

/**
 * {@code spate load}: produces files to a topic, one message per line, or one per element when a
 * file is a JSON array (such as the GitHub API's list of commits), so examples can be fed without
 * other tools. Gzip files are read as such; {@code -} reads standard input.
 */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = "Produce files to a topic: a message per line, or per element of a JSON array file.")
public final class LoadCommand implements Callable<Integer> {

    @Option(names = "--topic", required = true, description = "the topic to write")
    String topic;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers (overrides spate.kafka.bootstrap-servers)")
    String bootstrap;

    @Option(names = "--config", paramLabel = "FILE", description = "HOCON file whose spate.kafka settings (a login, say) the producer takes")
    File config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "override any config key, e.g. a login in spate.kafka.client-properties")
    List<String> sets = new ArrayList<>();

    @Option(names = "--partitions", defaultValue = "-1", description = "create the topic with this many partitions if it is missing")
    int partitions;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "line files (plain or .gz), JSON array files, or - for stdin")
    List<String> files = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        CliChecks.topic("--topic", topic);
        for (String f : files) {
            if (!f.equals("-")) {
                CliChecks.readableFile("FILE", new File(f));
            }
        }
        SpateSettings settings = SpateSettings.create(NodeConfig.load(config, bootstrap, sets));
        TlsListenerCheck.require(settings);
        List<byte[]> messages = new ArrayList<>();
        for (String f : files) {
            try (InputStream in = f.equals("-") ? System.in : Files.newInputStream(new File(f).toPath())) {
                messages.addAll(messages(in.readAllBytes()));
            }
        }
        // Reach the cluster and make the topic first, within spate.kafka.startup-timeout: a producer
        // would otherwise wait max.block.ms (a minute) for each message's metadata.
        KafkaClients.createTopics(settings, List.of(topic), partitions > 0 ? partitions : settings.output().partitions());
        KafkaTopics.produce(settings.bootstrapServers(), settings.producerProperties(), topic, messages);
        System.err.printf("produced %,d messages to %s%n", messages.size(), topic);
        return 0;
    }

    /** The messages of one file: compact JSON elements if it is a JSON array, else its lines. */
    static List<byte[]> messages(byte[] raw) throws IOException {
        byte[] bytes = gunzipIfNeeded(raw);
        int i = 0;
        while (i < bytes.length && Character.isWhitespace(bytes[i])) {
            i++;
        }
        if (i == bytes.length || bytes[i] != '[') {
            return Lines.split(bytes);
        }
        ObjectMapper json = new ObjectMapper();
        List<byte[]> out = new ArrayList<>();
        try (JsonParser p = json.getFactory().createParser(bytes)) {
            p.nextToken();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                JsonNode element = json.readTree(p);
                out.add(json.writeValueAsBytes(element));
            }
        }
        return out;
    }

    private static byte[] gunzipIfNeeded(byte[] bytes) throws IOException {
        if (bytes.length > 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
                return in.readAllBytes();
            }
        }
        return bytes;
    }
}
