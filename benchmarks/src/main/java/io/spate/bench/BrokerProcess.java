package io.spate.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A Kafka broker in a process of its own ({@code spate broker}), so that the broker's CPU and heap
 * are not counted in the variant measured.
 */
final class BrokerProcess implements AutoCloseable {

    private final Process process;
    private final String bootstrap;

    private BrokerProcess(Process process, String bootstrap) {
        this.process = process;
        this.bootstrap = bootstrap;
    }

    /** Starts {@code spate broker} on {@code port} with data in {@code dir}; returns once it listens. */
    static BrokerProcess start(int port, Path dir, int partitions, String heap) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(Jvm.java(), "-Xmx" + heap, "-cp", Jvm.classPath(),
                "io.spate.cli.SpateCli", "broker", "--port", Integer.toString(port), "--data-dir", dir.toString(),
                "--partitions", Integer.toString(partitions)))
                .redirectErrorStream(true)
                .start();
        CompletableFuture<String> listening = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("spate broker listening on ")) {
                        listening.complete(line.substring("spate broker listening on ".length()).split(" ")[0]);
                    }
                }
            } catch (IOException e) {
                listening.completeExceptionally(e);
            }
            listening.completeExceptionally(new IllegalStateException("the broker process ended before it listened"));
        }, "broker-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return new BrokerProcess(p, listening.get(90, TimeUnit.SECONDS));
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException("the broker did not start: " + e, e);
        }
    }

    String bootstrap() {
        return bootstrap;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
