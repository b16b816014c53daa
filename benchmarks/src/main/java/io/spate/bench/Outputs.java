package io.spate.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.spate.internal.kafka.TopicReader;

/** Reading a run's output topics back, one record at a time (10^7 inputs make millions of them), and saying how they differ. */
final class Outputs {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Outputs() {
    }

    /** Hands every record of {@code topic} up to its end now to {@code each}, without holding them. */
    static void read(String bootstrap, String topic, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        TopicReader.of(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap)).read(topic, null, each);
    }

    /** The record's value as JSON (Jackson rejects invalid UTF-8, so this checks the encoding too). */
    static JsonNode json(ConsumerRecord<byte[], byte[]> record) {
        try {
            return JSON.readTree(record.value());
        } catch (IOException e) {
            throw new UncheckedIOException("an output record of " + record.topic() + " is not JSON", e);
        }
    }

    /** How {@code actual} differs from {@code expected}: how many {@code what} differ, and the first few. */
    static <K> String differences(String what, Map<K, Long> expected, Map<K, Long> actual) {
        Set<K> keys = new HashSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        List<String> differ = new ArrayList<>();
        int count = 0;
        for (K k : keys) {
            if (!Objects.equals(expected.get(k), actual.get(k))) {
                if (count++ < 5) {
                    differ.add(k + ": expected " + expected.get(k) + ", output " + actual.get(k));
                }
            }
        }
        return count + " of " + expected.size() + " " + what + " differ, e.g. " + String.join("; ", differ);
    }
}
