package dev.cohort.build;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.library.Architectures;
import org.junit.jupiter.api.Test;

/**
 * ARCHITECTURE.md's table of layers as a test: lower layers never import higher ones, {@code platform.linux} and
 * {@code platform.sim} never import each other, and no package cycle. A test of the test checks that a class with a
 * deliberate upward import ({@code build.upward.UpwardImport}, test code) is reported.
 */
class LayerRuleTest {
    /** The build's output (read directly: scanning the class path would read every dependency's jar too). */
    private static java.nio.file.Path target(String sub) {
        return java.nio.file.Path.of(System.getProperty("cohort.repo", ".")).resolve("target").resolve(sub);
    }

    /** The rule, with the layers and who may use each, in ARCHITECTURE.md's words. */
    static Architectures.LayeredArchitecture rule(String platformPackages) {
        return layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("platform").definedBy(platformPackages)
                .layer("platform.linux").definedBy("dev.cohort.platform.linux..")
                .layer("platform.sim").definedBy("dev.cohort.platform.sim..")
                .layer("policy").definedBy("dev.cohort.policy..")
                .layer("control").definedBy("dev.cohort.control..")
                .layer("harness").definedBy("dev.cohort.harness..")
                .layer("learn").definedBy("dev.cohort.learn..")
                .optionalLayer("balance").definedBy("dev.cohort.balance..")
                .layer("eval").definedBy("dev.cohort.eval..")
                .layer("service").definedBy("dev.cohort.service..")
                .layer("cli").definedBy("dev.cohort.cli..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("service").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("eval").mayOnlyBeAccessedByLayers("service", "cli")
                .whereLayer("balance").mayOnlyBeAccessedByLayers("eval", "service", "cli")
                .whereLayer("learn").mayOnlyBeAccessedByLayers("balance", "eval", "service", "cli")
                .whereLayer("harness").mayOnlyBeAccessedByLayers("learn", "balance", "eval", "service", "cli")
                .whereLayer("control").mayOnlyBeAccessedByLayers("harness", "learn", "balance", "eval", "service", "cli")
                .whereLayer("policy").mayOnlyBeAccessedByLayers("control", "harness", "learn", "balance", "eval", "service", "cli")
                .whereLayer("platform.sim").mayOnlyBeAccessedByLayers("harness", "learn", "balance", "eval", "service", "cli")
                .whereLayer("platform.linux").mayOnlyBeAccessedByLayers("balance", "eval", "service", "cli");
    }

    @Test
    void noImportRunsUpwardAndNoPackageCycle() {
        JavaClasses main = new ClassFileImporter().importPath(target("classes"));
        assertTrue(main.size() > 250 && main.contain(dev.cohort.service.Daemon.class), "every main class read: " + main.size());
        rule("dev.cohort.platform").check(main);
        slices().matching("dev.cohort.(*)..").should().beFreeOfCycles().check(main);
    }

    @Test
    void theRuleReportsADeliberateUpwardImport() {
        JavaClasses withViolation = new ClassFileImporter().importPaths(target("test-classes/dev/cohort/build/upward"),
                target("classes/dev/cohort/service"));
        AssertionError e = assertThrows(AssertionError.class,
                () -> rule("dev.cohort.build.upward").check(withViolation));
        assertTrue(e.getMessage().contains("UpwardImport") && e.getMessage().contains("dev.cohort.service.Daemon"), e.getMessage());
    }
}
