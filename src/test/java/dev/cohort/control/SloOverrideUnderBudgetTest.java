package dev.cohort.control;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.harness.SimHarness;
import dev.cohort.platform.sim.Scenarios;
import org.junit.jupiter.api.Test;

/**
 * The daemon's SLO override and a power budget: with λ at its configured value the override puts a service's cores to
 * full speed when it is in trouble; while a balancer prices power above it (a budget binds) the cores stay at the
 * policy's levels and the journal says why; once λ is back, the override acts again.
 */
class SloOverrideUnderBudgetTest {

    @Test
    void aBindingBudgetHoldsTheFullSpeedOverrideBack() {
        var options = SimHarness.Options.evaluation().withGovernor(GovernorConfig.DEFAULT); // the daemon's: override on
        try (SimHarness h = SimHarness.open(Scenarios.builtIn("colocation"), 3, "powersave", options)) {
            double configured = h.controller().lambda();
            boolean overrode = false;
            for (int i = 0; i < 50 && !overrode; i++) {
                overrode = h.step().notes().stream().anyMatch(n -> n.startsWith("override: freq-domain"));
            }
            assertTrue(overrode, "powersave on colocation puts the service in trouble and the override acts");

            h.controller().setLambda(configured + 100); // what pi or mpc does while the budget binds
            boolean held = false;
            for (int i = 0; i < 30; i++) {
                TickRecord r = h.step();
                assertFalse(r.notes().stream().anyMatch(n -> n.startsWith("override: freq-domain")),
                        "no core raised to full speed while the budget binds: " + r.notes());
                held |= r.notes().stream().anyMatch(n -> n.startsWith("override held: a power budget binds"));
            }
            assertTrue(held, "the journal says the override was held back");
            long top = h.machine().scenario().machine().dvfs().maxKhz();
            assertTrue(h.controller().knobs().freqKhz(0) < top, "the service's cores follow the policy down");

            h.controller().setLambda(configured); // the budget lets go
            boolean again = false;
            for (int i = 0; i < 50 && !again; i++) {
                again = h.step().notes().stream().anyMatch(n -> n.startsWith("override: freq-domain"));
            }
            assertTrue(again, "at the configured λ the override acts again");
        }
    }
}
