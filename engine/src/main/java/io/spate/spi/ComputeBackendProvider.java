package io.spate.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.typesafe.config.Config;

import io.spate.plan.Plan;

/**
 * Makes a {@link ComputeBackend}; found with {@link java.util.ServiceLoader}, so a backend plugs in
 * by being on the class path (a {@code META-INF/services/io.spate.spi.ComputeBackendProvider} entry).
 * The node asks every provider, highest {@link #priority()} first, and uses the first that
 * returns a backend.
 */
public interface ComputeBackendProvider {

    /** Short name, e.g. {@code cpu}. */
    String name();

    /** Higher is preferred; the CPU backend is 0. */
    int priority();

    /**
     * A backend for this node, or empty (with the reason logged by the provider) when this kind of
     * backend cannot run here or is disabled by {@code config}.
     *
     * @param config the node's whole configuration ({@code spate.*} keys)
     */
    Optional<ComputeBackend> create(Config config);

    /**
     * Whether {@link #create} would give a backend, answered without building one (a GPU provider
     * probes the driver, which it remembers, but makes no context). The default says yes.
     *
     * @param config the node's whole configuration ({@code spate.*} keys)
     */
    default boolean canRun(Config config) {
        return true;
    }

    /**
     * Buffers the batch source should build batches of {@code plan} in, so that this backend reads
     * them without another copy (the GPU provider offers pinned host memory, within
     * {@code spate.gpu.max-pinned-bytes}); empty, the default, means heap arrays. Asked only of
     * the provider {@link #canRun} said yes for; the buffers live as long as the stream that uses
     * them.
     *
     * @param config the node's whole configuration ({@code spate.*} keys)
     * @param plan the plan the batches will run
     */
    default Optional<BatchBuffers> stagingBuffers(Config config, Plan plan) {
        return Optional.empty();
    }

    /**
     * Where each step of {@code plan} runs on this backend, one line per output (its query or
     * inference name first), saying why any step does not run where this backend would prefer (a
     * GPU backend names what falls back to the host and why). The default: every step here.
     *
     * @param config the node's whole configuration ({@code spate.*} keys)
     * @param plan the plan to place
     */
    default List<String> explain(Config config, Plan plan) {
        List<String> lines = new ArrayList<>();
        plan.queries().forEach(q -> lines.add(q.name() + ": every step on the " + name() + " backend"));
        plan.inferences().forEach(i -> lines.add(i.name() + ": decode and inference on the " + name() + " backend"));
        return lines;
    }
}
