package io.spate.gpu.internal;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

import io.spate.spi.ComputeBackend;
import io.spate.spi.ComputeBackendProvider;

import jcuda.CudaException;

/**
 * Provides the {@link GpuBackend}; found by {@link java.util.ServiceLoader}, preferred over the CPU
 * backend. With {@code spate.gpu.enabled = auto} it answers only when a device does (the reason
 * for not answering is logged once, by {@link GpuDetection}); {@code on} fails at start without a
 * device; {@code off} never answers.
 */
public final class GpuBackendProvider implements ComputeBackendProvider {

    private static final Logger LOG = LoggerFactory.getLogger(GpuBackendProvider.class);

    /** For {@link java.util.ServiceLoader}. */
    public GpuBackendProvider() {
    }

    @Override
    public String name() {
        return GpuBackend.NAME;
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public boolean canRun(Config config) {
        GpuSettings settings = GpuSettings.create(config);
        if (settings.mode() == GpuSettings.Mode.OFF) {
            return false;
        }
        GpuDetection.Probe probe = GpuDetection.probe();
        if (probe.available() && settings.device() < probe.devices()) {
            return true;
        }
        String why = probe.available() ? "device " + settings.device() + " does not exist (" + probe.devices() + " found)" : probe.reason();
        if (settings.mode() == GpuSettings.Mode.ON) {
            throw new ConfigException.BadValue("spate.gpu.enabled", "on, but no GPU can be used: " + why);
        }
        return false;
    }

    @Override
    public Optional<ComputeBackend> create(Config config) {
        if (!canRun(config)) {
            return Optional.empty();
        }
        GpuSettings settings = GpuSettings.create(config);
        try {
            return Optional.of(new GpuBackend(settings));
        } catch (CudaException | LinkageError e) {
            if (settings.mode() == GpuSettings.Mode.ON) {
                throw new ConfigException.BadValue("spate.gpu.enabled", "on, but the GPU backend cannot start: " + e, e);
            }
            LOG.warn("the GPU backend cannot start, the CPU backend runs instead: {}", e.toString());
            return Optional.empty();
        }
    }
}
