package dev.cohort.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.control.TickRecord;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.Scenarios;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reward on the simulated machine counts best-effort work done, not CPUs used over CPUs allowed: starving a
 * batch job with the lowest quota (what the old reward's policy learned on colocation) costs reward unless the
 * service's SLO needs it.
 */
class ProgressRewardTest {
    private record Means(double reward, double progress, double energy, double latency) {
    }

    /** Colocation's service and batch job, each on its own four cores: the SLO does not need the job held down. */
    private static final String APART = """
            name: apart
            durationSeconds: 30
            machine:
              sockets: 1
              coresPerSocket: 8
            services:
              - name: web
                cpus: 0-3
                sloMicros: 4000
                request:
                  cycles: 750000
                  llcMisses: 2941
                arrivals:
                  profile: constant
                  load: 0.4
            batch:
              - name: build
                cpus: 4-7
                kind: cpu
            """;

    private static Means run(Scenario sc, String policy) {
        double r = 0;
        double p = 0;
        double e = 0;
        double l = 0;
        int n = 200;
        try (SimHarness h = SimHarness.open(sc, 1001, policy, SimHarness.Options.evaluation())) {
            for (int i = 0; i < n; i++) {
                TickRecord t = h.step();
                r += t.reward().reward();
                p += t.reward().progress();
                e += t.reward().energy();
                l += t.reward().latency();
            }
        }
        return new Means(r / n, p / n, e / n, l / n);
    }

    @Test
    void starvingBatchWorkThatHarmsNobodyCostsMoreRewardThanTheEnergyItSaves(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("apart.yaml");
        Files.writeString(file, APART);
        Scenario sc = Scenarios.load(file);
        Means starved = run(sc, "static:core=1,quota=0");
        Means slowed = run(sc, "static:core=0.5,quota=1");
        Means full = run(sc, "static:core=1,quota=1");
        assertTrue(starved.progress() < 0.1, "the lowest quota leaves the job a tenth of its work: " + starved);
        assertEquals(0.5, full.progress(), 0.02, "unthrottled at the top frequency the job does all its work on half the host: " + full);
        assertTrue(starved.energy() < full.energy() && slowed.energy() < full.energy(), "starving and slowing save energy");
        assertEquals(0, full.latency(), 1e-9, "the service is fine throughout");
        assertTrue(full.reward() > starved.reward(), "but the work is worth more than the energy: " + full + " vs " + starved);
        assertTrue(full.reward() > slowed.reward(), "at λ = 1 slowing the job's cores does not pay either: " + full + " vs " + slowed);
    }

    @Test
    void whereTheServiceNeedsTheCoresThrottlingTheJobPays() {
        Scenario sc = Scenarios.builtIn("colocation");
        Means starved = run(sc, "static:core=1,quota=0");
        Means full = run(sc, "static:core=1,quota=1");
        assertTrue(full.progress() > 4 * starved.progress(), "full quota does far more work: " + full + " vs " + starved);
        assertTrue(starved.reward() > full.reward(), "but the SLO term dominates: " + starved + " vs " + full);
    }
}
