package io.spate.examples;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import io.spate.internal.train.AtlasCsv;
import io.spate.internal.model.Mlp;
import io.spate.internal.train.MlpTrainer;
import io.spate.testkit.KafkaTopics;

/**
 * MLP inference in the stream ({@code config/higgs.conf}, the CERN Spark Streaming + Keras
 * tutorial): trains the 30-500-1000-500-2 network on the ATLAS Higgs sample when it is there (else
 * random weights and random events, as the tutorial did without data), sends the events to
 * {@code higgs-events} as JSON, and reports what the pipeline wrote to {@code higgs-predictions}.
 */
@Command(name = "higgs", mixinStandardHelpOptions = true, description = "Classify ATLAS Higgs events with an MLP in the stream.")
public final class HiggsExample implements Callable<Integer> {

    private static final int[] SIZES = {30, 500, 1000, 500, 2};

    @Option(names = "--data", paramLabel = "FILE", description = "ATLAS CSV files (default: the sample under shared/data, if found)")
    List<File> data = new ArrayList<>();

    @Option(names = "--epochs", defaultValue = "5", description = "training epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "use this broker instead of an embedded one")
    String bootstrap;

    @Override
    public Integer call() throws Exception {
        List<Path> files = data.isEmpty() ? AtlasCsv.findSample(Path.of("").toAbsolutePath()) : data.stream().map(File::toPath).toList();
        Mlp model;
        AtlasCsv.Events events;
        if (files.isEmpty()) {
            System.out.println("no ATLAS sample found: random weights and random events, as the tutorial without data");
            model = Mlp.random(SIZES, 42);
            events = randomEvents(2000);
        } else {
            events = AtlasCsv.load(files);
            MlpTrainer.Result trained = MlpTrainer.create().withEpochs(epochs)
                    .train(events.features(), events.labels(), events.size());
            model = trained.model();
            System.out.printf("trained on %,d events in %.1f s: held-out accuracy %.3f, AUC %.3f%n",
                    trained.report().trainEvents(), trained.report().seconds(), trained.report().accuracy(), trained.report().auc());
        }
        Path file = Files.createTempDirectory("spate-higgs").resolve("mlp.safetensors");
        model.save(file, Map.of());

        ObjectMapper json = new ObjectMapper();
        List<byte[]> messages = new ArrayList<>();
        Map<Long, Integer> truth = new HashMap<>();
        int inputs = events.featureNames().size();
        for (int e = 0; e < events.size(); e++) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("EventId", events.eventIds()[e]);
            for (int f = 0; f < inputs; f++) {
                event.put(events.featureNames().get(f), events.features()[e * inputs + f]);
            }
            messages.add(json.writeValueAsBytes(event));
            truth.put(events.eventIds()[e], events.labels()[e]);
        }
        try (ExampleRun run = new ExampleRun(bootstrap, System.out)) {
            run.load("higgs-events", messages);
            run.run("higgs.conf", List.of("spate.models.mlp=" + file, "spate.batch.max-records=1000"));
            long signal = 0;
            long correct = 0;
            List<ConsumerRecord<byte[], byte[]>> out = KafkaTopics.readAll(run.bootstrap(), "higgs-predictions");
            for (ConsumerRecord<byte[], byte[]> r : out) {
                JsonNode v = json.readTree(r.value());
                int label = v.get("label").asInt();
                signal += label;
                correct += label == truth.get(v.get("EventId").asLong()) ? 1 : 0;
            }
            System.out.printf("%nhiggs-predictions: %,d events, %,d classified as class 1 (signal), %,d as class 0 (background)%n",
                    out.size(), signal, out.size() - signal);
            if (!files.isEmpty()) {
                System.out.printf("agreement with the true labels (training and held-out events together): %.3f%n", (double) correct / out.size());
            }
        }
        return 0;
    }

    private static AtlasCsv.Events randomEvents(int n) {
        Random random = new Random(7);
        float[] features = new float[n * AtlasCsv.FEATURES.size()];
        for (int i = 0; i < features.length; i++) {
            features[i] = (float) (random.nextGaussian() * 50 + 100);
        }
        int[] labels = new int[n];
        long[] ids = new long[n];
        for (int e = 0; e < n; e++) {
            labels[e] = random.nextInt(2);
            ids[e] = 100_000 + e;
        }
        return new AtlasCsv.Events(AtlasCsv.FEATURES, features, labels, ids);
    }
}
