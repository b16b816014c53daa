package io.spate.testkit;

import io.spate.internal.cpu.CpuBackend;
import io.spate.spi.ComputeBackend;

/**
 * The backend contract on the CPU backend, the reference itself: it always runs, and checks the
 * suite (a case the reference fails is a case wrongly written). No colliding hook: the CPU
 * backend's is package-private to it, and its CpuBackendTest covers collisions.
 */
class CpuBackendContractTest extends BackendContract {

    @Override
    protected ComputeBackend newBackend() {
        return new CpuBackend();
    }
}
