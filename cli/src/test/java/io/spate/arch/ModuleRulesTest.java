package io.spate.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import java.nio.file.Files;
import java.nio.file.Path;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rules between modules (docs/architecture.md): the testkit and the CLI sit above the engine
 * and use it as a user does, through its runtime and API, never the CPU backend's internals (only
 * the gpu module, which twins them, may); the testkit never reaches up into the CLI.
 */
class ModuleRulesTest {

    private static JavaClasses module(String classes) {
        Path dir = Path.of(classes);
        assertTrue(Files.isDirectory(dir), dir.toAbsolutePath() + " is built before this module's tests");
        return new ClassFileImporter().importPath(dir);
    }

    @Test
    void theTestkitAndTheCliShouldNotUseTheCpuBackendsInternals() {
        for (String classes : new String[] {"../testkit/target/classes", "target/classes"}) {
            noClasses().should().dependOnClassesThat().resideInAPackage("io.spate.internal.cpu..")
                    .because("a backend is made through Backends (spate.compute.backend), as a node makes it")
                    .check(module(classes));
        }
    }

    @Test
    void theTestkitShouldNotReachUpIntoTheCli() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.spate.cli..", "io.spate.internal.node..",
                "io.spate.internal.train..", "picocli..").check(module("../testkit/target/classes"));
    }
}
