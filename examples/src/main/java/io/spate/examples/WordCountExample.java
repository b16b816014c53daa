package io.spate.examples;

import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import io.spate.RunningPipeline;
import io.spate.testkit.KafkaTopics;
import io.spate.testkit.Lines;
import io.spate.testkit.SampleData;

/**
 * Word count with a global running count ({@code config/word-count.conf}): every line of a text
 * file becomes a {@code {"text": ...}} message on {@code texts}; the pipeline keeps a running
 * count per word and writes the words each batch changed to {@code word-counts}. Without a file,
 * the text is the request lines of the bundled NASA log sample.
 */
@Command(name = "word-count", mixinStandardHelpOptions = true, description = "Word count with a running count per word.")
public final class WordCountExample implements Callable<Integer> {

    @Option(names = "--input", paramLabel = "FILE", description = "a text file (plain or .gz), one message per line")
    File input;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "use this broker instead of an embedded one")
    String bootstrap;

    @Option(names = "--top", defaultValue = "15", description = "words to print (default: ${DEFAULT-VALUE})")
    int top;

    @Override
    public Integer call() throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<byte[]> messages = new ArrayList<>();
        for (String text : texts(json)) {
            messages.add(json.writeValueAsBytes(Map.of("text", text)));
        }
        try (ExampleRun run = new ExampleRun(bootstrap, System.out)) {
            run.load("texts", messages);
            RunningPipeline pipeline = run.run("word-count.conf", List.of());
            Map<String, Long> last = new HashMap<>();
            long updates = 0;
            for (ConsumerRecord<byte[], byte[]> r : KafkaTopics.readAll(run.bootstrap(), "word-counts")) {
                JsonNode v = json.readTree(r.value());
                last.put(v.get("word").asText(), v.get("count").asLong());
                updates++;
            }
            System.out.printf("%nword-counts: %,d upserts for %,d distinct words over %,d batches; the last record of each word is its total:%n",
                    updates, last.size(), pipeline.metrics().batches());
            last.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                    .limit(top)
                    .forEach(e -> System.out.printf("  %-24s %,10d%n", e.getKey(), e.getValue()));
        }
        return 0;
    }

    private List<String> texts(ObjectMapper json) throws Exception {
        List<String> texts = new ArrayList<>();
        if (input != null) {
            try (InputStream in = Files.newInputStream(input.toPath())) {
                for (byte[] line : Lines.read(in)) {
                    texts.add(new String(line, StandardCharsets.UTF_8));
                }
            }
            return texts;
        }
        // The quoted request of each bundled NASA log line: real text, redistributable.
        try (InputStream in = SampleData.class.getResourceAsStream(SampleData.BUNDLED_NASA_LOG)) {
            for (byte[] line : Lines.read(in)) {
                String s = new String(line, StandardCharsets.ISO_8859_1);
                int open = s.indexOf('"');
                int close = s.lastIndexOf('"');
                if (open >= 0 && close > open) {
                    texts.add(s.substring(open + 1, close));
                }
            }
        }
        return texts;
    }
}
