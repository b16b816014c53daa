package io.spate.bench;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

import io.spate.Pipeline;
import io.spate.RunningPipeline;
import io.spate.SpateSettings;
import io.spate.bench.peers.KafkaStreamsRunner;
import io.spate.bench.peers.PeerRun;
import io.spate.bench.peers.PekkoStreamsRunner;
import io.spate.internal.node.IdleWatcher;
import io.spate.javadsl.Spate;
import io.spate.testkit.PlainConsumer;

/**
 * One variant of the benchmark in its own JVM, so that its heap, CPU time and JIT are its own:
 * {@code VariantMain VARIANT WORKLOAD BOOTSTRAP INPUT PREFIX BATCH_RECORDS MODE}. The peers
 * ({@code kafka-streams}, {@code pekko-streams}) run golden signals only. In {@code measure} mode it
 * reads the input to its end, then prints a {@link VariantResult} line; in {@code serve} mode it
 * keeps running until the process is stopped (for latency runs).
 */
public final class VariantMain {

    /** The variants written without Spate, for the golden signals only. */
    static final List<String> PEERS = List.of("kafka-streams", "pekko-streams");

    private VariantMain() {
    }

    /** Runs one variant; see the class documentation for the arguments. Exits 1 when it fails, whatever threads are left. */
    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        String variant = args[0];
        Workload workload = Workload.named(args[1]);
        String bootstrap = args[2];
        String input = args[3];
        String prefix = args[4];
        int batchRecords = Integer.parseInt(args[5]);
        boolean serve = args[6].equals("serve");
        if (PEERS.contains(variant) && !workload.name().equals(GoldenSignals.NAME)) {
            throw new IllegalArgumentException(variant + " runs " + GoldenSignals.NAME + " only, not " + workload.name());
        }
        ProcessStats.watchHeapAfterGc();
        ProcessStats.resetPeaks();
        double cpuBefore = ProcessStats.cpuSeconds();
        VariantResult result;
        switch (variant) {
            case "ceiling": {
                PlainConsumer.Reading r = PlainConsumer.readToEnd(bootstrap, input);
                // Its clock, like every variant's, counts from making its client (Spate: Spate.run, which
                // makes its admin client, topics, consumer and producer); the polling alone is its steady rate.
                result = new VariantResult(variant, r.records(), r.bytes(), r.totalSeconds(), r.recordsPerSecond(),
                        ProcessStats.cpuSeconds() - cpuBefore, ProcessStats.peakHeapBytes(), ProcessStats.heapAfterGcBytes());
                break;
            }
            case "spate-cpu":
            case "spate-gpu":
            case "spate-connector":
            case "spate-exactly-once":
            case "spate-emit-1s":
                result = spate(variant, workload.pipeline(input, prefix, batchRecords), bootstrap, serve, cpuBefore);
                break;
            case "kafka-streams": {
                PeerRun r = serve
                        ? KafkaStreamsRunner.serve(bootstrap, input, prefix, prefix + "kstreams")
                        : KafkaStreamsRunner.runToEnd(bootstrap, input, prefix, prefix + "kstreams");
                result = peer(variant, r, cpuBefore);
                break;
            }
            case "pekko-streams": {
                PeerRun r = serve
                        ? PekkoStreamsRunner.serve(bootstrap, input, prefix, prefix + "pekko", batchRecords)
                        : PekkoStreamsRunner.runToEnd(bootstrap, input, prefix, prefix + "pekko", batchRecords);
                result = peer(variant, r, cpuBefore);
                break;
            }
            default:
                throw new IllegalArgumentException("unknown variant " + variant);
        }
        System.out.println(result.line());
        System.out.flush();
        System.exit(0);
    }

    private static VariantResult peer(String variant, PeerRun r, double cpuBefore) {
        if (!r.clean()) {
            // Caught up all the same: the figures stand, and the harness checks the outputs.
            System.err.println(variant + ": did not stop cleanly after catching up (a failure while stopping, or a timeout)");
        }
        return new VariantResult(variant, r.records(), r.bytes(), r.seconds(), Double.NaN,
                ProcessStats.cpuSeconds() - cpuBefore, ProcessStats.peakHeapBytes(), ProcessStats.heapAfterGcBytes());
    }

    private static VariantResult spate(String variant, Pipeline pipeline, String bootstrap, boolean serve, double cpuBefore)
            throws Exception {
        Config config = ConfigFactory.load()
                .withValue("spate.compute.backend", ConfigValueFactory.fromAnyRef(variant.equals("spate-gpu") ? "gpu" : "cpu"))
                // spate-connector: the same pipeline on pekko-connectors-kafka's per-record source, for comparison.
                .withValue("spate.source.mode", ConfigValueFactory.fromAnyRef(variant.equals("spate-connector") ? "connector" : "batch"))
                // spate-exactly-once: the same pipeline writing each batch in a Kafka transaction.
                .withValue("spate.delivery", ConfigValueFactory.fromAnyRef(variant.equals("spate-exactly-once") ? "exactly-once" : "at-least-once"))
                // spate-emit-1s: the same pipeline writing its results merged once a second, one record per key.
                .withValue("spate.output.emit-interval", ConfigValueFactory.fromAnyRef(variant.equals("spate-emit-1s") ? "1s" : "0s"))
                // Caught-up is checked this often; it bounds how much the measured time overshoots.
                .withValue("spate.idle-check-interval", ConfigValueFactory.fromAnyRef("100ms"));
        SpateSettings settings = SpateSettings.create(config).withBootstrapServers(bootstrap);
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bench", config);
        long start = System.nanoTime();
        RunningPipeline running = Spate.run(pipeline, settings, system);
        if (serve) {
            // Runs until the harness stops the process; the hook drains the pipeline on the way out.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> running.stop().toCompletableFuture().join()));
            new CountDownLatch(1).await();
        }
        try (IdleWatcher idle = new IdleWatcher(settings, pipeline)) {
            idle.idle().toCompletableFuture().get(30, TimeUnit.MINUTES);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        running.stop().toCompletableFuture().get(2, TimeUnit.MINUTES);
        var m = running.metrics();
        VariantResult r = new VariantResult(variant, m.records(), m.bytes(), seconds, m.steadyRecordsPerSecond(),
                ProcessStats.cpuSeconds() - cpuBefore, ProcessStats.peakHeapBytes(), ProcessStats.heapAfterGcBytes());
        system.terminate();
        return r;
    }

    static List<String> variants() {
        return List.of("ceiling", "spate-cpu", "spate-emit-1s", "spate-exactly-once", "spate-gpu", "spate-connector", "kafka-streams",
                "pekko-streams");
    }
}
