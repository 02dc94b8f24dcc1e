package dev.cohort.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.balance.cost.CostModel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cohort cost} and the estimator standing in for RAPL in {@code simulate}. */
class CostCommandTest {
    private static SimulateEvaluateCommandTest.Out run(String... args) {
        return SimulateEvaluateCommandTest.run(args);
    }

    /** colocation with RAPL hidden, as a scenario file. */
    private static Path hidden(Path dir) throws Exception {
        String text = Files.readString(Path.of("configs/scenarios/colocation.yaml"))
                .replace("name: colocation", "name: colocation-no-rapl")
                .replace("machine:\n", "machine:\n  rapl: {present: false}\n");
        Path f = dir.resolve("norapl.yaml");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void aBudgetRunWithRaplHiddenHoldsItOnTheEstimateAndSaysSo(@TempDir Path dir) throws Exception {
        var o = run("simulate", "--scenario", hidden(dir).toString(), "--policy", "schedutil", "--duration", "5s",
                "--power-budget", "80%", "--balancer", "pi", "--json");
        assertEquals(0, o.code(), o.err());
        JsonNode n = new ObjectMapper().readTree(o.out());
        assertTrue(n.get("powerSource").asText().startsWith("estimated (cost model"), n.toString());
        assertTrue(n.get("budgetWatts").asDouble() > 0, "80% of the true power the policy draws without a budget");
        assertEquals(4, n.get("budgetWindows").asInt(), "whole windows after the first decision");
        assertTrue(n.get("mean_power_w").isNull(), "the machine measures no power; the judge counts the true energy");

        var missing = run("simulate", "--scenario", hidden(dir).toString(), "--policy", "schedutil", "--duration", "2s",
                "--cost-model", dir.resolve("none").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("no cost model there"), missing.err());
        assertFalse(missing.err().contains("Exception"), missing.err());
    }

    @Test
    void aJournalWithObservationsTrainsAModel(@TempDir Path dir) throws Exception {
        Path journal = dir.resolve("j.jsonl");
        var sim = run("simulate", "--scenario", "membw", "--policy", "schedutil", "--duration", "3s", "--journal",
                journal.toString(), "--journal-observations");
        assertEquals(0, sim.code(), sim.err());
        String first = Files.readAllLines(journal).get(0);
        assertTrue(first.contains("\"power_source\":\"measured\"") && first.contains("\"obs\":{\"layout\""), first);
        Path out = dir.resolve("model");
        var train = run("cost", "train", "--journal", journal.toString(), "--out", out.toString(), "--epochs", "1");
        assertEquals(0, train.code(), train.err());
        assertTrue(train.out().contains("29 samples"), train.out());
        assertTrue(train.out().contains("interval model (stands in for RAPL): "), train.out());
        assertTrue(Files.isRegularFile(out.resolve("linear-interval.txt")), "the interval model's linear baseline");
        try (CostModel m = CostModel.load(out)) {
            assertEquals("journal", m.contract().provenance().get("seeds"));
            assertTrue(m.hasIntervalModel(), "a journal trains the interval model too: the second line's own observation");
        }

        Path plain = dir.resolve("plain.jsonl");
        assertEquals(0, run("simulate", "--scenario", "membw", "--policy", "schedutil", "--duration", "1s", "--journal",
                plain.toString()).code());
        var refused = run("cost", "train", "--journal", plain.toString(), "--out", out.toString());
        assertEquals(1, refused.code());
        assertTrue(refused.err().contains("no tick line carries observations"), refused.err());

        // a host without RAPL journals estimates: the estimator never trains on its own output
        Path estimated = dir.resolve("estimated.jsonl");
        assertEquals(0, run("simulate", "--scenario", hidden(dir).toString(), "--policy", "schedutil", "--duration", "1s",
                "--journal", estimated.toString(), "--journal-observations").code());
        assertTrue(Files.readAllLines(estimated).get(5).contains("\"power_source\":\"estimated\""));
        var own = run("cost", "train", "--journal", estimated.toString(), "--out", out.toString());
        assertEquals(1, own.code());
        assertTrue(own.err().contains("no two consecutive ticks with measured package power"), own.err());
    }

    @Test
    void evaluateComparesTheNetworkWithTheLinearModelOnHeldOutScenarios() {
        var o = run("cost", "evaluate", "--ticks", "12");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("held-out: configs/scenarios/heldout/code-trace.yaml"), o.out());
        assertTrue(o.out().matches("(?s).*\nmmoe-dcn +[0-9.]+ +[0-9.]+.*\nlinear +[0-9.]+ .*"), o.out());
        assertTrue(o.out().matches("(?s).*\ninterval +[0-9.]+ +[0-9.]+.*\nlinear-interval +[0-9.]+ .*"), "the shipped interval "
                + "model and its linear baseline: " + o.out());
    }

    /**
     * SIGTERM while the estimator is fitted: the run stops at the next epoch with exit code 143, says so, and writes
     * nothing to its directory; left to the JVM, the signal would end it inside libtorch.
     */
    @Test
    void sigtermStopsBetweenEpochsAndWritesNothing(@TempDir Path dir) throws Exception {
        assumeTrue(dev.cohort.policy.DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        Path out = dir.resolve("stopped");
        CliProcess p = CliProcess.start(dir.resolve("cost.log"), "cost", "train", "--out", out.toString(), "--episodes", "1",
                "--epochs", "1000000");
        p.assertStoppedWritingNothing("cost train", " rows; training ", "episode or epoch", out);
        assertFalse(Files.exists(out), "nothing written: " + out);
    }
}
