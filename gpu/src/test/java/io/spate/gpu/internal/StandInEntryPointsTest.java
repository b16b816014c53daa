package io.spate.gpu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * Calling an entry point that the loaded libcuda.so.1 lacks kills the JVM (JCuda's library binds
 * them lazily), so this checks the CUDA driver stand-in against what Spate's code calls: every
 * {@code JCudaDriver} method the gpu module's classes call must reach a driver function the
 * stand-in implements (not one of its NOT_SUPPORTED stubs), under each native name JCuda's driver
 * library imports for it ({@code cuMemAlloc} binds {@code cuMemAlloc_v2}).
 */
@Tag("gpu")
@DisplayName("the CUDA driver stand-in implements every driver entry point Spate calls")
class StandInEntryPointsTest {

    @Test
    void shouldImplementEveryEntryPointTheGpuModuleCalls() throws IOException {
        String dir = System.getProperty(GpuTestDevice.STANDIN_PROPERTY);
        assumeTrue(dir != null, "checks the stand-in's build; runs in the gpu module's stand-in executions");
        GpuTestDevice.require();
        Set<String> implemented = lines(Path.of(dir, "implemented.txt"));
        Set<String> imported = lines(Path.of(dir, "jcuda-imports.txt"));
        Set<String> stubbed = lines(Path.of(dir, "stubbed.txt"));
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.spate.gpu");
        Set<String> called = new TreeSet<>();
        classes.forEach(c -> c.getMethodCallsFromSelf().stream().map(JavaMethodCall::getTarget)
                .filter(t -> t.getOwner().getName().equals("jcuda.driver.JCudaDriver") && t.getName().startsWith("cu"))
                .forEach(t -> called.add(t.getName())));
        assertTrue(called.contains("cuLaunchKernel") && called.contains("cuMemAlloc"), "found the driver calls: " + called);
        Set<String> missing = new TreeSet<>();
        for (String method : called) {
            List<String> natives = List.of(method, method + "_v2", method + "_v3").stream().filter(imported::contains).toList();
            if (natives.isEmpty()) {
                missing.add(method + " (no native of that name among JCuda's imports)");
            }
            natives.stream().filter(n -> !implemented.contains(n)).forEach(n -> missing.add(method + " -> " + n));
        }
        assertEquals(Set.of(), missing, "driver entry points Spate calls that the stand-in does not implement");
        assertEquals(imported, union(implemented.stream().filter(imported::contains).collect(Collectors.toSet()), stubbed),
                "every entry point JCuda binds is implemented or a NOT_SUPPORTED stub");
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new TreeSet<>(a);
        u.addAll(b);
        return u;
    }

    private static Set<String> lines(Path p) throws IOException {
        return Files.readAllLines(p).stream().map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
    }
}
