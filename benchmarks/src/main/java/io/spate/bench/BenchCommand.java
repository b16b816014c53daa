package io.spate.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import com.sun.management.OperatingSystemMXBean;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import io.spate.internal.compute.Backends;
import io.spate.testkit.KafkaTopics;
import io.spate.testkit.Lines;
import io.spate.testkit.SampleData;

/**
 * {@code spate bench}: Spate against the ceiling (a plain consumer) and what a JVM user would write
 * without it (Kafka Streams, a hand-written Pekko Streams pipeline), on one broker in its own
 * process, records made from the same NASA log and the same machine, in one run. Golden signals
 * run every variant; the other workloads (word count, hourly windows) run the ceiling over their
 * own input and Spate CPU (each batch's results, and merged once a second: {@code spate-emit-1s}). Each variant runs in a JVM of its own; every variant's totals are
 * checked against totals computed independently; a second mode measures end-to-end latency of the
 * golden signals at a fixed offered rate. Prints a Markdown table and writes JSON and PNG charts.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark golden signals (ceiling, Spate CPU and GPU, Kafka Streams, Pekko Streams), word count and hourly windows;"
                + " same broker, data and run.")
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Records of the class-archive training runs ({@link #train}). */
    static final int CDS_TRAINING_RECORDS = 100_000;
    /** The JVM's own messages about class data sharing, kept off the variants' stdout. */
    private static final String CDS_QUIET = "-Xlog:cds*=off";

    /** The class archive of each variant that has one (--cds). */
    private final Map<String, Path> archives = new LinkedHashMap<>();

    @Option(names = "--sizes", split = ",", defaultValue = "100000,1000000", description = "input sizes in records (default: ${DEFAULT-VALUE})")
    List<Long> sizes;

    @Option(names = "--batch-sizes", split = ",", defaultValue = "10000,50000",
            description = "Spate max-records per batch to sweep (default: ${DEFAULT-VALUE}); the last is used to compare variants")
    List<Integer> batchSizes;

    @Option(names = "--variants", split = ",",
            defaultValue = "ceiling,spate-cpu,spate-emit-1s,spate-exactly-once,spate-gpu,spate-connector,kafka-streams,pekko-streams",
            description = "variants to run (default: ${DEFAULT-VALUE})")
    List<String> variants;

    @Option(names = "--workloads", split = ",", defaultValue = "golden-signals,word-count,hourly",
            description = "workloads to run (default: ${DEFAULT-VALUE}); golden-signals runs every variant, the others ceiling"
                    + " (over their own input) and spate-cpu at the last batch size")
    List<String> workloads;

    @Option(names = "--rate", defaultValue = "10000", description = "offered rate of the latency runs, records/s (default: ${DEFAULT-VALUE}; 0 skips them)")
    int rate;

    @Option(names = "--latency-seconds", defaultValue = "15", description = "length of each latency run (default: ${DEFAULT-VALUE})")
    int latencySeconds;

    @Option(names = "--partitions", defaultValue = "3", description = "partitions of the input topics (default: ${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--heap", defaultValue = "1g", description = "-Xmx of each variant's JVM (default: ${DEFAULT-VALUE})")
    String heap;

    @Option(names = "--jvm-option", paramLabel = "OPTION",
            description = "a JVM option for every variant's JVM (repeatable), after the launcher's config/jvm.options, which every"
                    + " variant gets too, e.g. --jvm-option=-XX:+UseParallelGC or a JFR recording")
    List<String> jvmOptions = new ArrayList<>();

    /** The launchers' config/jvm.options, read once: every variant's JVM gets them before --jvm-option. */
    private final List<String> launcherOptions = Jvm.launcherOptions();

    @Option(names = "--rounds", defaultValue = "1",
            description = "rounds of runs: each runs every variant (at each batch) once, in a fresh JVM, the order reversed every other"
                    + " round; the table gives each variant's median round by records/s, its ratios are the medians of its per-round ratios,"
                    + " and every round's totals are checked (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--warm-up-reads", defaultValue = "2",
            description = "unmeasured reads of each input topic to its end, by a plain consumer, before its measured runs: a topic just"
                    + " written was often served slower the first times it was read (here the ceiling's rate rose by half or more over"
                    + " its first three reads in most series at 10^7), which would handicap whichever variant ran first"
                    + " (default: ${DEFAULT-VALUE})")
    int warmUpReads;

    @Option(names = "--cds", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "each variant's JVM maps a class data sharing archive of its own, written by a training run of that variant"
                    + " over the golden signals before the measured runs, as Spate's launchers do for a node (default: ${DEFAULT-VALUE};"
                    + " --no-cds: every JVM loads its classes from the jars)")
    boolean cds;

    @Option(names = "--out", defaultValue = "bench-results", description = "directory for bench.json, bench.md and the charts (default: ${DEFAULT-VALUE})")
    File out;

    @Option(names = "--input", paramLabel = "FILE", description = "Common Log Format lines, from which every workload's input is made"
            + " (default: the shared 200,000-line NASA file if found, else the bundled sample)")
    File input;

    @Override
    public Integer call() throws Exception {
        List<Workload> chosen = new ArrayList<>();
        for (String name : workloads) {
            if (!Workload.names().contains(name)) {
                throw new ParameterException(spec.commandLine(), "unknown workload '" + name + "'; known: " + Workload.names());
            }
            chosen.add(Workload.named(name));
        }
        if (rounds < 1) {
            throw new ParameterException(spec.commandLine(), "--rounds must be at least 1, was " + rounds);
        }
        if (warmUpReads < 0) {
            throw new ParameterException(spec.commandLine(), "--warm-up-reads must be 0 or more, was " + warmUpReads);
        }
        for (String variant : variants) {
            if (!VariantMain.variants().contains(variant)) {
                throw new ParameterException(spec.commandLine(), "unknown variant '" + variant + "'; known: " + VariantMain.variants());
            }
        }
        long begin = System.nanoTime();
        List<byte[]> lines = lines();
        String machine = machine();
        System.out.printf("spate bench: %s; %,d distinct log lines cycled to %s records%n", machine, lines.size(), sizes);
        List<BenchRow> rows = new ArrayList<>();
        Path data = Files.createTempDirectory("spate-bench-broker");
        Path cdsDir = Files.createTempDirectory("spate-bench-cds");
        try (BrokerProcess broker = BrokerProcess.start(freePort(), data, partitions, "1g")) {
            String bootstrap = broker.bootstrap();
            System.out.println("broker (separate process) at " + bootstrap);
            if (cds) {
                train(bootstrap, lines, cdsDir);
            }
            for (long size : sizes) {
                for (Workload workload : chosen) {
                    rows.addAll(runWorkload(bootstrap, lines, workload, size));
                }
            }
            if (rate > 0 && workloads.contains(GoldenSignals.NAME)) {
                latency(bootstrap, lines, rows);
            }
        } finally {
            deleteTree(data);
            deleteTree(cdsDir);
        }
        // One table per workload, sizes in order within it.
        rows.sort(Comparator.comparingInt(r -> workloads.indexOf(r.workload())));
        System.out.println();
        // Whether the JVMs mapped class archives, and whose: their start-up depends on it.
        machine += archives.isEmpty() ? "; no class data sharing" + (cds ? " (its training runs failed)" : "")
                : "; class data sharing (each variant's own archive: " + String.join(", ", archives.keySet()) + ")";
        machine += launcherOptions.isEmpty() ? "" : "; every variant's JVM with the launcher's options (" + String.join(" ", launcherOptions) + ")";
        if (rounds > 1) {
            machine += "; each row the median of " + rounds + " rounds";
        }
        System.out.print(Report.markdown(rows, machine));
        Report.write(out.toPath(), rows, machine);
        System.out.println("\nwrote " + out.toPath().resolve("bench.json") + ", bench.md and bench-*.png");
        long seconds = (System.nanoTime() - begin) / 1_000_000_000L;
        System.out.printf("spate bench took %d min %02d s%n", seconds / 60, seconds % 60);
        return rows.stream().allMatch(r -> r.totals().equals("exact") || r.totals().equals("n/a")) ? 0 : 1;
    }

    private List<BenchRow> runWorkload(String bootstrap, List<byte[]> lines, Workload workload, long size) throws Exception {
        List<byte[]> input;
        try {
            input = workload.input(lines, size);
        } catch (IllegalArgumentException e) {
            System.out.printf("%n%s: skipped, %s%n", workload.name(), e.getMessage());
            return List.of();
        }
        String topic = workload.name() + "-" + size;
        KafkaTopics.produce(bootstrap, topic, input, n -> { });
        Workload.Expected expected = workload.expected(lines, size);
        System.out.printf("%nloaded %,d %s records into %s%n", size, workload.name(), topic);
        for (int read = 1; read <= warmUpReads; read++) {
            String prefix = "b" + size + "-" + workload.name() + "-warm-up-" + read + "-";
            Optional<VariantResult> warm = runVariant("ceiling", workload, bootstrap, topic, prefix, 1, size);
            if (warm.isPresent()) {
                System.out.printf("warm-up read %d of %d (not measured) %,12.0f records/s%n", read, warmUpReads, warm.get().recordsPerSecond());
            }
        }
        boolean golden = workload.name().equals(GoldenSignals.NAME);
        int compareBatch = batchSizes.get(batchSizes.size() - 1);
        // What runs: each variant at its batch sizes (the sweep is for spate-cpu on golden signals;
        // the other batching variants run at the compared size).
        List<Run> runs = new ArrayList<>();
        for (String variant : variants) {
            if (!golden && !variant.equals("ceiling") && !variant.equals("spate-cpu") && !variant.equals("spate-emit-1s")) {
                continue;
            }
            if (variant.equals("spate-gpu") && !gpuAvailable()) {
                System.out.println("spate-gpu: skipped, no GPU backend answers here (none on the class path, or no device)");
                continue;
            }
            List<Integer> batches = golden && variant.equals("spate-cpu") ? batchSizes : batching(variant) ? List.of(compareBatch) : List.of(0);
            for (int batch : batches) {
                runs.add(new Run(variant, batch));
            }
        }
        // Rounds in turn: each runs every variant once, each in a fresh JVM with a group and outputs
        // of its own, the order reversed every other round. A variant's runs are then minutes apart
        // at most from the others' of the same round, so the machine's drift over the whole run
        // (its speed varies by half here) weighs on all alike, and ratios are taken within rounds.
        Map<Run, List<VariantResult>> measured = new LinkedHashMap<>();
        Map<Run, String> totals = new HashMap<>();
        runs.forEach(run -> measured.put(run, new ArrayList<>()));
        for (int round = 1; round <= rounds; round++) {
            List<Run> order = new ArrayList<>(runs);
            if (round % 2 == 0) {
                Collections.reverse(order);
            }
            for (Run run : order) {
                String prefix = "b" + size + "-" + workload.name() + "-" + run.variant() + (run.batch() > 0 ? "-" + run.batch() : "") + "-"
                        + (rounds > 1 ? "r" + round + "-" : "");
                Optional<VariantResult> result = runVariant(run.variant(), workload, bootstrap, topic, prefix, Math.max(run.batch(), 1), size);
                measured.get(run).add(result.orElse(null));
                if (result.isEmpty()) {
                    continue;
                }
                String checked = run.variant().equals("ceiling") ? "n/a" : check(expected, bootstrap, prefix, run.variant().equals("kafka-streams"));
                if (!totals.containsKey(run) || !checked.equals("exact") && !checked.equals("n/a")) {
                    // A wrong total in any round is the variant's.
                    totals.put(run, checked);
                }
                System.out.printf("%-18s %s %,12.0f records/s, totals %s%s%n", run.variant(), run.batch() > 0 ? "batch " + run.batch() : "",
                        result.get().recordsPerSecond(), checked, rounds > 1 ? " (round " + round + " of " + rounds + ")" : "");
            }
        }
        // The references of the ratios: the ceiling's rounds and Kafka Streams'.
        List<VariantResult> ceiling = compared(measured, "ceiling", compareBatch);
        List<VariantResult> peer = compared(measured, "kafka-streams", compareBatch);
        List<BenchRow> rows = new ArrayList<>();
        for (Run run : runs) {
            List<VariantResult> byRound = measured.get(run);
            List<VariantResult> done = byRound.stream().filter(Objects::nonNull).toList();
            if (done.isEmpty()) {
                continue;
            }
            rows.add(BenchRow.of(workload.name(), run.variant(), size, run.batch(), median(done), totals.get(run))
                    .withRatios(ratio(byRound, ceiling), ratio(byRound, peer)));
        }
        return rows;
    }

    /** A variant at one batch size (0 for those that do not batch). */
    private record Run(String variant, int batch) {
    }

    /** The rounds of {@code variant} at the compared batch size (or its only one), or null when it did not run. */
    private static List<VariantResult> compared(Map<Run, List<VariantResult>> measured, String variant, int compareBatch) {
        return measured.get(new Run(variant, batching(variant) ? compareBatch : 0));
    }

    /**
     * The rate of {@code byRound} over that of {@code reference}, round by round (both lists by
     * round, null where a run failed): the median of the ratios of the rounds both ran (of an even
     * number, the lower of the middle two); NaN when there is no such round.
     */
    static double ratio(List<VariantResult> byRound, List<VariantResult> reference) {
        if (reference == null) {
            return Double.NaN;
        }
        List<Double> ratios = new ArrayList<>();
        for (int r = 0; r < Math.min(byRound.size(), reference.size()); r++) {
            if (byRound.get(r) != null && reference.get(r) != null) {
                ratios.add(byRound.get(r).recordsPerSecond() / reference.get(r).recordsPerSecond());
            }
        }
        if (ratios.isEmpty()) {
            return Double.NaN;
        }
        Collections.sort(ratios);
        return ratios.get((ratios.size() - 1) / 2);
    }

    /** The round with the median rate (of an even number, the slower of the middle two). */
    static VariantResult median(List<VariantResult> rounds) {
        List<VariantResult> sorted = new ArrayList<>(rounds);
        sorted.sort(Comparator.comparingDouble(VariantResult::recordsPerSecond));
        return sorted.get((sorted.size() - 1) / 2);
    }

    /** Whether the variant closes batches of max-records (Spate's and the Pekko Streams peer's), so that a row has a batch size. */
    private static boolean batching(String variant) {
        return variant.startsWith("spate") || variant.equals("pekko-streams");
    }

    private Optional<VariantResult> runVariant(String variant, Workload workload, String bootstrap, String topic, String prefix, int batch,
                                               long size) throws IOException, InterruptedException {
        Process p = start(variant, workload, bootstrap, topic, prefix, batch, "measure");
        VariantResult result = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith(VariantResult.PREFIX)) {
                    result = VariantResult.parse(line);
                }
            }
        }
        if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0 || result == null) {
            p.destroyForcibly();
            System.out.printf("%s: failed (exit %s); see %s%n", variant, p.isAlive() ? "-" : p.exitValue(), logFile(prefix));
            return Optional.empty();
        }
        if (result.records() != size) {
            System.out.printf("%s: read %,d records, expected %,d%n", variant, result.records(), size);
        }
        return Optional.of(result);
    }

    private Process start(String variant, Workload workload, String bootstrap, String topic, String prefix, int batch, String mode)
            throws IOException {
        return start(variant, workload, bootstrap, topic, prefix, batch, mode, archives.containsKey(variant)
                ? List.of("-XX:SharedArchiveFile=" + archives.get(variant), CDS_QUIET) : List.of());
    }

    private Process start(String variant, Workload workload, String bootstrap, String topic, String prefix, int batch, String mode,
                          List<String> cdsOptions) throws IOException {
        List<String> command = new ArrayList<>(List.of(Jvm.java(), "-Xmx" + heap));
        command.addAll(cdsOptions);
        command.addAll(launcherOptions);
        command.addAll(jvmOptions);
        String logback = System.getProperty("logback.configurationFile");
        if (logback != null) {
            command.add("-Dlogback.configurationFile=" + logback);
        }
        command.addAll(List.of("-cp", Jvm.classPath(), VariantMain.class.getName(), variant, workload.name(), bootstrap, topic, prefix,
                Integer.toString(batch), mode));
        Files.createDirectories(out.toPath());
        return new ProcessBuilder(command).redirectError(logFile(prefix).toFile()).start();
    }

    /**
     * A training run of each variant over the first {@value #CDS_TRAINING_RECORDS} golden-signals
     * records (fewer when every size is smaller), writing the class archive its measured JVMs then map ({@link #archives}): the same
     * for every variant, so that no one's start-up is spared the class loading another pays.
     */
    private void train(String bootstrap, List<byte[]> lines, Path dir) throws IOException, InterruptedException {
        GoldenSignals golden = new GoldenSignals();
        String topic = "cds-training";
        long records = Math.min(CDS_TRAINING_RECORDS, sizes.stream().mapToLong(Long::longValue).min().orElse(CDS_TRAINING_RECORDS));
        KafkaTopics.produce(bootstrap, topic, golden.input(lines, records), n -> { });
        int batch = batchSizes.get(batchSizes.size() - 1);
        for (String variant : variants) {
            if (variant.equals("spate-gpu") && !gpuAvailable()) {
                continue;
            }
            Path archive = dir.resolve(variant + ".jsa");
            String prefix = "cds-" + variant + "-";
            Process p = start(variant, golden, bootstrap, topic, prefix, batching(variant) ? batch : 1, "measure",
                    List.of("-XX:ArchiveClassesAtExit=" + archive, CDS_QUIET));
            p.getInputStream().transferTo(OutputStream.nullOutputStream());
            if (p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0 && Files.isRegularFile(archive)) {
                archives.put(variant, archive);
            } else {
                p.destroyForcibly();
                System.out.printf("%s: no class archive (training run failed; see %s), so its JVMs load classes from the jars%n",
                        variant, logFile(prefix));
            }
        }
        System.out.printf("class data sharing: archives of %s from training runs over %,d records%n", archives.keySet(), records);
    }

    private Path logFile(String prefix) {
        return out.toPath().resolve(prefix + "log.txt");
    }

    private void latency(String bootstrap, List<byte[]> lines, List<BenchRow> rows) throws Exception {
        int batch = batchSizes.get(batchSizes.size() - 1);
        for (String variant : variants) {
            // spate-emit-1s holds results for a second by design: its latency is the interval's.
            if (variant.equals("ceiling") || variant.equals("spate-connector") || variant.equals("spate-exactly-once") || variant.equals("spate-emit-1s")
                    || variant.equals("spate-gpu") && !gpuAvailable()) {
                continue;
            }
            String topic = "latency-" + variant;
            String prefix = "lat-" + variant + "-";
            Process p = start(variant, new GoldenSignals(), bootstrap, topic, prefix, batch, "serve");
            try {
                // Give the variant time to start and join its group before the clock runs.
                KafkaTopics.produce(bootstrap, topic, List.of(lines.get(0)));
                Thread.sleep(8000);
                List<Double> ms = LatencyProbe.measure(bootstrap, topic, prefix + "traffic", lines, rate, Duration.ofSeconds(latencySeconds));
                double p50 = LatencyProbe.quantile(ms, 0.50);
                double p99 = LatencyProbe.quantile(ms, 0.99);
                System.out.printf("%-18s latency at %,d records/s: p50 %.0f ms, p99 %.0f ms (%d markers)%n", variant, rate, p50, p99, ms.size());
                for (int i = 0; i < rows.size(); i++) {
                    BenchRow r = rows.get(i);
                    if (r.workload().equals(GoldenSignals.NAME) && r.variant().equals(variant) && r.records() == sizes.get(sizes.size() - 1)
                            && (r.batchRecords() == 0 || r.batchRecords() == batch)) {
                        rows.set(i, r.withLatency(p50, p99));
                    }
                }
            } finally {
                p.destroy();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    private static String check(Workload.Expected expected, String bootstrap, String prefix, boolean lastValues) {
        try {
            String difference = expected.differenceIn(bootstrap, prefix, lastValues);
            return difference == null ? "exact" : "WRONG: " + difference;
        } catch (IOException | RuntimeException e) {
            return "WRONG: cannot read the outputs back: " + e;
        }
    }

    /** Whether a GPU backend is on the class path and a device answers (the provider's own check, as {@code auto} makes it). */
    private static boolean gpuAvailable() {
        Config config = ConfigFactory.load();
        return Backends.providers().stream().anyMatch(p -> p.name().equals("gpu") && p.canRun(config));
    }

    private List<byte[]> lines() throws IOException {
        if (input != null) {
            try (InputStream in = Files.newInputStream(input.toPath())) {
                return Lines.read(in);
            }
        }
        return SampleData.nasaLog();
    }

    private static String machine() {
        Runtime rt = Runtime.getRuntime();
        long memory = 0;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
            memory = os.getTotalMemorySize();
        }
        return String.format(Locale.ROOT, "%d cores, %.0f GiB, %s %s, Java %s", rt.availableProcessors(), memory / (double) (1L << 30),
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
