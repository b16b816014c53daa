package io.spate.gpu.internal;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

import com.typesafe.config.ConfigFactory;

import io.spate.spi.ComputeBackend;

/** The backend contract on the GPU backend; skipped, with the detected reason, where no device answers. */
@Tag("gpu")
class GpuBackendContractTest extends BackendContract {

    @BeforeAll
    static void needsDevice() {
        GpuDetection.Probe probe = GpuDetection.probe();
        assumeTrue(probe.available(), () -> "no GPU: " + probe.reason());
    }

    @Override
    ComputeBackend newBackend() {
        return new GpuBackend(GpuSettings.create(ConfigFactory.load()));
    }

    @Override
    ComputeBackend collidingBackend() {
        return new GpuBackend(GpuSettings.create(ConfigFactory.load()), 0L);
    }
}
