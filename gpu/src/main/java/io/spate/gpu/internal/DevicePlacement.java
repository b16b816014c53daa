package io.spate.gpu.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import io.spate.plan.Inference;
import io.spate.plan.Plan;
import io.spate.plan.Query;

/**
 * Where each step of a plan runs on the GPU backend, one line per output, for
 * {@code spate explain}: the same decisions {@link GpuBackend} takes ({@link DeviceQuery#whyNot},
 * {@link DeviceInference#whyNot}), in words, with the reason for anything left to the CPU.
 */
final class DevicePlacement {

    private DevicePlacement() {
    }

    /** One line per query and inference of {@code plan}; {@code device} names the device (and says so if it is the stand-in). */
    static List<String> explain(Plan plan, String device) {
        List<String> lines = new ArrayList<>();
        if (!plan.inferences().isEmpty()) {
            Optional<String> why = DeviceInference.whyNot(plan);
            for (Inference i : plan.inferences()) {
                lines.add(why.isPresent() ? i.name() + ": decode and inference on the CPU twin, because " + why.get()
                        : i.name() + ": decode (" + plan.format().name() + ") on the host, model inference (" + i.getClass().getSimpleName().toLowerCase(Locale.ROOT)
                                + ") on " + device + ", its weights uploaded once");
            }
            for (Query q : plan.queries()) {
                lines.add(q.name() + ": on the CPU twin beside the plan's inference" + why.map(w -> ", because " + w).orElse(""));
            }
            return lines;
        }
        Optional<String> why = DeviceQuery.whyNot(plan);
        for (Query q : plan.queries()) {
            if (why.isPresent()) {
                lines.add(q.name() + ": every step on the CPU twin, because " + why.get());
                continue;
            }
            List<String> host = new ArrayList<>();
            if (q.window().isPresent()) {
                host.add("watermarks, lateness and window assignment");
            }
            if (q.tokenize().isPresent() && q.tokenize().get().lowercase()) {
                host.add("lower-casing of non-ASCII words");
            }
            if (q.running()) {
                host.add("running totals");
            }
            if (q.having().isPresent()) {
                host.add("having");
            }
            host.add("encoding");
            lines.add(q.name() + ": " + String.join(", ", deviceSteps(plan, q)) + " on " + device + "; " + String.join(", ", host)
                    + " on the host");
        }
        return lines;
    }

    private static List<String> deviceSteps(Plan plan, Query q) {
        List<String> steps = new ArrayList<>();
        steps.add("decode (" + plan.format().name() + ")");
        if (q.tokenize().isPresent()) {
            steps.add("tokenize and count words of " + q.tokenize().get().column());
            return steps;
        }
        if (!q.filters().isEmpty()) {
            steps.add("filter");
        }
        if (q.window().isPresent()) {
            steps.add("(window, group) hash group-by");
        } else if (!q.keys().isEmpty()) {
            steps.add("hash group-by");
        }
        steps.add(q.aggregates().stream().map(a -> a.fn().name().toLowerCase(Locale.ROOT)).distinct().collect(Collectors.joining("/")));
        return steps;
    }
}
