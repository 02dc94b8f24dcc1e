package dev.cohort.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.balance.BalancerKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evaluate --power-budgets}: the outcome simulation through the CLI, a tiny sweep (2 seeds, 2 budgets, 3 s), and
 * bad input refused in one line with nothing written.
 */
class OutcomeCommandTest {
    private static SimulateEvaluateCommandTest.Out run(String... args) {
        return SimulateEvaluateCommandTest.run(args);
    }

    @Test
    void aTinySweepGivesEveryColumnAndTheOracleKeepsTheBudget(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("outcome");
        var o = run("evaluate", "--power-budgets", "70%,90%", "--policy", "learned", "--scenarios", "colocation",
                "--seeds", "2", "--duration", "3s", "--threads", "2", "--no-progress", "--out", out.toString());
        assertEquals(0, o.code(), o.err());
        // every balancer built joins by default, or is named with the reason it cannot start (a model not shipped yet)
        List<String> balancers = Arrays.stream(BalancerKind.values()).map(BalancerKind::key)
                .filter(k -> !o.out().contains("Balancer " + k + " is left out: ")).toList();
        assertTrue(balancers.contains("rapl") && balancers.contains("governor"), o.out());
        for (String col : List.of("budget (W)", "mean power", "windows over budget", "μ where it binds", "ν", "ticks over SLO",
                "LC requests in SLO", "BE work done", "value", "Return%")) {
            assertTrue(o.out().contains(" " + col + " |"), "column '" + col + "' in\n" + o.out());
        }
        for (String b : balancers) {
            assertTrue(o.out().contains("| 70% | " + b + " |") && o.out().contains("| 90% | " + b + " |"), b + " in\n" + o.out());
        }
        assertTrue(o.out().contains("| 70% | oracle | "), o.out());
        for (String f : List.of("outcome.md", "outcome.csv", "outcome.json", "outcome-runs.csv")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        assertTrue(ImageIO.read(out.resolve("outcome-colocation.png").toFile()).getWidth() > 0);

        // per budget: the oracle's Return% is 100% by definition, and it keeps the budget at least as well as every rival
        JsonNode cells = new ObjectMapper().readTree(out.resolve("outcome.json").toFile()).get("cells");
        assertEquals(2 * (balancers.size() + 1), cells.size());
        Map<String, Double> oracleOver = new HashMap<>();
        for (JsonNode c : cells) {
            if (c.get("balancer").asText().equals("oracle")) {
                assertEquals(1.0, c.at("/figures/return_share/mean").asDouble(), 1e-12, c.toString());
                oracleOver.put(c.get("budget").asText(), c.at("/figures/over_budget_share/mean").asDouble());
            }
            for (String k : List.of("over_budget_share", "over_budget_use_share", "slo_violation_tick_share",
                    "lc_requests_in_slo_share", "be_work_share", "value_share", "return_share")) {
                double v = c.at("/figures/" + k + "/mean").asDouble();
                assertTrue(v >= 0 && (v <= 1 || k.equals("return_share")), k + " = " + v + " in " + c);
            }
        }
        // mpc's within-window guard can keep the first window under the budget too (the oracle's first tick runs before any
        // decision), so on runs this short it is compared by the per-run rule below, not here
        for (JsonNode c : cells) {
            if (!List.of("oracle", "mpc").contains(c.get("balancer").asText())) {
                assertTrue(oracleOver.get(c.get("budget").asText()) <= c.at("/figures/over_budget_share/mean").asDouble(),
                        "the oracle is over the budget no more often than " + c);
            }
        }
        // the oracle's only window over the budget is the first: its first tick runs before any decision
        List<String> runs = Files.readAllLines(out.resolve("outcome-runs.csv"));
        List<String> head = Arrays.asList(runs.getFirst().split(","));
        int over = head.indexOf("over_budget_share");
        int windows = head.indexOf("windows");
        for (String line : runs.subList(1, runs.size())) {
            String[] v = line.split(",", -1);
            if (v[head.indexOf("balancer")].equals("oracle")) {
                assertTrue(Double.parseDouble(v[over]) * Integer.parseInt(v[windows]) <= 1 + 1e-9, line);
            }
        }
        String csv = Files.readAllLines(out.resolve("outcome.csv")).getFirst();
        for (String k : List.of("budget_w", "over_budget_share", "budget_use_share", "over_budget_use_share",
                "slo_violation_tick_share", "be_work_share", "value_share", "return_share", "return_share_ci95_half_width")) {
            assertTrue(csv.contains("," + k + ","), k + " in " + csv);
        }
    }

    @Test
    void badInputIsOneLineAndWritesNothing(@TempDir Path dir) {
        Path out = dir.resolve("never");
        String[][] cases = {
                {"--power-budgets", "0%"},
                {"--power-budgets", "abc"},
                {"--power-budgets", "70%", "--shard", "0/2"},
                {"--power-budgets", "70%", "--balancers", "nope"},
                {"--power-budgets", "70%,70%"},
        };
        String[] expected = {
                "cohort: power budget '0%': a percent must be above 0 and at most 100",
                "cohort: power budget 'abc' is not a power (give watts, e.g. 120W, or a percent, e.g. 80%)",
                "cohort: --power-budgets does not shard: run the outcome simulation whole, without --shard",
                "cohort: unknown balancer 'nope' (choose ",
                "cohort: --power-budgets names a budget twice",
        };
        for (int i = 0; i < cases.length; i++) {
            String[] args = concat(new String[]{"evaluate", "--policy", "learned", "--scenarios", "colocation", "--seeds", "1",
                    "--duration", "2s", "--no-progress", "--out", out.toString()}, cases[i]);
            var o = run(args);
            assertEquals(2, o.code(), Arrays.toString(cases[i]) + ": " + o.err());
            assertTrue(o.err().startsWith(expected[i]), o.err());
            assertEquals(2, o.err().lines().count(), "the reason and the usage hint: " + o.err());
            assertFalse(Files.exists(out), "nothing written for " + Arrays.toString(cases[i]));
        }
        var oracle = run("evaluate", "--power-budgets", "70%", "--policy", "oracle", "--scenarios", "colocation",
                "--out", out.toString());
        assertEquals(2, oracle.code(), oracle.err());
        assertTrue(oracle.err().startsWith("cohort: --policy oracle: the oracle is the outcome simulation's reference"),
                oracle.err());
        var orphan = run("evaluate", "--balancers", "pi", "--policies", "learned", "--scenarios", "colocation",
                "--out", out.toString());
        assertEquals(2, orphan.code(), orphan.err());
        assertTrue(orphan.err().startsWith("cohort: --balancers, --policy, --balancer-step, --lambda-max, --dynamics-model, --mpc-margin and --price-scale need --power-budgets"),
                orphan.err());
        assertFalse(Files.exists(out));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
