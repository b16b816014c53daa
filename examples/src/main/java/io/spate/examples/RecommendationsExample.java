package io.spate.examples;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import io.spate.internal.train.AlsTrainer;
import io.spate.internal.train.Ratings;
import io.spate.internal.model.Recommender;
import io.spate.internal.train.SyntheticRatings;
import io.spate.testkit.KafkaTopics;

/**
 * Recommendation serving ({@code config/recommendations.conf}): trains a matrix-factorisation
 * model with ALS (on MovieLens-layout ratings given with {@code --ratings}, else on synthetic
 * ratings, since MovieLens may not be redistributed), sends {@code {"uid": N}} events to
 * {@code uid-events}, and prints the top movies the pipeline wrote to {@code recommendation-events}.
 */
@Command(name = "recommendations", mixinStandardHelpOptions = true, description = "Serve top-k recommendations for {\"uid\": N} events.")
public final class RecommendationsExample implements Callable<Integer> {

    @Option(names = "--ratings", paramLabel = "FILE", description = "ratings `user item rating timestamp` (MovieLens u.data); default: synthetic")
    File ratingsFile;

    @Option(names = "--titles", paramLabel = "FILE", description = "item titles in MovieLens u.item layout")
    File titlesFile;

    @Option(names = "--users", defaultValue = "200", description = "how many user events to send (default: ${DEFAULT-VALUE})")
    int users;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "use this broker instead of an embedded one")
    String bootstrap;

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("spate-recommendations");
        Ratings ratings;
        Map<Long, String> titles;
        if (ratingsFile != null) {
            ratings = Ratings.load(ratingsFile.toPath());
            titles = titlesFile != null ? Ratings.loadTitles(titlesFile.toPath()) : Map.of();
        } else {
            SyntheticRatings.create().write(dir.resolve("ratings.tsv"), dir.resolve("titles.txt"));
            ratings = Ratings.load(dir.resolve("ratings.tsv"));
            titles = Ratings.loadTitles(dir.resolve("titles.txt"));
            System.out.println("synthetic ratings (pass --ratings u.data --titles u.item for MovieLens)");
        }
        AlsTrainer.Result trained = AlsTrainer.create().train(ratings, titles);
        Recommender model = trained.model();
        Path file = dir.resolve("mf.safetensors");
        model.save(file);
        System.out.printf("ALS model: %,d users x %,d items, held-out RMSE %.4f (global-mean baseline %.4f)%n",
                model.users(), model.items(), trained.report().rmse(), trained.baselineRmse());

        List<byte[]> events = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            events.add(("{\"uid\": " + model.userId(i % model.users()) + "}").getBytes(StandardCharsets.US_ASCII));
        }
        ObjectMapper json = new ObjectMapper();
        try (ExampleRun run = new ExampleRun(bootstrap, System.out)) {
            run.load("uid-events", events);
            run.run("recommendations.conf", List.of("spate.models.mf=" + file));
            List<ConsumerRecord<byte[], byte[]>> out = KafkaTopics.readAll(run.bootstrap(), "recommendation-events");
            System.out.printf("%nrecommendation-events: %,d answers; the first three:%n", out.size());
            for (ConsumerRecord<byte[], byte[]> r : out.subList(0, Math.min(3, out.size()))) {
                JsonNode v = json.readTree(r.value());
                System.out.printf("  uid %s:%n", v.get("uid").asText());
                for (JsonNode item : v.get("items")) {
                    System.out.printf("    %6.3f  %s%n", item.get("score").asDouble(), item.get("title").asText());
                }
            }
        }
        return 0;
    }
}
