package io.spate.gpu.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.LoggerFactory;

/**
 * Where the gpu-tagged tests run: on a real device, or on the CUDA driver stand-in that the build
 * makes from {@code gpu/src/standin} (kernels run on the host CPU; nothing measured there is a GPU
 * figure). The build's stand-in executions name its folder in the {@code spate.cuda.standin}
 * system property; there a missing device is a failure, not a skip, unless the stand-in could not
 * be built (no C++ compiler), which skips naming why.
 */
final class GpuTestDevice {

    /** The system property naming the stand-in's build folder, set by the gpu module's stand-in test executions. */
    static final String STANDIN_PROPERTY = "spate.cuda.standin";

    private static boolean said;

    private GpuTestDevice() {
    }

    /**
     * Skips the calling test where no device answers (see the class comment), or where the
     * stand-in injects device faults (a test that expects none would fail there: say
     * {@link #requireAllowingFaults} where faults are expected), and says once which device the
     * tests run on.
     */
    static void require() {
        requireAllowingFaults();
        assumeFalse(faultsInjected(), "device faults are injected in this run (SPATE_CUDA_STANDIN_FAULT); this test expects a sound device");
    }

    /** As {@link #require}, for a test that checks what happens under injected device faults too. */
    static synchronized void requireAllowingFaults() {
        String dir = System.getProperty(STANDIN_PROPERTY);
        GpuDetection.Probe probe;
        if (dir != null) {
            Path why = Path.of(dir, "UNAVAILABLE");
            assumeFalse(Files.exists(why), () -> "the CUDA driver stand-in was not built: " + read(why));
            probe = GpuDetection.probe();
            assertTrue(probe.available() && probe.standIn(), "the CUDA driver stand-in was built in " + dir + " but does not answer: " + probe.reason());
        } else {
            probe = GpuDetection.probe();
            assumeTrue(probe.available(), () -> "no GPU: " + probe.reason());
        }
        if (!said) {
            said = true;
            LoggerFactory.getLogger(GpuTestDevice.class).info(probe.standIn()
                    ? "gpu tests run on the CUDA driver stand-in: the real kernels on the host CPU, not on a GPU"
                    : "gpu tests run on a real device: {}", probe.deviceName());
        }
    }

    /** Whether the tests run on the stand-in with device faults injected (SPATE_CUDA_STANDIN_FAULT). */
    static boolean faultsInjected() {
        return GpuDetection.probe().standIn() && System.getenv("SPATE_CUDA_STANDIN_FAULT") != null;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
