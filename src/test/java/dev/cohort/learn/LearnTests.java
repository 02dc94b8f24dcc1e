package dev.cohort.learn;

import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.Scenarios;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** Shared fixtures of the learning tests. */
public final class LearnTests {
    private LearnTests() {
    }

    /** A test resource as a path. */
    public static Path resource(String name) {
        try {
            return Path.of(LearnTests.class.getResource("/learn/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Two cores, one CPU-bound batch job, no service (see the file). */
    public static Scenario batchOnly() {
        return Scenarios.load(resource("batch-only.yaml"));
    }
}
