package dev.cohort.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** {@code simulate --power-budget}: the budget's figures in text and JSON, and bad budgets refused in one line. */
class SimulateBudgetCommandTest {
    private static SimulateEvaluateCommandTest.Out run(String... args) {
        return SimulateEvaluateCommandTest.run(args);
    }

    @Test
    void aBudgetInWattsIsHeldAndJudgedPerWindow() throws Exception {
        var o = run("simulate", "--scenario", "membw", "--policy", "performance", "--duration", "10s",
                "--power-budget", "50W", "--balancer", "rapl", "--json");
        assertEquals(0, o.code(), o.err());
        JsonNode n = new ObjectMapper().readTree(o.out());
        assertEquals(50, n.get("budgetWatts").asDouble());
        assertEquals("rapl", n.get("balancer").asText());
        assertEquals(9, n.get("budgetWindows").asInt(), "whole one-second windows from the first decision (the first tick"
                + " runs on the knobs as found)");
        for (String k : new String[]{"overBudgetShare", "budgetUseAll", "overBudgetUse"}) {
            double v = n.get(k).asDouble();
            assertTrue(v >= 0 && v <= 1, k + " is a fraction: " + v);
        }
        assertTrue(n.get("mean_power_w").asDouble() < 52, "held near 50 W: " + n.get("mean_power_w"));

        var text = run("simulate", "--scenario", "membw", "--policy", "performance", "--duration", "5s",
                "--power-budget", "80%", "--balancer", "governor");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("held by governor, judged over 4 windows of 1 s"), text.out());
        assertTrue(text.out().matches("(?s).*windows over budget +[0-9.]+%\n.*"), text.out());
    }

    @Test
    void badBudgetsAreOneLineErrors() {
        var bad = run("simulate", "--scenario", "steady", "--policy", "performance", "--power-budget", "lots");
        assertEquals(2, bad.code());
        assertTrue(bad.err().startsWith("cohort: power budget 'lots' is not a power (give watts, e.g. 120W, or a percent, e.g. 80%)"),
                bad.err());
        var mpc = run("simulate", "--scenario", "steady", "--policy", "performance", "--power-budget", "50W", "--balancer", "mpc",
                "--dynamics-model", "no-such-dir");
        assertEquals(1, mpc.code());
        assertTrue(mpc.err().contains("no-such-dir: no dynamics model (train one with `cohort dynamics train`"),
                mpc.err());
        assertEquals(1, mpc.err().lines().count(), mpc.err());
        var step = run("simulate", "--scenario", "steady", "--policy", "performance", "--power-budget", "50W",
                "--balancer-step", "150ms");
        assertEquals(1, step.code(), step.err());
        assertTrue(step.err().contains("must be a whole number of ticks"), step.err());
        assertFalse(step.err().contains("Exception"), step.err());
        var idle = run("simulate", "--scenario", "colocation", "--policy", "performance", "--power-budget", "5W");
        assertEquals(1, idle.code(), idle.err());
        assertTrue(idle.err().contains("--power-budget 5W is 5.0 W, below this machine's idle power 16.8 W (give at least 16.8 W)"),
                idle.err());
        var orphan = run("simulate", "--scenario", "steady", "--policy", "performance", "--lambda-max", "3");
        assertEquals(2, orphan.code());
        assertTrue(orphan.err().contains("--balancer-step, --lambda-max, --dynamics-model, --mpc-margin and --price-scale need --power-budget"), orphan.err());
    }

    /**
     * A dynamics model forecasts the policy as priced at one κ: {@code mpc} refuses it at another, in one line naming
     * both fixes, and runs when given the κ it names. The shipped model records none and counts as the default.
     */
    @Test
    void mpcRefusesADynamicsModelTrainedAtAnotherPriceScale(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        java.nio.file.Path model = dev.cohort.balance.TestDynamicsModels.exact(dir, 1000,
                dev.cohort.balance.BudgetLoop.DEFAULT_LAMBDA_MAX, 0.1f, 0.625);
        String[] base = {"simulate", "--scenario", "membw", "--policy", "learned", "--duration", "3s", "--power-budget",
                "80%", "--balancer", "mpc", "--dynamics-model", model.toString()};
        var refused = run(base);
        assertEquals(1, refused.code(), refused.err());
        assertEquals("cohort: " + model + " was trained from a policy priced at κ 0.625, not 0.2083 (use --price-scale "
                + "0.625, or train one with cohort dynamics train --price-scale 0.2083)", refused.err().strip());
        String[] given = java.util.Arrays.copyOf(base, base.length + 2);
        given[base.length] = "--price-scale";
        given[base.length + 1] = "0.625";
        assertEquals(0, run(given).code(), "runs at the κ it was trained at");
        var shipped = run("simulate", "--scenario", "membw", "--policy", "learned", "--duration", "3s", "--power-budget",
                "80%", "--balancer", "mpc", "--price-scale", "0.625");
        assertEquals(1, shipped.code());
        assertTrue(shipped.err().contains("priced at κ 0.2083, not 0.625 (use --price-scale 0.2083,"), shipped.err());
        var back = run("simulate", "--scenario", "membw", "--policy", "learned", "--duration", "3s", "--power-budget",
                "80%", "--balancer", "mpc", "--price-scale", "0.2083");
        assertEquals(0, back.code(), "the four digits printed are accepted: " + back.err());
    }
}
