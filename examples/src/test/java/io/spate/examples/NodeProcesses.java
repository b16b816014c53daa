package io.spate.examples;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.spate.testkit.KafkaTopics;
import io.spate.testkit.SampleData;

/**
 * What the process-level tests (crash, broker restart) share: {@code spate} commands in JVMs of
 * their own with the examples' class path, the broker's address from its output, and the input
 * with its independently counted requests per host.
 */
final class NodeProcesses {

    private static final Pattern CLF = Pattern.compile("^(\\S+) (\\S+) (\\S+) \\[([^\\]]+)\\] \"(.*)\" (\\d{3}) (\\S+)$");
    private static final AtomicInteger LAUNCHES = new AtomicInteger();

    private NodeProcesses() {
    }

    /**
     * Starts {@code spate COMMAND ARGS}; a broker's output is left to {@link #awaitListening}, any
     * other command's goes to {@code dir/COMMAND-NNN.log} (numbered in launch order).
     */
    static Process spate(String command, List<String> args, Path dir) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-cp", "target/spate-examples-0.1.0-SNAPSHOT.jar" + File.pathSeparator + "target/lib/*",
                "io.spate.cli.SpateCli", command));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        // Nodes side by side (and beside other builds on this machine): each HTTP server takes a free port.
        pb.environment().put("CONFIG_FORCE_spate_http_port", "0");
        if (!command.equals("broker")) {
            pb.redirectOutput(dir.resolve(String.format("%s-%03d.log", command, LAUNCHES.incrementAndGet())).toFile());
        }
        return pb.start();
    }

    /** Waits (up to 2 minutes) until the log of the last {@code command} launched in {@code dir} has a line containing {@code text}. */
    static void awaitLogLine(Path dir, String command, String text) throws IOException, InterruptedException {
        Path log = dir.resolve(String.format("%s-%03d.log", command, LAUNCHES.get()));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!Files.exists(log) || Files.readAllLines(log, StandardCharsets.ISO_8859_1).stream().noneMatch(l -> l.contains(text))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + text + "' in " + log + " after 2 minutes");
            }
            Thread.sleep(100);
        }
    }

    /** The broker's address, from its "listening" line. */
    static String awaitListening(Process broker) throws Exception {
        CompletableFuture<String> address = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(broker.getInputStream(), StandardCharsets.ISO_8859_1))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("spate broker listening on ")) {
                        address.complete(line.substring("spate broker listening on ".length()).split(" ")[0]);
                    }
                }
            } catch (IOException e) {
                address.completeExceptionally(e);
            }
        }, "test-broker-output");
        reader.setDaemon(true);
        reader.start();
        return address.get(90, TimeUnit.SECONDS);
    }

    /** The NASA log (shared file when present, else the bundled sample), cycled to {@code records} lines. */
    static List<byte[]> input(int records) throws IOException {
        List<byte[]> lines = SampleData.nasaLog();
        List<byte[]> out = new ArrayList<>(records);
        for (int i = 0; i < records; i++) {
            out.add(lines.get(i % lines.size()));
        }
        return out;
    }

    /** Requests per host summed over the per-batch records of the golden-signals {@code traffic} output (read_committed). */
    static Map<String, Long> trafficPerHost(String bootstrap) throws IOException {
        Map<String, Long> actual = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTopics.readAll(bootstrap, "traffic")) {
            JsonNode v = json.readTree(r.value());
            actual.merge(v.get("host").asText(), v.get("requests").asLong(), Long::sum);
        }
        return actual;
    }

    /**
     * Waits (up to 2 minutes) until no transaction is open on any topic: every partition's last
     * stable offset has reached its end. A node killed inside a transaction leaves it open until
     * the transaction timeout aborts it, and until then a read_committed reader stops before it,
     * missing what others committed after it.
     */
    static void awaitNoOpenTransactions(String bootstrap) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            while (true) {
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                for (TopicDescription d : admin.describeTopics(admin.listTopics().names().get()).allTopicNames().get().values()) {
                    d.partitions().forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
                }
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> stable = admin.listOffsets(latest,
                        new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get();
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get();
                if (latest.keySet().stream().allMatch(tp -> stable.get(tp).offset() == ends.get(tp).offset())) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("transactions still open after 2 minutes");
                }
                Thread.sleep(200);
            }
        }
    }

    /** Creates {@code topic} with {@code partitions} partitions and waits until the broker serves each of them ({@link ServedTopics}). */
    static void createTopic(String bootstrap, String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(2, TimeUnit.MINUTES);
        }
        KafkaTopics.awaitServed(bootstrap, topic);
    }

    /**
     * Writes {@code values} to {@code topic}, value {@code i} to partition {@code i % partitions},
     * in a transaction left open (for up to 5 minutes): read_committed readers, a node and its
     * idle check among them, stop before these records until the returned producer commits. Close
     * it after committing.
     */
    static KafkaProducer<byte[], byte[]> produceInOpenTransaction(String bootstrap, String topic, List<byte[]> values, int partitions) {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-open-" + topic,
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) TimeUnit.MINUTES.toMillis(5),
                ProducerConfig.LINGER_MS_CONFIG, 10,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        try {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < values.size(); i++) {
                producer.send(new ProducerRecord<>(topic, i % partitions, null, values.get(i)));
            }
            producer.flush();
            return producer;
        } catch (RuntimeException e) {
            producer.close();
            throw e;
        }
    }

    /** The sum of the offsets consumer group {@code group} has committed, over all its partitions. */
    static long committed(String bootstrap, String group) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().values().stream()
                    .mapToLong(o -> o == null ? 0 : o.offset()).sum();
        }
    }

    /** Requests per host, counted independently of the engine with a regex. */
    static Map<String, Long> requestsPerHost(List<byte[]> input) {
        Map<String, Long> counts = new HashMap<>();
        for (byte[] line : input) {
            Matcher m = CLF.matcher(new String(line, StandardCharsets.ISO_8859_1));
            if (m.matches()) {
                counts.merge(m.group(1), 1L, Long::sum);
            }
        }
        return counts;
    }
}
