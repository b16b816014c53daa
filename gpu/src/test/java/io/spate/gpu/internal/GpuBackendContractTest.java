package io.spate.gpu.internal;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;

import com.typesafe.config.ConfigFactory;

import io.spate.spi.ComputeBackend;

/**
 * The backend contract on the GPU backend, on a real device or the CUDA driver stand-in (see
 * {@link GpuTestDevice}); skipped, with the reason, where neither answers.
 */
@Tag("gpu")
@DisplayName("backend contract on the GPU backend (a real device or the CUDA driver stand-in)")
class GpuBackendContractTest extends BackendContract {

    @Override
    ComputeBackend newBackend() {
        GpuTestDevice.require();
        return new GpuBackend(GpuSettings.create(ConfigFactory.load()));
    }

    @Override
    String ownName() {
        return GpuBackend.NAME;
    }

    @Override
    ComputeBackend collidingBackend() {
        return new GpuBackend(GpuSettings.create(ConfigFactory.load()), 0L);
    }
}
