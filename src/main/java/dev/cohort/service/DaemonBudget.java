package dev.cohort.service;

import dev.cohort.balance.Balancer;
import dev.cohort.balance.BalancerKind;
import dev.cohort.balance.BudgetSpec;
import dev.cohort.balance.DynamicsModel;
import dev.cohort.balance.MpcBalancer;
import dev.cohort.balance.MpcOptions;
import dev.cohort.balance.GovernorBalancer;
import dev.cohort.balance.PiBalancer;
import dev.cohort.balance.RaplBalancer;
import dev.cohort.control.Controller;
import dev.cohort.control.TickRecord;
import dev.cohort.platform.CohortException;
import dev.cohort.platform.ControlPlan;
import dev.cohort.platform.Setting;
import dev.cohort.platform.SettingResult;
import dev.cohort.platform.Signal;
import dev.cohort.service.config.DaemonConfig;
import dev.cohort.service.config.Units;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The daemon's power budget, the daemon-side analogue of {@link dev.cohort.balance.BudgetLoop}: the configured budget
 * (or one {@code cohort tune budget} holds in its place) is held by the configured balancer, which sees, once a
 * balancer step (a window of whole ticks), the window's mean package power as the ticks saw it: RAPL's where the host
 * has it, else the cost estimator's. A budget is a share of the TDP the daemon normalises energy by when given as a
 * percent, and never below the machine's idle power. What a balancer writes goes through the daemon's platform like
 * every knob (PL1: saved before, restored on exit); in a dry run it writes nothing. Runs on the loop thread; status and
 * metrics read the {@link View} it publishes.
 */
final class DaemonBudget implements AutoCloseable {
    /** Where the budget in force came from. */
    enum Source {
        CONFIG, TUNE;

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A window that closed with the tick just run: its mean power, whether it was over the budget, and whether λ was at
     * or near its bound while it was (the balancer can ask no more of the policy: the budget is out of its reach).
     */
    record Window(double meanWatts, boolean over, boolean atBound) {
    }

    private final DaemonConfig.Budget cfg;
    private final Started started;
    private final Controller controller;
    private final boolean dryRun;
    private final double tdpWatts;
    private final double idleWatts;
    private final String idleSource;
    private final long stepTicks;
    private final double floorLambda;
    /** The PL1 settings found before the first write, to put back when a {@code rapl} budget ends while running. */
    private final List<Setting> limitsBefore;
    private BudgetSpec tuned;
    private BudgetSpec spec;
    private double watts = Double.NaN;
    private Balancer balancer;
    private long ticksInWindow;
    private boolean begun; // the balancer has seen its first tick (Balancer.begin; BudgetLoop.judgesTick)
    private double joules;
    private double seconds;
    private boolean binding;
    private long windows;
    private long overWindows;
    private long overAtBound; // windows in a row over the budget with λ at or near its bound
    private double windowWatts = Double.NaN;
    private long stepNanos = -1;
    private volatile BudgetView view;
    /** The dynamics model {@code mpc} plans with (opened at start, shared by the balancers a moved budget makes); null otherwise. */
    private final DynamicsModel dynamics;

    private DaemonBudget(DaemonConfig cfg, Started started, Controller controller, DaemonBudget before) {
        this.cfg = cfg.budget();
        this.started = started;
        this.controller = controller;
        this.dryRun = cfg.dryRun();
        Backend b = started.backend();
        this.tdpWatts = b.controller(cfg.controller()).tdpWatts();
        boolean known = !Double.isNaN(b.idleWatts());
        this.idleWatts = known ? b.idleWatts() : cfg.budget().idleWatts();
        this.idleSource = known ? "the simulated machine's own: every core idle at its lowest frequency"
                : Double.isNaN(idleWatts) ? "" : "host.idle_power";
        this.stepTicks = Math.max(1, cfg.budget().stepNanos() / cfg.periodNanos());
        this.floorLambda = controller.lambda();
        this.limitsBefore = before != null ? before.limitsBefore
                : started.platform().currentSettings().stream().filter(s -> s instanceof Setting.PowerLimitUw).toList();
        if (before != null) {
            this.tuned = before.tuned;
            this.windows = before.windows;
            this.overWindows = before.overWindows;
        }
        this.dynamics = cfg.budget().balancer() == BalancerKind.MPC ? DaemonDynamics.open(cfg) : null;
    }

    /** Closes the dynamics model, if any. */
    @Override
    public void close() {
        if (dynamics != null) {
            dynamics.close();
        }
    }

    /**
     * The budget the configuration asks for, checked against the machine and held from now on.
     *
     * @throws CohortException one line naming the key, when the budget is below the machine's idle power, the balancer
     *                         cannot run here (no package power, no power limit to write), or the step is not whole ticks
     */
    static DaemonBudget start(DaemonConfig cfg, Started started, Controller controller) {
        DaemonBudget b = new DaemonBudget(cfg, started, controller, null);
        try {
            b.hold(cfg.budget().spec(), Source.CONFIG);
        } catch (RuntimeException e) {
            if (cfg.budget().balancer() == BalancerKind.RAPL) {
                b.putLimitsBack(); // a limit written to one package before another refused: the start changes nothing
            }
            b.close();
            throw e;
        }
        return b;
    }

    /**
     * A reload's: the new configuration on the new controller, keeping a budget {@code cohort tune} holds and the
     * window counts. Checks everything before it changes anything, so a refused reload leaves {@code before} in force.
     */
    static DaemonBudget reload(DaemonConfig cfg, Started started, Controller controller, DaemonBudget before) {
        DaemonBudget b = new DaemonBudget(cfg, started, controller, before);
        BudgetSpec s = b.tuned != null ? b.tuned : cfg.budget().spec();
        try {
            b.check(s, b.tuned != null ? "cohort tune budget" : cfg.budget().where());
        } catch (RuntimeException e) {
            b.close();
            throw e;
        }
        before.end(b, s);
        b.hold(s, b.tuned != null ? Source.TUNE : Source.CONFIG);
        before.close();
        return b;
    }

    /**
     * {@code cohort tune budget}: holds {@code s} in place of the configured budget until {@link #release}.
     *
     * @return what is in force now, for the operator
     * @throws CohortException when it cannot be held (nothing changed)
     */
    String tune(BudgetSpec s) {
        check(s, "cohort tune budget");
        BudgetSpec was = tuned;
        tuned = s;
        try {
            hold(s, Source.TUNE);
        } catch (CohortException e) {
            tuned = was;
            hold(was != null ? was : cfg.spec(), was != null ? Source.TUNE : Source.CONFIG);
            throw e;
        }
        return describe();
    }

    /** Ends a tuned budget: the configured one (or none) is in force again. Returns what is in force, or null when nothing was held. */
    String release() {
        if (tuned == null) {
            return null;
        }
        tuned = null;
        hold(cfg.spec(), Source.CONFIG);
        return describe();
    }

    /** Whether a tuned budget is held. */
    boolean tuned() {
        return tuned != null;
    }

    /** What the start prints: where package power comes from, the budget in force, and what λ reaches. */
    List<String> startNotes() {
        List<String> out = new ArrayList<>();
        if (controller.powerEstimator() != null) {
            out.add("package power: " + (started.platform().capabilities().has(Signal.PKG_ENERGY_UJ)
                    ? "measured (RAPL); predicted beside it by " : "") + controller.powerEstimator().source());
        }
        out.add(describe());
        if (lambdaNote() != null) {
            out.add(lambdaNote());
        }
        return out;
    }

    /** The budget in force and its balancer, in one line. */
    String describe() {
        if (spec == null) {
            return "no power budget (balancer " + cfg.balancer().key() + " idle until cohort tune budget)";
        }
        return String.format(Locale.ROOT, "power budget %s = %.1f W (%s) held by balancer %s, step %s%s", spec, watts,
                tuned != null ? "cohort tune; cohort tune release budget returns to the configuration's" : "configuration",
                cfg.balancer().key(), Units.formatNanos(cfg.stepNanos()), dryRun && cfg.balancer() == BalancerKind.RAPL
                        ? " (dry run: the power limit is not written)" : "");
    }

    /** Puts {@code s} in force (null: none) through the balancer. */
    private void hold(BudgetSpec s, Source source) {
        if (s == null) {
            stop();
            spec = null;
            watts = Double.NaN;
            publish(null, source);
            return;
        }
        double w = check(s, source == Source.TUNE ? "cohort tune budget" : cfg.where());
        boolean same = balancer != null;
        spec = s;
        watts = w;
        overAtBound = 0;
        resetWindow();
        if (same && balancer instanceof PiBalancer pi) {
            pi.retarget(w); // λ stays where it is
        } else {
            balancer = create(w);
            begun = false;
            if (!(dryRun && balancer.kind() == BalancerKind.RAPL)) {
                balancer.start(started.platform(), controller);
            }
        }
        if (balancer.kind() == BalancerKind.GOVERNOR) {
            controller.setPowerBudgetWatts(w);
        }
        publish(null, source);
    }

    /**
     * The budget in watts, or a one-line refusal naming {@code where}.
     */
    private double check(BudgetSpec s, String where) {
        if (s == null) {
            return Double.NaN;
        }
        double w = s.watts(tdpWatts);
        if (!Double.isNaN(idleWatts) && w < idleWatts) {
            throw new CohortException(String.format(Locale.ROOT, "%s: %s (%.1f W) is below the machine's idle power %.1f W"
                    + " (%s), which no balancer can go under; allowed %.1f W up, or %.0f%%..100%% of the TDP %.1f W", where, s,
                    w, idleWatts, idleSource, idleWatts, Math.ceil(idleWatts / tdpWatts * 100), tdpWatts));
        }
        if (!started.platform().capabilities().has(Signal.PKG_ENERGY_UJ) && controller.powerEstimator() == null) {
            throw new CohortException(where + ": balancer " + cfg.balancer().key() + " needs the package power, and this"
                    + " machine has none (" + started.platform().capabilities().signal(Signal.PKG_ENERGY_UJ).reason()
                    + ") and no cost estimator to stand in for it: set cost_model to a cost model directory (cohort cost"
                    + " train makes one; models/cost ships one)");
        }
        if (cfg.balancer() == BalancerKind.RAPL && !dryRun
                && !started.platform().capabilities().has(dev.cohort.platform.Control.POWER_LIMIT_UW)) {
            throw new CohortException(where + ": balancer rapl needs a writable package power limit (PL1), and this"
                    + " machine has none (" + started.platform().capabilities().control(dev.cohort.platform.Control.POWER_LIMIT_UW).reason()
                    + "); choose balancer: " + BalancerKind.GOVERNOR.key() + " or " + BalancerKind.PI.key());
        }
        return w;
    }

    private Balancer create(double w) {
        return switch (cfg.balancer()) {
            case PI -> PiBalancer.scaled(w, floorLambda, lambdaMax());
            case RAPL -> new RaplBalancer(w, cfg.stepNanos() / 1000, () -> PowerLimitThrottling.now(started, controller));
            case GOVERNOR -> new GovernorBalancer(w);
            // shares the model: a moved budget plans anew from the next window without loading it again
            case MPC -> new MpcBalancer(w, tdpWatts, floorLambda, lambdaMax(), dynamics, MpcOptions.forPower(
                    started.platform().capabilities().has(Signal.PKG_ENERGY_UJ)), (int) stepTicks);
        };
    }

    /** What the start prints about λ ({@link LambdaNote}); null for the balancers that leave λ alone. */
    String lambdaNote() {
        return LambdaNote.of(cfg.balancer(), floorLambda, lambdaMax(), controller.policy());
    }

    private double lambdaMax() {
        return Math.max(floorLambda, cfg.lambdaMax());
    }

    /** Lets go of what the balancer holds: λ back to its floor, the governor without a budget, PL1 as found. */
    private void stop() {
        if (balancer == null) {
            return;
        }
        switch (balancer.kind()) {
            case PI, MPC -> controller.setLambda(floorLambda);
            case GOVERNOR -> controller.setPowerBudgetWatts(Double.NaN);
            case RAPL -> putLimitsBack();
        }
        balancer = null;
    }

    /**
     * Before a reload's budget takes over: lets go of what the next one will not hold itself (PL1, when the next budget
     * is none or held another way; a next {@code rapl} budget writes its own limit).
     */
    private void end(DaemonBudget next, BudgetSpec nextSpec) {
        if (balancer != null && balancer.kind() == BalancerKind.RAPL
                && (next.cfg.balancer() != BalancerKind.RAPL || nextSpec == null)) {
            putLimitsBack();
        }
        balancer = null; // λ and the governor's budget belong to the old controller, which goes
    }

    private void putLimitsBack() {
        if (dryRun || limitsBefore.isEmpty()) {
            return;
        }
        List<String> notes = new ArrayList<>();
        for (SettingResult r : started.platform().apply(new ControlPlan(controller.ticks(), limitsBefore))) {
            notes.add("power limit put back as found: " + Tune.describe(r).replaceAll("\\s+", " "));
        }
        started.journal().event("budget", notes);
    }

    /** After each tick: counts it into the window; at the window's end, hands its mean power to the balancer. */
    Window afterTick(TickRecord r) {
        Window closed = null;
        if (balancer != null && !begun) { // decided before it held anything: it plans from it, windows start after
            begun = true;
            balancer.begin(r, controller);
        } else if (balancer != null) {
            if (Double.isFinite(r.packageWatts())) {
                joules += r.packageWatts() * r.seconds();
                seconds += r.seconds();
            }
            balancer.tick(r, controller);
            binding |= balancer.binding(r, controller);
            if (++ticksInWindow >= stepTicks) {
                double mean = seconds > 0 ? joules / seconds : Double.NaN;
                if (!Double.isNaN(mean)) {
                    boolean over = mean > watts * (1 + 1e-9); // a window exactly at the budget is not over it
                    boolean atBound = over && (balancer.kind() == BalancerKind.PI || balancer.kind() == BalancerKind.MPC)
                            && controller.lambda() - floorLambda >= 0.95 * (lambdaMax() - floorLambda); // pi hovers under it
                    windows++;
                    overWindows += over ? 1 : 0;
                    outOfReach(atBound, mean);
                    long t0 = System.nanoTime();
                    balancer.window(mean, started.platform(), controller);
                    stepNanos = System.nanoTime() - t0;
                    windowWatts = mean;
                    closed = new Window(mean, over, atBound);
                }
                resetWindow();
            }
        }
        publish(r, tuned != null ? Source.TUNE : Source.CONFIG);
        return closed;
    }

    /** Counts windows in a row over the budget near λ's bound, and journals it once when the budget is out of reach. */
    private void outOfReach(boolean atBound, double meanWatts) {
        overAtBound = atBound ? overAtBound + 1 : 0;
        if (overAtBound == dev.cohort.service.status.StatusSnapshot.Budget.OUT_OF_REACH_WINDOWS) {
            started.journal().event("budget", List.of(String.format(Locale.ROOT, "power budget %.1f W out of reach: %d windows"
                    + " in a row over it (the last %.1f W) with λ at or near its bound %s; the policy draws no less here: raise the"
                    + " budget, or lower the work", watts, overAtBound, meanWatts, Units.trim(lambdaMax()))));
        }
    }

    private void resetWindow() {
        ticksInWindow = 0;
        joules = 0;
        seconds = 0;
        binding = false;
    }

    private void publish(TickRecord r, Source source) {
        BudgetView v = view;
        double power = r != null ? r.packageWatts() : v == null ? Double.NaN : v.powerWatts();
        view = new BudgetView(watts, spec == null ? null : spec.toString(), spec == null ? null : source.id(), cfg.balancer().key(),
                cfg.stepNanos() / 1e9, controller.lambda(), cfg.lambdaMax(), power,
                BudgetView.powerSource(r, v == null ? null : v.powerSource()), predicted(),
                windowWatts, windows, overWindows, overAtBound, stepNanos);
    }

    /**
     * The predicted package power: the cost estimator's for the last interval (from the tick before, whether or not RAPL
     * measured it) where it runs; else {@code mpc}'s forecast for the window now running; NaN otherwise.
     */
    private double predicted() {
        if (controller.powerEstimator() != null) {
            return controller.predictedWatts();
        }
        return balancer instanceof MpcBalancer m ? m.forecastWatts() : Double.NaN;
    }

    /** What status and metrics read; safe from any thread. */
    BudgetView view() {
        return view;
    }
}
