package dev.cohort.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.platform.linux.faketree.FakeTreeWriter;
import dev.cohort.platform.linux.faketree.TreeSpec;
import dev.cohort.cli.OperatorCommandsTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cohort tune} refuses what would hurt or makes no sense, in one line with exit code 1, writing nothing. */
class TuneRefusalTest {
    @TempDir
    Path dir;
    Path tree;
    Path config;

    @BeforeEach
    void host() throws Exception {
        tree = FakeTreeWriter.write(dir.resolve("tree"), TreeSpec.intelServer(4, 1));
        config = OperatorCommandsTest.configFor(dir, tree);
    }

    private static Run run(String... args) {
        return OperatorCommandsTest.run(args);
    }

    @Test
    void aQuotaOnALatencyCriticalCgroupNeedsForce() throws Exception {
        Path cpuMax = tree.resolve("sys/fs/cgroup/system.slice/web.service/cpu.max");
        String before = Files.readString(cpuMax);
        Run r = run("tune", "--config", config.toString(), "quota", "web", "50%");
        assertEquals(1, r.code(), r.out() + r.err());
        assertEquals("cohort: cgroup web is latency-critical: a quota would throttle the service cohort is there to protect"
                + " (its SLO 5 ms), and cohort never throttles it; add --force to set it anyway\n", r.err());
        assertEquals(before, Files.readString(cpuMax), "nothing written");
        assertTrue(Files.notExists(dir.resolve("run/state.json")), "nothing saved");
        assertEquals(0, run("tune", "--config", config.toString(), "quota", "web", "max").code(), "lifting the limit is fine");
        Run forced = run("tune", "--config", config.toString(), "quota", "web", "50%", "--force");
        assertEquals(0, forced.code(), forced.out() + forced.err());
        assertEquals("50000 100000", Files.readString(cpuMax).strip());
    }

    @Test
    void aNegativeValueIsAValueErrorNotAMissingParameter() throws Exception {
        Path cpuMax = tree.resolve("sys/fs/cgroup/batch.slice/cpu.max");
        String before = Files.readString(cpuMax);
        Run r = run("tune", "--config", config.toString(), "quota", "batch", "-5%");
        assertEquals(1, r.code(), r.out() + r.err());
        assertEquals("cohort: quota -5% is negative: allowed 1%..400% (1 ms per 100 ms period up to its 4 CPUs); or max for no limit\n",
                r.err());
        assertEquals(before, Files.readString(cpuMax));
        Run w = run("tune", "--config", config.toString(), "weight", "batch", "-1");
        assertEquals(1, w.code(), w.err());
        assertTrue(w.err().startsWith("cohort: weight -1 is negative: allowed 1..10000"), w.err());
        Run f = run("tune", "--config", config.toString(), "freq", "0", "-2GHz");
        assertEquals(1, f.code(), f.err());
        assertTrue(f.err().startsWith("cohort: freq -2GHz is negative"), f.err());
        assertEquals(2, run("tune", "--config", config.toString(), "quota", "batch", "5%", "--bogus").code(),
                "an unknown option after the value is still a usage error");
    }
}
