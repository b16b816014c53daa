package io.spate.internal.compute;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.spate.SpateSettings;
import io.spate.plan.Plan;
import io.spate.spi.BatchBuffers;
import io.spate.spi.ComputeBackend;
import io.spate.spi.ComputeBackendProvider;

/**
 * Picks the compute backend with {@link ServiceLoader}: {@code spate.compute.backend = auto} takes
 * the highest-priority provider that gives a backend (the GPU one when its jar is on the class path
 * and a device answers, else the CPU one); a name takes that provider or fails.
 */
public final class Backends {

    private static final Logger LOG = LoggerFactory.getLogger(Backends.class);

    private Backends() {
    }

    /** The providers on the class path, best first. */
    public static List<ComputeBackendProvider> providers() {
        List<ComputeBackendProvider> all = new ArrayList<>();
        ServiceLoader.load(ComputeBackendProvider.class).forEach(all::add);
        all.sort(Comparator.comparingInt(ComputeBackendProvider::priority).reversed());
        return all;
    }

    /**
     * The name of the backend {@link #create} would make, found without making one (so that a GPU
     * backend builds its CUDA context once, in the compute actor); fails as {@link #create} would.
     */
    public static String resolve(SpateSettings settings) {
        return pick(settings).name();
    }

    /**
     * The staging buffers of the backend {@link #resolve} picks, for batches of {@code plan}
     * ({@link BatchBuffers#HEAP} when it offers none); fails as {@link #resolve} would.
     */
    public static BatchBuffers stagingBuffers(SpateSettings settings, Plan plan) {
        return pick(settings).stagingBuffers(settings.config(), plan).orElse(BatchBuffers.HEAP);
    }

    /**
     * The backend {@link #resolve} picks and, per output of {@code plan}, where its steps run there
     * ({@link ComputeBackendProvider#explain}); fails as {@link #resolve} would.
     */
    public static List<String> explain(SpateSettings settings, Plan plan) {
        ComputeBackendProvider p = pick(settings);
        List<String> lines = new ArrayList<>();
        lines.add("backend: " + p.name());
        lines.addAll(p.explain(settings.config(), plan));
        return lines;
    }

    /** The provider the settings' backend names, or with {@code auto} the best that can run here. */
    private static ComputeBackendProvider pick(SpateSettings settings) {
        String wanted = settings.compute().backend();
        List<ComputeBackendProvider> providers = providers();
        for (ComputeBackendProvider p : providers) {
            if (!wanted.equals("auto") && !wanted.equals(p.name())) {
                continue;
            }
            if (p.canRun(settings.config())) {
                return p;
            }
            if (!wanted.equals("auto")) {
                throw cannotRun(wanted);
            }
        }
        throw notFound(wanted, providers);
    }

    /** A new backend as the settings' backend says ({@code auto}: the best provider that makes one). */
    public static ComputeBackend create(SpateSettings settings) {
        String wanted = settings.compute().backend();
        List<ComputeBackendProvider> providers = providers();
        for (ComputeBackendProvider p : providers) {
            if (!wanted.equals("auto") && !wanted.equals(p.name())) {
                continue;
            }
            Optional<ComputeBackend> backend = p.create(settings.config());
            if (backend.isPresent()) {
                return backend.get();
            }
            if (!wanted.equals("auto")) {
                throw cannotRun(wanted);
            }
            LOG.info("{} backend unavailable, trying the next", p.name());
        }
        throw notFound(wanted, providers);
    }

    private static ConfigException cannotRun(String wanted) {
        return new ConfigException.BadValue("spate.compute.backend", "the " + wanted + " backend cannot run here (see the log for why)");
    }

    private static ConfigException notFound(String wanted, List<ComputeBackendProvider> providers) {
        return new ConfigException.BadValue("spate.compute.backend", "no backend named '" + wanted + "' on the class path; found "
                + providers.stream().map(ComputeBackendProvider::name).toList());
    }
}
