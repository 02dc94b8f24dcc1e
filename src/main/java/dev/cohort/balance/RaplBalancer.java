package dev.cohort.balance;

import dev.cohort.control.Controller;
import dev.cohort.control.TickRecord;
import dev.cohort.platform.CohortException;
import dev.cohort.platform.ControlPlan;
import dev.cohort.platform.Platform;
import dev.cohort.platform.Setting;
import dev.cohort.platform.SettingResult;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The hardware rival: the budget, split evenly over the packages (as GEOPM's power governor splits a node's), written
 * as each package's long-term power limit (PL1) with the balancer's step as its window, through the platform like
 * every knob (saved before, restored after). λ stays at its default and nothing moves after the start: the hardware
 * holds the limit by lowering every core's frequency.
 */
public final class RaplBalancer implements Balancer {
    private final double budgetWatts;
    private final long windowUsec;
    private final BooleanSupplier throttling;

    /**
     * @param throttling whether the limit holds the cores under the frequency the policy set, now (the simulated
     *                   machine knows its ceiling; a host would compare the running and the requested frequency)
     */
    public RaplBalancer(double budgetWatts, long windowUsec, BooleanSupplier throttling) {
        this.budgetWatts = budgetWatts;
        this.windowUsec = windowUsec;
        this.throttling = throttling;
    }

    @Override
    public BalancerKind kind() {
        return BalancerKind.RAPL;
    }

    @Override
    public void start(Platform platform, Controller controller) {
        int packages = platform.topology().packageCount();
        long perPackageUw = Math.round(budgetWatts / packages * 1e6);
        List<Setting> limits = new ArrayList<>();
        for (int p = 0; p < packages; p++) {
            limits.add(new Setting.PowerLimitUw(p, perPackageUw, windowUsec));
        }
        for (SettingResult r : platform.apply(new ControlPlan(0, limits))) {
            if (r.outcome() != SettingResult.Outcome.APPLIED && r.outcome() != SettingResult.Outcome.CLAMPED) {
                throw new CohortException("balancer rapl: cannot set " + r.setting().target() + "'s power limit: "
                        + r.detail() + " (choose another balancer, e.g. governor)");
            }
        }
    }

    @Override
    public void window(double meanWatts, Platform platform, Controller controller) {
        // the hardware does the work
    }

    @Override
    public boolean binding(TickRecord tick, Controller controller) {
        return throttling.getAsBoolean();
    }
}
