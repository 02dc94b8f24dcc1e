package dev.cohort.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

class SkippedTestsReportTest {
    /** Run by the test below through its own launcher, never by the build (it is skipped here, by design). */
    static class Sample {
        @Test
        void needsMpstat() {
            Assumptions.assumeTrue(false, "mpstat is not installed");
        }

        @Test
        @Disabled("waits for a host with RDT")
        void needsRdt() {
        }
    }

    @Test
    void skippedTestsAndTheirReasonsArePrintedOneLineEach() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectClass(Sample.class))
                .build();
        // without the registered listeners: this run's skips are the test's, not the build's
        var launcher = LauncherFactory.create(LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build());
        launcher.execute(request, new SkippedTestsReport(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        assertEquals("""
                SKIPPED SkippedTestsReportTest.Sample.needsMpstat: mpstat is not installed
                SKIPPED SkippedTestsReportTest.Sample.needsRdt: waits for a host with RDT
                """, bytes.toString(StandardCharsets.UTF_8).lines().sorted().map(l -> l + "\n").reduce("", String::concat));
    }
}
