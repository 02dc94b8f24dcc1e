package dev.cohort.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.platform.CohortException;
import dev.cohort.platform.CpuSet;
import dev.cohort.policy.Role;
import dev.cohort.service.config.DaemonConfig;
import org.junit.jupiter.api.Test;

/**
 * Configuration values that once got past the reader: paths that leave the cgroup or resctrl tree, fractions and
 * quantities that are not finite positive numbers, CPU lists too large to hold. Each is one line naming the file,
 * the line and the key, with what to write instead.
 */
class ConfigInputTest {

    static String error(String yaml) {
        String m = assertThrows(CohortException.class, () -> DaemonConfig.parse("c.yaml", yaml)).getMessage();
        assertEquals(1, m.lines().count(), m);
        assertTrue(m.startsWith("c.yaml:"), m);
        return m;
    }

    static String cgroup(String path) {
        return "cgroups:\n  - {name: batch, path: " + path + ", role: best-effort}\n";
    }

    @Test
    void cgroupPathsStayBelowTheHierarchyRoot() {
        for (String bad : new String[]{"../../../../outside/cg", "batch.slice/../../x", "a/./b", "a//b", "/", "\"\"", "\".\"",
                "\"..\"", "a/..", "\"a\\x01b\""}) {
            String m = error(cgroup(bad));
            assertTrue(m.startsWith("c.yaml:2: cgroups[0].path: "), m);
            if (!bad.equals("\"\"")) {
                assertTrue(m.contains("e.g. system.slice/web.service"), m);
            }
        }
        assertEquals("c.yaml:2: cgroups[0].path: '../../../../outside/cg' is not a plain path below the cgroup hierarchy root"
                + " (no '..', '.' or empty segments; e.g. system.slice/web.service)", error(cgroup("../../../../outside/cg")));
        assertEquals("system.slice/web.service", DaemonConfig.parse("c.yaml", cgroup("/system.slice/web.service/")).cgroups().get(0).path(),
                "a leading / (as /proc/PID/cgroup writes it) is the hierarchy root, not the file system's");
        assertEquals("batch.slice", DaemonConfig.parse("c.yaml", cgroup("batch.slice")).cgroups().get(0).path());
    }

    @Test
    void theResctrlGroupIsOnePlainDirectoryName() {
        for (String bad : new String[]{"\".\"", "\"..\"", "info", "mon_groups", "mon_data", "a/b", "../x", "\"\"", "/", "\"a b\""}) {
            String m = error("host:\n  resctrl_group: " + bad + "\n");
            assertTrue(m.startsWith("c.yaml:2: host.resctrl_group: "), m);
            assertTrue(m.endsWith("e.g. cohort-be"), m);
        }
        assertEquals("batch-mba", DaemonConfig.parse("c.yaml", "host: {resctrl_group: batch-mba}").host().resctrlGroup());
    }

    @Test
    void staticFractionsAreFiniteNumbersFromZeroToOne() {
        for (String v : new String[]{"NaN", "Infinity", "-Infinity", "-0.1", "1e400", "1.01", "", "x"}) {
            String m = error("policy:\n  core: \"static:core=" + v + "\"\n");
            assertEquals("c.yaml:2: policy.core: static policy option 'core=" + v
                    + "': the fraction must be a finite number in 0..1 (e.g. static:core=0.5)", m);
        }
        assertTrue(error("policy: {fallback: \"static:quota=NaN\"}").startsWith("c.yaml:1: policy.fallback: static policy option"));
        assertEquals("static:core=0,memory=1", DaemonConfig.parse("c.yaml", "policy: {core: \"static:core=0,memory=1\"}")
                .policies().get(Role.CORE));
    }

    @Test
    void powerAndBandwidthArePositive() {
        assertEquals("c.yaml:2: host.tdp: '0W' must be a positive, finite value (e.g. 150W)", error("host:\n  tdp: 0W\n"));
        assertEquals("c.yaml:2: host.memory_peak: '0GB/s' must be a positive, finite value (e.g. 40GB/s)",
                error("host:\n  memory_peak: 0GB/s\n"));
        assertEquals("c.yaml:1: host.tdp: '1e400W' must be a positive, finite value (e.g. 150W)", error("host: {tdp: 1e400W}"));
        assertEquals("c.yaml:1: governor.power_budget: '0W' must be a positive, finite value (e.g. 200W, or none)",
                error("governor: {power_budget: 0W}"));
        assertEquals("c.yaml:1: sim.seed: 'x' is not a whole number (e.g. 1)", error("sim: {seed: x}"));
    }

    @Test
    void theBudgetKeysSayWhatIsAllowed() {
        DaemonConfig c = DaemonConfig.parse("c.yaml", "power_budget: 80%\nbalancer: pi\nbalancer_step: 2s\nlambda_max: 6\n");
        assertEquals(new dev.cohort.balance.BudgetSpec.Percent(80), c.budget().spec());
        assertEquals(dev.cohort.balance.BalancerKind.PI, c.budget().balancer());
        assertEquals(2_000_000_000L, c.budget().stepNanos());
        assertEquals(6.0, c.budget().lambdaMax());
        DaemonConfig none = DaemonConfig.parse("c.yaml", "");
        assertEquals(null, none.budget().spec());
        assertEquals(dev.cohort.balance.BalancerKind.RAPL, none.budget().balancer(), "the default, as in simulate");
        assertEquals(1_000_000_000L, none.budget().stepNanos());
        assertEquals(120.0, DaemonConfig.parse("c.yaml", "power_budget: 120").budget().spec().watts(0));

        assertEquals("c.yaml:1: balancer: unknown balancer 'fast' (choose mpc, pi, rapl, governor)", error("balancer: fast"));
        assertEquals(dev.cohort.balance.BalancerKind.MPC, DaemonConfig.parse("c.yaml", "balancer: mpc").budget().balancer());
        assertEquals(990_000_000L, DaemonConfig.parse("c.yaml", "period: 30ms").budget().stepNanos(),
                "unset, the step is the whole number of periods nearest 1 s");
        assertEquals("c.yaml:1: balancer_step: 50 ms must be a whole number of periods (period 100 ms), at least one",
                error("balancer_step: 50ms"));
        assertEquals("c.yaml:2: balancer_step: 250 ms must be a whole number of periods (period 100 ms), at least one",
                error("period: 100ms\nbalancer_step: 250ms"));
        assertEquals("c.yaml:1: lambda_max: '-1' must be a number of at least 0 (λ is never negative), e.g. 4", error("lambda_max: -1"));
        assertEquals("c.yaml:1: power_budget: power budget '120%': a percent must be above 0 and at most 100",
                error("power_budget: 120%"));
        assertTrue(error("power_budget: lots").startsWith("c.yaml:1: power_budget: power budget 'lots' is not a power"));
        assertEquals("c.yaml:1: host.idle_power: '0W' must be a positive, finite value (e.g. 40W, or none)", error("host: {idle_power: 0W}"));
        // the deprecated governor.power_budget is power_budget with balancer governor, and only one of them is given
        assertTrue(error("power_budget: 100W\ngovernor: {power_budget: 90W}").startsWith(
                "c.yaml:2: governor.power_budget: is the deprecated form of power_budget with balancer: governor"));
        assertTrue(error("balancer: pi\ngovernor: {power_budget: 90W}").contains("write power_budget: 90W instead"));
    }

    @Test
    void cpuListsAreBounded() {
        assertEquals("c.yaml:1: host.reserved_cpus: CPU range '0-2000000000' in cpulist '0-2000000000' goes past CPU 8191"
                + " (at most 8192 CPUs)", error("host: {reserved_cpus: \"0-2000000000\"}"));
        assertTrue(error("host: {reserved_cpus: \"2147483647\"}").contains("is past CPU 8191"));
        assertTrue(error("host: {reserved_cpus: \"0-2147483647\"}").contains("goes past CPU 8191"));
        assertEquals(8192, DaemonConfig.parse("c.yaml", "host: {reserved_cpus: \"0-8191,0-8191\"}").host().reservedCpus().size());
        assertEquals(CpuSet.of(0, 1, 8), CpuSet.parse("0-1,8", 8));
        assertThrows(IllegalArgumentException.class, () -> CpuSet.parse("9", 8));
    }

    @Test
    void valuesWithLineBreaksStayOnOneLine() {
        String m = error("sim: {seed: \"1\\n2\"}");
        assertEquals("c.yaml:1: sim.seed: '1\\n2' is not a whole number (e.g. 1)", m);
        assertTrue(error("\"a\\nb\": 1").contains("'a\\nb': unknown key"), "an unusual key is quoted");
    }
}
