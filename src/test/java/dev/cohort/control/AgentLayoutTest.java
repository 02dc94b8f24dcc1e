package dev.cohort.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cohort.harness.SimHarness;
import dev.cohort.platform.sim.Scenarios;
import dev.cohort.platform.sim.SimMachine;
import org.junit.jupiter.api.Test;

/** Which core agents serve the same latency-critical services, on the 128-CPU machine with two services. */
class AgentLayoutTest {

    @Test
    void coreAgentsAreGroupedByTheServicesTheirDomainsServe() {
        SimMachine m = SimHarness.machine(Scenarios.builtIn("large"), 1);
        AgentLayout layout = new AgentLayout(m.topology(), m.capabilities(),
                SimHarness.controllerConfig(m, ControllerConfig.DEFAULT));
        int[] groups = layout.coreServiceGroups();
        assertEquals(layout.agents(dev.cohort.policy.Role.CORE), groups.length);
        int web = -2;
        int kv = -2;
        for (int a = 0; a < groups.length; a++) {
            int cpu = m.topology().frequencyDomains().get(layout.coreDomain(a)).cpus().get(0);
            if (cpu < 32) { // web: CPUs 0-31
                web = web == -2 ? groups[a] : web;
                assertEquals(web, groups[a], "every web domain in one group (CPU " + cpu + ")");
            } else if (cpu >= 64 && cpu < 96) { // kv: CPUs 64-95
                kv = kv == -2 ? groups[a] : kv;
                assertEquals(kv, groups[a], "every kv domain in one group (CPU " + cpu + ")");
            } else {
                assertEquals(-1, groups[a], "CPU " + cpu + " serves no latency-critical service");
            }
        }
        assertEquals(0, web, "groups are numbered from 0 in agent order");
        assertEquals(1, kv);
    }
}
