package io.spate;

import java.time.Duration;
import java.util.Objects;

import com.typesafe.config.Config;

/**
 * The compute actor ({@code spate.compute}): which backend, how many batches in flight, how long a
 * batch may take, and the fault injection tests use. Its thread is the {@code spate.compute.dispatcher}
 * Pekko dispatcher. Immutable; {@code withX} copies.
 *
 * @param backend {@code auto} (the GPU when one answers, else the CPU), {@code cpu}, {@code gpu} or another installed backend's name
 * @param inFlight batches sent to the actor before the first answer comes back (at least 1)
 * @param timeout longest one batch may compute
 * @param injectFaultEvery fail every n-th batch on purpose (0: never), to test the re-run path
 */
public record ComputeSettings(String backend, int inFlight, Duration timeout, int injectFaultEvery) {

    /** Checks the values. */
    public ComputeSettings {
        Objects.requireNonNull(backend, "backend");
        SettingsChecks.require(backend.matches("[a-z][a-z0-9-]*"), "spate.compute.backend",
                "expected auto, cpu, gpu or another installed backend's name, was '" + backend + "'");
        SettingsChecks.require(inFlight >= 1, "spate.compute.in-flight", "must be at least 1, was " + inFlight);
        SettingsChecks.require(timeout.compareTo(Duration.ZERO) > 0, "spate.compute.timeout", "must be positive, was " + timeout);
        SettingsChecks.require(injectFaultEvery >= 0, "spate.compute.inject-fault-every", "must be 0 (off) or positive, was " + injectFaultEvery);
    }

    /** Reads {@code spate.compute.*}; a bad value fails naming its key. */
    static ComputeSettings create(Config config) {
        return new ComputeSettings(config.getString("spate.compute.backend"), config.getInt("spate.compute.in-flight"),
                config.getDuration("spate.compute.timeout"), config.getInt("spate.compute.inject-fault-every"));
    }

    /** A copy with another backend. */
    public ComputeSettings withBackend(String value) {
        return new ComputeSettings(value, inFlight, timeout, injectFaultEvery);
    }

    /** A copy with another number of batches in flight. */
    public ComputeSettings withInFlight(int value) {
        return new ComputeSettings(backend, value, timeout, injectFaultEvery);
    }

    /** A copy with another compute timeout. */
    public ComputeSettings withTimeout(Duration value) {
        return new ComputeSettings(backend, inFlight, value, injectFaultEvery);
    }

    /** A copy that fails every n-th batch on purpose (0: never). */
    public ComputeSettings withInjectFaultEvery(int value) {
        return new ComputeSettings(backend, inFlight, timeout, value);
    }
}
