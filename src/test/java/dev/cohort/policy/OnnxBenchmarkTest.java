package dev.cohort.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxBenchmarkTest {
    @TempDir
    java.nio.file.Path dir;

    @Test
    void quantilesAreNearestRank() {
        long[] v = new long[100];
        for (int i = 0; i < 100; i++) {
            v[i] = i + 1;
        }
        assertEquals(50, OnnxBenchmark.quantile(v, 0.5));
        assertEquals(99, OnnxBenchmark.quantile(v, 0.99));
        assertEquals(7, OnnxBenchmark.quantile(new long[]{7}, 0.99));
    }

    @Test
    void everyTimedTickRunsTheModelsOnFreshObservations() {
        TestModels.export(dir, Role.CORE, 11, true, 1);
        var spaces = Map.of(Role.CORE, new ActionSpace(Role.CORE, 11), Role.MEMORY, new ActionSpace(Role.MEMORY, 10),
                Role.QUOTA, new ActionSpace(Role.QUOTA, 10));
        try (OnnxPolicy p = OnnxPolicy.load("bench", dir, dev.cohort.policy.baseline.Baselines.create("performance"), spaces)) {
            var r = OnnxBenchmark.run(p, spaces, Map.of(Role.CORE, 16, Role.QUOTA, 2), 3, 10, 1);
            assertEquals(10, r.ticks());
            assertEquals(16, p.lastOutputs(Role.CORE).length / 11, "the last tick ran the core model over 16 agents");
            assertEquals(0, p.fallbackCount());
            assertTrue(r.medianUs() <= r.p99Us() && r.p99Us() <= r.maxUs(), r.toString());
        }
    }
}
