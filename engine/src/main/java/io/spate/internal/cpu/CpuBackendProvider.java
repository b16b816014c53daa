package io.spate.internal.cpu;

import java.util.Optional;

import com.typesafe.config.Config;

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
}
