package io.spate.gpu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.spate.cli.SpateCli;
import io.spate.internal.model.Mlp;

/** {@code spate explain} on a GPU node (a real device or the CUDA driver stand-in): which steps run on the device, which on the host, and why. */
@Tag("gpu")
@DisplayName("spate explain on the GPU backend (a real device or the CUDA driver stand-in)")
class GpuExplainTest {

    /** The repository's config/ folder, whether the test runs in gpu/ (Maven) or at the root (gpu/device-check.sh). */
    private static final Path CONFIG = Files.isDirectory(Path.of("../config")) ? Path.of("../config") : Path.of("config");

    private static String explain(String config) {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, SpateCli.execute("explain", "--config", config, "--set", "spate.gpu.enabled=on"));
        } finally {
            System.setOut(saved);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldSayWhichStepsRunOnTheDeviceAndWhichFallBack(@TempDir Path dir) throws IOException {
        GpuTestDevice.require();
        String device = GpuDetection.probe().standIn() ? "on the device (the CUDA driver stand-in: the host CPU, not a GPU)" : "on the device";
        String golden = explain(CONFIG.resolve("golden-signals.conf").toString());
        assertTrue(golden.contains("backend: gpu"), golden);
        assertTrue(golden.contains("errors: decode (clf), filter, hash group-by, count " + device), golden);
        assertTrue(golden.contains("mb-sent: decode (clf), hash group-by, sum " + device), golden);
        String words = explain(CONFIG.resolve("word-count.conf").toString());
        assertTrue(words.contains("decode (json), tokenize and count words of text " + device), words);
        assertTrue(words.contains("lower-casing of non-ASCII words, running totals, encoding on the host"), words);
        String hourly = explain(CONFIG.resolve("golden-signals-hourly.conf").toString());
        assertTrue(hourly.contains("traffic-hourly: decode (clf), (window, group) hash group-by, count " + device), hourly);
        assertTrue(hourly.contains("watermarks, lateness and window assignment, running totals, encoding on the host"), hourly);
        Path model = dir.resolve("mlp.safetensors");
        Mlp.random(Mlp.STANDARD_SIZES, 1).save(model, Map.of());
        Path higgsConfig = dir.resolve("higgs.conf");
        Files.writeString(higgsConfig, Files.readString(CONFIG.resolve("higgs.conf")).replace("models/mlp.safetensors", model.toString()));
        String higgs = explain(higgsConfig.toString());
        assertTrue(higgs.contains("higgs-predictions: decode (json) on the host, model inference (classify) " + device), higgs);
    }
}
