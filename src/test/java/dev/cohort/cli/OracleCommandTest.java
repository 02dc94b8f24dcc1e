package dev.cohort.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.cli.OperatorCommandsTest.Run;
import dev.cohort.platform.linux.faketree.FakeTreeWriter;
import dev.cohort.platform.linux.faketree.TreeSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --policy oracle} on the simulator ({@code simulate}, {@code evaluate} with its gain share and seed limits),
 * and a one-line refusal wherever a real host would run it.
 */
class OracleCommandTest {
    private static final String NEEDS_SIMULATOR = "policy 'oracle' needs the simulator: it searches copies of the simulated "
            + "machine's state, so only cohort simulate and cohort evaluate can run it";

    @Test
    void simulateRunsTheOracleWithItsOptions() throws Exception {
        Run r = OperatorCommandsTest.run("simulate", "--scenario", "trace", "--policy", "oracle", "--duration", "2s",
                "--oracle-horizon", "1", "--oracle-width", "2", "--oracle-candidates", "slo-guard,schedutil", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode n = new ObjectMapper().readTree(r.out());
        assertEquals("oracle", n.get("policy").asText());
        assertEquals(20, n.get("ticks").asLong());
        assertEquals(0, n.get("fallback_ticks").asLong(), "the oracle decided every tick itself");
    }

    @Test
    void evaluateReportsTheShareOfTheOraclesGainOnTheSeedsItRan(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("eval");
        Run r = OperatorCommandsTest.run("evaluate", "--scenarios", "colocation,trace", "--policies", "performance,slo-guard,oracle",
                "--seeds", "3", "--duration", "2s", "--oracle-seeds", "trace=2", "--oracle-horizon", "1", "--out", out.toString(),
                "--no-progress", "--threads", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains(" oracle gain share |"), r.out());
        assertTrue(r.out().contains("Oracle gain share: each policy's share of the oracle's mean-reward gain over the best baseline"),
                r.out());
        List<String> csv = Files.readAllLines(out.resolve("oracle-gain.csv"));
        assertEquals(1 + 2 * 3, csv.size(), "a header and a line per scenario and policy");
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("trace,oracle,") && l.contains(",2,")), "trace pairs the oracle's 2 seeds: " + csv);
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("colocation,oracle,") && l.contains(",3,")), csv.toString());
        long oracleRuns = Files.readAllLines(out.resolve("runs.csv")).stream().filter(l -> l.startsWith("trace,oracle,")).count();
        assertEquals(2, oracleRuns, "--oracle-seeds trace=2");
        JsonNode cells = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertTrue(cells.get(0).has("oracle_gain_share"), cells.get(0).toString());
    }

    @Test
    void badOracleOptionsGetOneLine() {
        Run width = OperatorCommandsTest.run("simulate", "--scenario", "steady", "--policy", "oracle", "--oracle-width", "0");
        assertEquals(1, width.code());
        assertEquals("cohort: --oracle-width must be at least 1 level, got 0\n", width.err());
        Run seeds = OperatorCommandsTest.run("evaluate", "--scenarios", "steady", "--policies", "oracle", "--out", "/tmp/x",
                "--oracle-seeds", "steady");
        assertEquals(1, seeds.code());
        assertTrue(seeds.err().startsWith("cohort: --oracle-seeds 'steady' is not SCENARIO=N"), seeds.err());
        Run unknown = OperatorCommandsTest.run("evaluate", "--scenarios", "steady", "--policies", "oracle", "--out", "/tmp/x",
                "--oracle-seeds", "large=2");
        assertEquals(1, unknown.code());
        assertEquals("cohort: --oracle-seeds names large, which is not among --scenarios (steady)\n", unknown.err());
    }

    @Test
    void theDaemonAndTuneRefuseItInOneLine(@TempDir Path dir) throws Exception {
        Path tree = FakeTreeWriter.write(dir.resolve("tree"), TreeSpec.intelServer(4, 1));
        Path config = OperatorCommandsTest.configFor(dir, tree);
        Files.writeString(config, Files.readString(config) + "policy:\n  core: oracle\n");
        for (String[] args : new String[][]{{"run", "--config", config.toString()},
                {"tune", "--config", config.toString(), "quota", "batch", "50%"}}) {
            Run r = OperatorCommandsTest.run(args);
            assertEquals(1, r.code(), args[0] + ": " + r.out() + r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().strip().endsWith("policy.core: " + NEEDS_SIMULATOR), args[0] + ": " + r.err());
        }
    }
}
