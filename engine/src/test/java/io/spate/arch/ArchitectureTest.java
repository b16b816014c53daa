package io.spate.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The layering rules of DESIGN.md, enforced rather than remembered. */
class ArchitectureTest {

    private static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.spate");

    @Test
    void engineShouldNeverDependOnJcuda() {
        noClasses().should().dependOnClassesThat().resideInAPackage("jcuda..").check(ENGINE);
    }

    @Test
    void publicApiShouldNotDependOnTheCli() {
        noClasses().that().resideInAnyPackage("io.spate", "io.spate.javadsl", "io.spate.plan", "io.spate.frame", "io.spate.spi")
                .should().dependOnClassesThat().resideInAPackage("io.spate.cli..").check(ENGINE);
    }

    @Test
    void theSpiAndPlansShouldNotDependOnInternals() {
        noClasses().that().resideInAnyPackage("io.spate.plan", "io.spate.frame", "io.spate.spi")
                .should().dependOnClassesThat().resideInAPackage("io.spate.internal..").check(ENGINE);
    }
}
