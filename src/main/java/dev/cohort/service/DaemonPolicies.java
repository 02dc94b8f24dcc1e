package dev.cohort.service;

import dev.cohort.control.AgentLayout;
import dev.cohort.control.Controller;
import dev.cohort.control.Journal;
import dev.cohort.platform.CohortException;
import dev.cohort.platform.Topology;
import dev.cohort.policy.ActionSpace;
import dev.cohort.policy.Policies;
import dev.cohort.policy.Policy;
import dev.cohort.policy.Role;
import dev.cohort.balance.PricedPolicy;
import dev.cohort.policy.OnnxPolicy;
import dev.cohort.policy.baseline.CompositePolicy;
import dev.cohort.service.config.DaemonConfig;
import dev.cohort.service.config.Units;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The policies and the control tick the configuration asks for, and SIGHUP: a new configuration builds a new
 * {@link Controller} on the same platform, so the keeper (and every saved original) and the manual overrides stay
 * as they are: the knobs are never let go. Options that shape the host (backend, root, cgroups, paths, the
 * metrics endpoint, dry run) need a restart; a reload that changes them says so and keeps the running values.
 */
final class DaemonPolicies {
    private DaemonPolicies() {
    }

    /** The policy per role as one composite policy; errors name where the policy was configured. */
    static Policy policy(DaemonConfig cfg, Topology t, AgentLayout layout) {
        Map<Role, ActionSpace> actions = new EnumMap<>(Role.class);
        for (Role r : Role.values()) {
            actions.put(r, layout.actions(r));
        }
        Map<Role, Policy> byRole = new EnumMap<>(Role.class);
        Map<String, Policy> byName = new java.util.HashMap<>(); // one model load for roles that name the same policy
        long tickMillis = cfg.periodNanos() / 1_000_000;
        for (Role r : Role.values()) {
            String spec = cfg.policies().get(r);
            try {
                Policy p = byName.computeIfAbsent(spec, s -> Policies.create(s, t, actions));
                byRole.put(r, p);
                var why = p.tickDifference(tickMillis);
                if (why.isPresent()) {
                    byName.values().forEach(Policy::close);
                    throw new CohortException(why.get());
                }
            } catch (CohortException e) {
                throw new CohortException(cfg.policyLines().get(r) + ": " + e.getMessage(), e);
            }
        }
        return new CompositePolicy(byRole);
    }

    static Controller controller(DaemonConfig cfg, Backend backend, DaemonPlatform platform, Journal journal) {
        Topology t = platform.topology();
        var cc = backend.controller(cfg.controller());
        AgentLayout layout = new AgentLayout(t, platform.capabilities(), cc);
        Policy p = priced(cfg, policy(cfg, t, layout), layout, cc);
        Policy fallback = Policies.create(cfg.fallback(), t);
        Controller c = new Controller(platform, cc, p, fallback, journal, cfg.dryRun());
        c.knobs().update(platform.overrides());
        try {
            c.setPowerEstimator(estimator(cfg, platform, c, cc.tdpWatts()));
        } catch (CohortException e) {
            p.close();
            throw e;
        }
        return c;
    }

    /**
     * The cost estimator the controller predicts package power with, standing in for RAPL where the host has none: the
     * configured {@code cost_model} on any host; unset, the shipped one where the host has no RAPL and it is there
     * (as {@code simulate} does); else none.
     *
     * @throws CohortException one line naming {@code cost_model}: a missing model that was asked for, or one whose
     *                         contract this build or host does not match
     */
    static dev.cohort.balance.cost.CostModel estimator(DaemonConfig cfg, DaemonPlatform platform, Controller c, double tdpWatts) {
        DaemonConfig.Budget b = cfg.budget();
        boolean rapl = platform.capabilities().has(dev.cohort.platform.Signal.PKG_ENERGY_UJ);
        boolean shipped = java.nio.file.Files.isRegularFile(b.costModel().resolve(dev.cohort.balance.cost.CostModel.FILE));
        if (!b.costModelSet() && (rapl || !shipped)) {
            return null;
        }
        try {
            return dev.cohort.balance.cost.CostModel.load(b.costModel()).bind(c.layout(), tdpWatts);
        } catch (CohortException | IllegalArgumentException e) {
            throw new CohortException("cost_model " + b.costModel() + ": " + e.getMessage());
        }
    }

    /**
     * With a balancer that moves λ ({@code pi}, {@code mpc}) and one learned policy for every role: that policy priced
     * by the cost estimator ({@link PricedPolicy}, as {@code simulate} runs it), so that λ reaches its decisions; its
     * own cost model instance, closed with it. Otherwise {@code p} as it is (a baseline ignores λ: the start says so).
     *
     * @throws CohortException one line naming {@code cost_model} when the model it needs is missing or mismatched
     */
    static Policy priced(DaemonConfig cfg, Policy p, AgentLayout layout, dev.cohort.control.ControllerConfig cc) {
        var kind = cfg.budget().balancer();
        if (kind != dev.cohort.balance.BalancerKind.PI && kind != dev.cohort.balance.BalancerKind.MPC
                || !(p instanceof CompositePolicy composite) || !(composite.single() instanceof OnnxPolicy learned)) {
            return p;
        }
        try {
            var cost = dev.cohort.balance.cost.CostModel.load(cfg.budget().costModel()).bind(layout, cc.tdpWatts());
            return new PricedPolicy(learned, cost, cc.lambda(), PricedPolicy.DEFAULT_PRICE_SCALE, cc.tdpWatts(),
                    cfg.budget().lambdaMax(), layout.coreServiceGroups());
        } catch (CohortException | IllegalArgumentException e) {
            p.close();
            throw new CohortException("cost_model " + cfg.budget().costModel() + " (to price policy " + learned.name()
                    + " for balancer " + kind.key() + "): " + e.getMessage());
        }
    }

    /** Closes the controller's cost estimator, if any (a reload or the stop). */
    static void closeEstimator(Controller c) {
        if (c.powerEstimator() instanceof AutoCloseable a) {
            try {
                a.close();
            } catch (Exception e) {
                // a model's runtime session: nothing to do about a failed close
            }
        }
    }

    /** Reloads on the loop thread; a bad configuration keeps the running one and says why. */
    static void reload(Daemon d) {
        d.opts.sd().reloading();
        List<String> notes = new ArrayList<>();
        try {
            DaemonConfig cfg = d.state().cfg();
            if (cfg.source().equals("built-in defaults") && d.opts.configFile() == null
                    && !java.nio.file.Files.exists(DaemonConfig.DEFAULT_FILE)) {
                notes.add("reload: no configuration file (running on built-in defaults); nothing to reload");
            } else {
                DaemonConfig next = DaemonConfig.load(d.opts.configFile()).with(d.opts.backend(), d.opts.dryRun());
                notes.addAll(restartOnly(cfg, next));
                Started st = d.started();
                if (!st.backend().durable() && next.periodNanos() != cfg.periodNanos()) {
                    // the simulated machine steps in whole internal steps; its period is checked at start only
                    notes.add("reload: period changed; on the simulated machine that takes a restart, the running value stays");
                    next = next.withPeriod(cfg.periodNanos());
                }
                DaemonConfig merged = keepRestartOnly(cfg, next);
                Controller old = d.state().controller();
                Controller fresh = controller(merged, st.backend(), st.platform(), st.journal());
                DaemonBudget budget;
                try {
                    budget = DaemonBudget.reload(merged, st, fresh, d.state().budget());
                } catch (CohortException e) {
                    fresh.policy().close();
                    closeEstimator(fresh);
                    throw e;
                }
                d.swap(new Running(merged, fresh, budget));
                old.policy().close();
                closeEstimator(old);
                notes.add(budget.describe());
                notes.add("reloaded " + merged.source() + ": policy " + fresh.policy().name() + ", period "
                        + Units.formatNanos(merged.periodNanos()) + ", restore_on_exit " + merged.restore().id()
                        + "; knobs and " + st.platform().overrides().size() + " manual override(s) kept");
            }
        } catch (CohortException e) {
            notes.add("reload failed, the running configuration stays: " + e.getMessage());
        }
        d.started().journal().event("reload", notes);
        for (String n : notes) {
            d.opts.err().println("cohort: " + n);
        }
        d.opts.sd().ready(d.summary());
    }

    private static List<String> restartOnly(DaemonConfig a, DaemonConfig b) {
        List<String> out = new ArrayList<>();
        check(out, "backend", a.backend(), b.backend());
        check(out, "dry_run", a.dryRun(), b.dryRun());
        check(out, "host", a.host(), b.host());
        check(out, "sim", a.sim(), b.sim());
        check(out, "cgroups", a.cgroups(), b.cgroups());
        check(out, "paths.state_dir", a.stateDir(), b.stateDir());
        check(out, "paths.status_socket", a.socket(), b.socket());
        check(out, "paths.journal", a.journal(), b.journal());
        check(out, "journal", journalKeys(a), journalKeys(b));
        check(out, "metrics", a.metrics(), b.metrics());
        return out;
    }

    private static String journalKeys(DaemonConfig c) {
        return c.journalMaxBytes() + "/" + c.journalKeep() + "/" + c.journalMaxTotalBytes() + "/" + c.journalObservations();
    }

    private static void check(List<String> out, String what, Object a, Object b) {
        if (!Objects.equals(a, b)) {
            out.add("reload: " + what + " changed; that takes a restart (systemctl restart cohort), the running value stays");
        }
    }

    private static DaemonConfig keepRestartOnly(DaemonConfig run, DaemonConfig next) {
        // a reload takes the policies, the controller's settings, the period and restore_on_exit; the rest needs a restart
        var r = new DaemonConfig.Run(next.periodNanos(), run.backend(), run.dryRun(), next.restore());
        return new DaemonConfig(next.source(), r, run.paths(), run.journalFiles(), run.host(), run.sim(), next.policy(),
                next.controller(), run.cgroups(), run.metrics(), next.budget());
    }
}
