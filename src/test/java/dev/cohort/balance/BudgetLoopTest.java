package dev.cohort.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.eval.RunResult;
import dev.cohort.eval.SimRunner;
import dev.cohort.platform.CohortException;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.Scenarios;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Budgets held on the simulated machine, judged over one-second windows of the model's true energy. */
class BudgetLoopTest {
    private static final long SECONDS_20 = 20_000_000_000L;

    private static RunResult run(Scenario sc, String policy, String budget, BalancerKind kind) {
        return run(sc, policy, budget, kind, SECONDS_20);
    }

    private static RunResult run(Scenario sc, String policy, String budget, BalancerKind kind, long nanos) {
        var o = SimRunner.Options.defaults().withDuration(nanos).withTimeline(false);
        return SimRunner.run(sc, policy, 3, budget == null ? o : o.withBudget(BudgetLoop.Options.of(BudgetSpec.parse(budget), kind)));
    }

    @Test
    void raplHoldsSeventyPercentOfThePolicysOwnPower() {
        Scenario sc = Scenarios.builtIn("colocation");
        RunResult free = run(sc, "performance", null, null, 0);
        assertNull(free.budget(), "no budget, no budget figures");
        RunResult held = run(sc, "performance", "70%", BalancerKind.RAPL, 0);
        BudgetFigures b = held.budget();
        assertEquals(0.7 * free.metrics().meanPowerWatts(), b.budgetWatts(), 1e-9, "a percent of the same run's power");
        assertEquals(59, b.windows(), "the scenario's minute from the first decision: the tick before it is the host as"
                + " found, and the last window, a tick short, is left out");
        assertTrue(b.overBudgetShare() <= 0.05, "windows over: " + b.overBudgetShare());
        assertTrue(b.budgetUse() >= 0.93, "budget use where it binds: " + b.budgetUse());
        assertTrue(held.metrics().energyJoules() < 0.75 * free.metrics().energyJoules());
        assertEquals(1.0, b.meanLambda(), 0.0, "rapl leaves λ alone");
    }

    @Test
    void theGovernorsClampActsOnlyAsTheGovernorRival() {
        Scenario sc = Scenarios.builtIn("membw");
        RunResult rapl = run(sc, "performance", "60W", BalancerKind.RAPL);
        RunResult gov = run(sc, "performance", "60W", BalancerKind.GOVERNOR);
        assertEquals("governor", gov.budget().balancer());
        assertEquals(60, gov.budget().budgetWatts());
        assertTrue(rapl.metrics().energyJoules() != gov.metrics().energyJoules(), "each rival is its own run");
    }

    @Test
    void aMachineWithoutRaplOrAStepOffTheTickIsRefused(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("norapl.yaml");
        Files.writeString(f, """
                name: norapl
                machine: {sockets: 1, coresPerSocket: 4, rapl: {present: false}}
                batch:
                  - {name: spin, cpus: 0-3, kind: cpu}
                """);
        Scenario hidden = Scenarios.resolve(f.toString());
        // without RAPL the shipped cost model stands in for it, and the figures say the balancer saw an estimate
        RunResult est = run(hidden, "performance", "20W", BalancerKind.PI);
        assertTrue(est.budget().powerSource().startsWith("estimated (cost model"), est.budget().powerSource());
        var noModel = SimRunner.Options.defaults().withDuration(SECONDS_20).withCostModel(dir.resolve("none"))
                .withBudget(BudgetLoop.Options.of(BudgetSpec.parse("20W"), BalancerKind.PI));
        var e = assertThrows(CohortException.class, () -> SimRunner.run(hidden, "performance", 3, noModel));
        assertTrue(e.getMessage().contains("no cost model there"), e.getMessage());
        var o = SimRunner.Options.defaults().withDuration(SECONDS_20).withBudget(
                new BudgetLoop.Options(BudgetSpec.parse("50W"), BalancerKind.PI, 150_000_000L, 4));
        var step = assertThrows(CohortException.class, () -> SimRunner.run(Scenarios.builtIn("steady"), "performance", 1, o));
        assertEquals("the balancer step (150 ms) must be a whole number of ticks (100 ms) and not shorter than one",
                step.getMessage());
    }
}
