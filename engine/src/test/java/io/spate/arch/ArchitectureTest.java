package io.spate.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import java.util.Set;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Test;

/** The layering rules of docs/architecture.md, enforced rather than remembered. */
class ArchitectureTest {

    private static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.spate");

    /** The packages users import; everything else is {@code ..internal..}. */
    private static final String[] PUBLIC_API = {"io.spate", "io.spate.javadsl", "io.spate.plan", "io.spate.frame", "io.spate.spi"};

    @Test
    void engineShouldNeverDependOnTheModulesAboveItOrOnServerJars() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.spate.testkit..", "io.spate.broker..", "io.spate.cli..",
                        "io.spate.internal.node..", "io.spate.internal.train..", "jcuda..", "picocli..", "kafka..",
                        "org.apache.kafka.server..", "org.apache.kafka.raft..", "org.apache.zookeeper..")
                .because("the engine artifact is what a service embeds: no broker, CLI, trainers or GPU classes")
                .check(ENGINE);
    }

    @Test
    void theSpiAndPlansShouldNotDependOnInternals() {
        noClasses().that().resideInAnyPackage("io.spate.plan", "io.spate.frame", "io.spate.spi")
                .should().dependOnClassesThat().resideInAPackage("io.spate.internal..").check(ENGINE);
    }

    @Test
    void theSourceShouldNotAskTheComputeStageForAnything() {
        noClasses().that().resideInAPackage("io.spate.internal.source..")
                .should().dependOnClassesThat().resideInAnyPackage("io.spate.internal.compute..", "io.spate.internal.cpu..",
                        "io.spate.internal.sink..", "io.spate.internal.runtime..")
                .because("the runner hands the source what it needs (its buffers) and the sink consumes its offsets through public types")
                .check(ENGINE);
    }

    @Test
    void theSinkShouldNotKnowTheSource() {
        noClasses().that().resideInAPackage("io.spate.internal.sink..")
                .should().dependOnClassesThat().resideInAnyPackage("io.spate.internal.source..", "io.spate.internal.runtime..")
                .because("it commits offsets through SourceOffsets and TransactionalOffsets")
                .check(ENGINE);
    }

    @Test
    void onlyTheRunnerWiresStages() {
        noClasses().that().resideOutsideOfPackages("io.spate.internal.runtime..", "io.spate.javadsl..")
                .should().dependOnClassesThat().resideInAPackage("io.spate.internal.runtime..")
                .check(ENGINE);
    }

    @Test
    void theStagesBelowShouldNotReachUp() {
        // Down the data path: codec, cpu and model compute; nothing there knows Kafka streams, state or the runner.
        noClasses().that().resideInAnyPackage("io.spate.internal.codec..", "io.spate.internal.cpu..", "io.spate.internal.model..")
                .should().dependOnClassesThat().resideInAnyPackage("io.spate.internal.source..", "io.spate.internal.sink..",
                        "io.spate.internal.state..", "io.spate.internal.runtime..", "io.spate.internal.compute..", "io.spate.javadsl..")
                .check(ENGINE);
    }

    @Test
    void publicSignaturesShouldUseOnlyPublicTypes() {
        DescribedPredicate<JavaClass> api = new DescribedPredicate<>("a public class of the public API") {
            @Override
            public boolean test(JavaClass c) {
                return c.getModifiers().contains(JavaModifier.PUBLIC) && Set.of(PUBLIC_API).contains(c.getPackageName())
                        && c.getEnclosingClass().map(e -> e.getModifiers().contains(JavaModifier.PUBLIC)).orElse(true);
            }
        };
        codeUnits().that().arePublic().and().areDeclaredInClassesThat(api).should(exposeOnlyPublicTypes()).check(ENGINE);
        fields().that().arePublic().and().areDeclaredInClassesThat(api).should(haveAPublicType()).check(ENGINE);
        classes().that(api).should(new ArchCondition<>("extend and implement only public types") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                c.getRawSuperclass().ifPresent(s -> report(c, s, c.getName() + " extends", events));
                c.getRawInterfaces().forEach(i -> report(c, i, c.getName() + " implements", events));
            }
        }).check(ENGINE);
    }

    private static ArchCondition<JavaCodeUnit> exposeOnlyPublicTypes() {
        return new ArchCondition<>("use only public API types in their signature") {
            @Override
            public void check(JavaCodeUnit unit, ConditionEvents events) {
                for (JavaClass t : unit.getReturnType().getAllInvolvedRawTypes()) {
                    report(unit, t, unit.getFullName() + " returns", events);
                }
                for (JavaType p : unit.getParameterTypes()) {
                    for (JavaClass t : p.getAllInvolvedRawTypes()) {
                        report(unit, t, unit.getFullName() + " takes", events);
                    }
                }
            }
        };
    }

    private static ArchCondition<JavaField> haveAPublicType() {
        return new ArchCondition<>("have a public API type") {
            @Override
            public void check(JavaField field, ConditionEvents events) {
                for (JavaClass t : field.getType().getAllInvolvedRawTypes()) {
                    report(field, t, field.getFullName() + " is of", events);
                }
            }
        };
    }

    private static void report(Object where, JavaClass type, String what, ConditionEvents events) {
        boolean internal = type.getPackageName().startsWith("io.spate.") && type.getPackageName().contains(".internal");
        boolean hidden = type.getPackageName().startsWith("io.spate") && !type.getModifiers().contains(JavaModifier.PUBLIC);
        if (internal || hidden) {
            events.add(SimpleConditionEvent.violated(where, what + " " + type.getName() + ", which is not public API"));
        }
    }
}
