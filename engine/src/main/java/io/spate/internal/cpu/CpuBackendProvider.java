package io.spate.internal.cpu;

import java.util.Optional;

import com.typesafe.config.Config;

import io.spate.plan.Plan;
import io.spate.spi.BatchBuffers;
import io.spate.spi.ComputeBackend;
import io.spate.spi.ComputeBackendProvider;

/**
 * Provides the {@link CpuBackend}; found by {@link java.util.ServiceLoader}. It has the lowest
 * priority and always answers, so a node that finds no better backend still runs.
 */
public final class CpuBackendProvider implements ComputeBackendProvider {

    /** For {@link java.util.ServiceLoader}. */
    public CpuBackendProvider() {
    }

    @Override
    public String name() {
        return CpuBackend.NAME;
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Optional<ComputeBackend> create(Config config) {
        return Optional.of(new CpuBackend());
    }

    /**
     * Heap arrays kept for the pipeline's next batches ({@link HeapBatchBuffers}), up to an eighth of
     * the maximum heap: room for the batches a pipeline holds at once (read ahead, computing,
     * encoding) at the usual sizes.
     */
    @Override
    public Optional<BatchBuffers> stagingBuffers(Config config, Plan plan) {
        return Optional.of(new HeapBatchBuffers(Runtime.getRuntime().maxMemory() / 8));
    }
}
