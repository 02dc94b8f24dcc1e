package dev.cohort.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.platform.sim.Scenarios;
import dev.cohort.policy.ObservationSpec;
import dev.cohort.policy.Observations;
import dev.cohort.policy.Role;
import dev.cohort.policy.RoleObservations;
import org.junit.jupiter.api.Test;

/**
 * A quota agent sees whether its batch job shares a service's CPUs, how busy that service's CPUs are, and how loaded
 * its memory domain is: what tells a host where full quota costs the service (colocation, membw) from one where it
 * does not (its own cores, memory to spare).
 */
class QuotaObservationTest {
    private static final int LC_SHARE = ObservationSpec.QUOTA.index("lc_share");
    private static final int LC_UTIL = ObservationSpec.QUOTA.index("lc_util");
    private static final int MEM_BW = ObservationSpec.QUOTA.index("mem_bw");

    /** The quota agents' observation after 3 s of full quota, full frequency and no bandwidth limit. */
    private static RoleObservations quotaAfterFullQuota(String scenario) {
        try (SimHarness h = SimHarness.open(Scenarios.resolve(scenario), 1001, "static:core=1,memory=1,quota=1",
                SimHarness.Options.evaluation())) {
            for (int i = 0; i < 30; i++) {
                h.step();
            }
            Observations obs = h.beginStep();
            return obs.role(Role.QUOTA);
        }
    }

    @Test
    void aJobOnTheServicesCoresSeesThemAsShared() {
        RoleObservations q = quotaAfterFullQuota("colocation");
        assertEquals(1, q.agents());
        assertEquals(1.0, q.get(0, LC_SHARE), 1e-6, "the job runs on all of the service's cores");
        assertTrue(q.get(0, LC_UTIL) > 0.5, "the service's cores are busy with the job at full quota: " + q.get(0, LC_UTIL));
    }

    @Test
    void aStreamOnItsOwnCoresSeesItsMemoryDomainLoaded() {
        RoleObservations q = quotaAfterFullQuota("membw");
        assertEquals(0.0, q.get(0, LC_SHARE), 1e-6, "the stream has its own cores");
        assertTrue(q.get(0, MEM_BW) > 0.5, "unthrottled, the stream saturates the socket: " + q.get(0, MEM_BW));
        assertTrue(q.get(0, LC_UTIL) > 0, "the service on the same socket is seen");
    }

    @Test
    void onTheLargeMachineEachJobSeesItsOwnOverlap() {
        RoleObservations q = quotaAfterFullQuota("large");
        assertEquals(2, q.agents());
        assertEquals(16.0 / 48, q.get(0, LC_SHARE), 1e-6, "the CPU job's 48 CPUs include 16 of the first service's");
        assertEquals(0.0, q.get(1, LC_SHARE), 1e-6, "the stream's 32 CPUs are its own");
        assertTrue(q.get(1, MEM_BW) > 0.5, "the stream loads socket 1's memory: " + q.get(1, MEM_BW));
        assertTrue(q.get(0, MEM_BW) < q.get(1, MEM_BW) / 2, "the CPU job on socket 0 sees its own socket's memory, "
                + "not the stream's: " + q.get(0, MEM_BW));
    }
}
