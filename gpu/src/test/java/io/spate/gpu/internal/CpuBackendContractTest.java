package io.spate.gpu.internal;

import io.spate.internal.cpu.CpuBackend;
import io.spate.spi.ComputeBackend;

/** The backend contract on the CPU backend: always runs, and checks the suite itself. */
class CpuBackendContractTest extends BackendContract {

    @Override
    ComputeBackend newBackend() {
        return new CpuBackend();
    }

    @Override
    ComputeBackend collidingBackend() {
        // The CPU backend's own collision hook is package-private to it; its CpuBackendTest covers collisions.
        return new CpuBackend();
    }
}
