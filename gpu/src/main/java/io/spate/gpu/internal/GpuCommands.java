package io.spate.gpu.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import com.typesafe.config.ConfigFactory;

import io.spate.BatchResult;
import io.spate.RecordBatch;
import io.spate.internal.cpu.CpuBackend;
import io.spate.plan.Plan;
import io.spate.spi.ComputeBackend;
import io.spate.testkit.SampleData;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spate gpu info} (also {@code spate gpu-info}, or {@code spate gpu} alone) and {@code spate gpu bench}. */
@Command(name = "gpu", aliases = "gpu-info", description = "GPU backend: device info and kernel benchmark", mixinStandardHelpOptions = true,
        subcommands = {GpuCommands.Info.class, GpuCommands.Bench.class})
public final class GpuCommands implements Callable<Integer> {

    @Override
    public Integer call() {
        return new Info().call();
    }

    /** Prints the device, driver, memory and whether the kernels load, or why not. */
    @Command(name = "info", description = "Print the GPU, its driver and memory, and whether the kernels load")
    public static final class Info implements Callable<Integer> {

        @Override
        public Integer call() {
            GpuDetection.Probe probe = GpuDetection.probe();
            if (!probe.available()) {
                System.out.println("no GPU: " + probe.reason());
                return 1;
            }
            int failed = 0;
            if (probe.standIn()) {
                System.out.println("CUDA driver stand-in: Spate's kernels run on the host CPU; this is not a GPU and nothing measured on it is a GPU figure");
            }
            for (int d = 0; d < probe.devices(); d++) {
                System.out.println(GpuDevice.describe(d));
                try (GpuDevice device = new GpuDevice(d)) {
                    System.out.println("  kernels load on " + device.name() + ": yes (" + GpuDevice.KERNELS.length + " kernels from " + GpuDevice.FATBIN + ")");
                } catch (RuntimeException e) {
                    System.out.println("  kernels load: no: " + e);
                    failed++;
                }
            }
            return failed == 0 ? 0 : 1;
        }
    }

    /**
     * Kernel throughput on the NASA log: GB/s of raw log bytes parsed and aggregated by the golden
     * signals plan, on the GPU (including the H2D copy from pinned memory) and on the CPU backend,
     * on the same batch in the same run.
     */
    @Command(name = "bench", description = "Measure records/s and GB/s of a seed workload's batch on the GPU backend (copy included) vs the CPU backend")
    public static final class Bench implements Callable<Integer> {

        @Option(names = "--records", description = "Records per batch (default: ${DEFAULT-VALUE})", defaultValue = "200000")
        int records;

        @Option(names = "--repeat", description = "Timed runs per backend (default: ${DEFAULT-VALUE})", defaultValue = "20")
        int repeat;

        @Option(names = "--workload", split = ",", description = "golden-clf, golden-tsv, golden-csv, golden-json, word-count-json, higgs, "
                + "recommend, or all (default: ${DEFAULT-VALUE}); several comma-separated", defaultValue = "golden-clf")
        List<String> workloads;

        @Override
        public Integer call() throws IOException {
            List<BenchWorkload> chosen = workloads.contains("all") ? List.of(BenchWorkload.values())
                    : workloads.stream().map(BenchWorkload::of).toList();
            GpuDetection.Probe probe = GpuDetection.probe();
            Path models = Files.createTempDirectory("spate-bench-models");
            try {
                int rc = 0;
                for (BenchWorkload workload : chosen) {
                    rc = Math.max(rc, run(workload, probe, models));
                }
                return rc;
            } finally {
                try (Stream<Path> files = Files.list(models)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.deleteIfExists(models);
            }
        }

        private int run(BenchWorkload workload, GpuDetection.Probe probe, Path models) throws IOException {
            // Inference batches are events, not log lines: a tenth as many keeps the CPU's time per batch alike.
            int n = workload == BenchWorkload.HIGGS || workload == BenchWorkload.RECOMMEND ? Math.max(1, records / 10) : records;
            RecordBatch batch = workload.batch(SampleData.nasaLog(), n);
            Plan plan = workload.plan(models);
            System.out.printf("%s batch: %,d records, %,d bytes%n", workload.id(), batch.count(), batch.byteSize());
            try (CpuBackend cpu = new CpuBackend()) {
                report(workload, "cpu", time(cpu, plan, batch), batch);
            }
            if (!probe.available()) {
                System.out.println(workload.id() + " gpu: not measured: " + probe.reason());
                return 1;
            }
            try (GpuBackend gpu = new GpuBackend(GpuSettings.create(ConfigFactory.load()))) {
                // The stand-in runs the same kernels on the CPU: its figure says how the stand-in does, not a GPU.
                report(workload, probe.standIn() ? "gpu-standin (CUDA driver stand-in on the host CPU, NOT a GPU figure)" : "gpu (" + probe.deviceName() + ")",
                        time(gpu, plan, batch), batch);
            }
            return 0;
        }

        private double time(ComputeBackend backend, Plan plan, RecordBatch batch) {
            for (int i = 0; i < 3; i++) {
                backend.execute(plan, batch);
            }
            long best = Long.MAX_VALUE;
            for (int i = 0; i < repeat; i++) {
                long t0 = System.nanoTime();
                BatchResult r = backend.execute(plan, batch);
                long t = System.nanoTime() - t0;
                if (r.frames().isEmpty()) {
                    throw new IllegalStateException("no frames");
                }
                best = Math.min(best, t);
            }
            return best / 1e9;
        }

        private static void report(BenchWorkload workload, String name, double seconds, RecordBatch batch) {
            System.out.printf("%s %s: best %.3f ms per batch, %.2f GB/s of record bytes, %,.0f records/s%n", workload.id(), name, seconds * 1e3,
                    batch.byteSize() / seconds / 1e9, batch.count() / seconds);
        }
    }
}
