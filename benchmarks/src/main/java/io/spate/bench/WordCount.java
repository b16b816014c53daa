package io.spate.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.spate.BatchSettings;
import io.spate.Pipeline;
import io.spate.frame.ColumnType;
import io.spate.plan.Field;
import io.spate.plan.JsonFormat;

/**
 * The word count of {@code config/word-count.conf}: JSON records {@code {"text": "..."}}, split into
 * lower-cased words, a running count per word (an upsert stream: the last record of a word is its
 * total). The texts are the request part of the log lines (between the first and the last double
 * quote; the whole line when it has none), so the workload needs no other data.
 */
final class WordCount implements Workload {

    static final String NAME = "word-count";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<byte[]> input(List<byte[]> lines, long n) {
        List<byte[]> records = new ArrayList<>(lines.size());
        for (byte[] line : lines) {
            records.add(record(text(line)));
        }
        return Cycled.of(records, n);
    }

    @Override
    public Pipeline pipeline(String input, String prefix, int batchRecords) {
        return Pipeline.builder(prefix + "word-count")
                .source(input)
                .groupId(prefix + "spate")
                .format(new JsonFormat(List.of(new Field("text", ColumnType.UTF8))))
                .output(prefix + "word-counts", q -> q.tokenize("text", "word", true).groupBy("word").count("count").running())
                .deadLetterTopic(prefix + "texts.dlq")
                .batch(BatchSettings.of(batchRecords, 64L << 20, Duration.ofMillis(200)))
                .build();
    }

    /** The count of every word over the input; the output is read as last values whatever the variant. */
    @Override
    public Expected expected(List<byte[]> lines, long n) {
        Map<String, Long> expected = new HashMap<>();
        long full = n / lines.size();
        long rest = n % lines.size();
        for (int i = 0; i < lines.size() && (full > 0 || i < rest); i++) {
            long times = full + (i < rest ? 1 : 0);
            for (String word : Words.of(text(lines.get(i)))) {
                expected.merge(word, times, Long::sum);
            }
        }
        return (bootstrap, prefix, lastValues) -> difference(bootstrap, prefix + "word-counts", expected);
    }

    /** The request of a Common Log Format line, or the whole line; bytes read as ISO-8859-1, so none is lost. */
    static String text(byte[] line) {
        String s = new String(line, StandardCharsets.ISO_8859_1);
        int open = s.indexOf('"');
        int close = s.lastIndexOf('"');
        return close > open ? s.substring(open + 1, close) : s;
    }

    /** {@code {"text": text}} as UTF-8 JSON. */
    static byte[] record(String text) {
        try {
            return JSON.writeValueAsBytes(Map.of("text", text));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Why the last count of each word in {@code topic} differs from {@code expected}, or null. */
    private static String difference(String bootstrap, String topic, Map<String, Long> expected) {
        Map<String, Long> last = new HashMap<>();
        Map<String, String> miskeyed = new HashMap<>();
        Outputs.read(bootstrap, topic, r -> {
            JsonNode v = Outputs.json(r);
            String word = v.get("word").asText();
            if (r.key() == null || !word.equals(new String(r.key(), StandardCharsets.UTF_8))) {
                miskeyed.putIfAbsent(word, r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8));
            }
            last.put(word, v.get("count").asLong());
        });
        if (!miskeyed.isEmpty()) {
            return "the records of " + miskeyed.size() + " words are not keyed by their word, e.g. (word=key) "
                    + miskeyed.entrySet().stream().limit(5).toList();
        }
        return expected.equals(last) ? null : Outputs.differences("words", expected, last);
    }
}
