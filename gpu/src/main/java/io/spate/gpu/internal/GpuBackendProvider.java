package io.spate.gpu.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

import io.spate.plan.Plan;
import io.spate.spi.BatchBuffers;
import io.spate.spi.ComputeBackend;
import io.spate.spi.ComputeBackendProvider;

import jcuda.CudaException;

/**
 * Provides the {@link GpuBackend}; found by {@link java.util.ServiceLoader}, preferred over the CPU
 * backend. With {@code spate.gpu.enabled = auto} it answers only when a device does (the reason
 * for not answering is logged once, by {@link GpuDetection}); {@code on} fails at start without a
 * device; {@code off} never answers.
 *
 * <p>For plans the device runs it offers staging buffers: pinned host memory (a {@link StagingPool}
 * of {@link PinnedMemory}, within {@code spate.gpu.staging-bytes}) that the batch source builds
 * batches in, so that the backend copies a batch to the device straight from there.
 */
public final class GpuBackendProvider implements ComputeBackendProvider {

    private static final Logger LOG = LoggerFactory.getLogger(GpuBackendProvider.class);
    /** Staging buffers are made in whole MiBs, so that batches of slowly varying size reuse them. */
    private static final long STAGING_GRANULE = 1 << 20;

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
    public Optional<BatchBuffers> stagingBuffers(Config config, Plan plan) {
        GpuSettings settings = GpuSettings.create(config);
        if (settings.stagingBytes() == 0 || DeviceQuery.whyNot(plan).isPresent() || !canRun(config)) {
            // Batches of plans that run on the CPU twin are read as arrays: pinned memory would cost a copy.
            return Optional.empty();
        }
        return Optional.of(new StagingPool(settings.stagingBytes(), STAGING_GRANULE, new PinnedMemory(settings.device())));
    }

    @Override
    public List<String> explain(Config config, Plan plan) {
        String device = GpuDetection.probe().standIn() ? "the device (the CUDA driver stand-in: the host CPU, not a GPU)" : "the device";
        List<String> lines = new ArrayList<>(DevicePlacement.explain(plan, device));
        lines.add("(a batch holding a value only the CPU parses exactly, or too large for the device caps, runs on the CPU twin, said once)");
        return lines;
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
