package dev.cohort.eval;

import dev.cohort.harness.oracle.OraclePolicy;
import dev.cohort.harness.oracle.OracleOptions;
import dev.cohort.balance.BalancerKind;
import dev.cohort.balance.BudgetLoop;
import dev.cohort.balance.BudgetSpec;
import dev.cohort.balance.BudgetWindows;
import dev.cohort.control.ControllerConfig;
import dev.cohort.control.Journal;
import dev.cohort.control.TickRecord;
import dev.cohort.harness.SimHarness;
import dev.cohort.platform.CohortException;
import dev.cohort.platform.TelemetryInterval;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.SimMachine;
import dev.cohort.policy.Policy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * The outcome simulation ({@code evaluate --power-budgets}; MaRCA's revenue simulation): one policy, on every scenario
 * and seed, under every budget and every balancer, beside the hindsight oracle held to the same budget. First the
 * policy runs once with no budget per scenario and seed: a percent budget is of that run's mean power, and every rival
 * and the oracle then get the same budget in watts (as {@code simulate --power-budget} computes it). Each balancer
 * runs the policy through {@link SimRunner} with its {@link BudgetLoop}; the oracle runs without a balancer, holding
 * the budget in its own search ({@link OraclePolicy}), with the policy's decision among its candidates, and is judged
 * by the same one-second windows ({@link BudgetWindows}, on the model's true energy). Runs are independent and
 * deterministic for their seed, so they go in parallel.
 */
public final class OutcomeSweep {
    private OutcomeSweep() {
    }

    /**
     * What to sweep.
     *
     * @param scenarios   loaded scenarios
     * @param policy      the policy as named (its runs are reported under this name)
     * @param resolved    the policy resolved per scenario ({@link SimPolicies}, for {@code best-static})
     * @param budgets     the budgets, in the order given
     * @param balancers   the balancers, in the order given
     * @param seeds       simulator seeds; the oracle runs on the first {@link OracleOptions#seedsFor} of them
     * @param options     duration, governor and the oracle's search (no budget: each run gets its own)
     * @param stepNanos   the balancers' step and the judging window
     * @param lambdaMax   the highest λ a balancer may set
     * @param pricing     the models and price the balancers that move λ need ({@code mpc}, {@code pi})
     * @param notes       lines the report prints under the tables (e.g. a balancer left out, and why)
     */
    public record Plan(List<Scenario> scenarios, String policy, SimPolicies resolved, List<BudgetSpec> budgets,
                       List<BalancerKind> balancers, long[] seeds, SimRunner.Options options, long stepNanos,
                       double lambdaMax, BudgetLoop.Pricing pricing, List<String> notes) {
        /** With the shipped models and default price, no notes. */
        public Plan(List<Scenario> scenarios, String policy, SimPolicies resolved, List<BudgetSpec> budgets,
                    List<BalancerKind> balancers, long[] seeds, SimRunner.Options options, long stepNanos, double lambdaMax) {
            this(scenarios, policy, resolved, budgets, balancers, seeds, options, stepNanos, lambdaMax,
                    BudgetLoop.Pricing.DEFAULT, List.of());
        }

        public Plan {
            scenarios = List.copyOf(scenarios);
            budgets = List.copyOf(budgets);
            balancers = List.copyOf(balancers);
            notes = List.copyOf(notes);
            if (budgets.isEmpty() || balancers.isEmpty() || seeds.length == 0) {
                throw new IllegalArgumentException("an outcome simulation needs a budget, a balancer and a seed");
            }
            if (budgets.stream().map(Object::toString).distinct().count() < budgets.size()) {
                throw new IllegalArgumentException("--power-budgets names a budget twice: " + budgets);
            }
            if (balancers.stream().distinct().count() < balancers.size()) {
                throw new IllegalArgumentException("--balancers names a balancer twice: " + balancers.stream()
                        .map(BalancerKind::key).toList());
            }
            checkPolicy(policy);
            options = options.withBudget(null).withTimeline(false).withJournal(Journal.NONE).withProgress(null);
        }

        /** The judge's and balancers' options for {@code budget} watts and {@code kind}. */
        BudgetLoop.Options budget(double watts, BalancerKind kind) {
            return new BudgetLoop.Options(new BudgetSpec.Watts(watts), kind, stepNanos, lambdaMax, pricing);
        }

        /**
         * This plan without the balancers that cannot start here ({@link #unusable}), each named in a note; the plan
         * itself when all can.
         */
        public Plan withoutUnusable() {
            Map<BalancerKind, String> why = unusable(this);
            if (why.isEmpty()) {
                return this;
            }
            List<String> n = new ArrayList<>(notes);
            why.forEach((k, reason) -> n.add("Balancer " + k.key() + " is left out: " + reason));
            List<BalancerKind> kept = balancers.stream().filter(k -> !why.containsKey(k)).toList();
            if (kept.isEmpty()) {
                throw new CohortException("no balancer can run: " + String.join("; ", n));
            }
            return new Plan(scenarios, policy, resolved, budgets, kept, seeds, options, stepNanos, lambdaMax, pricing, n);
        }

        /** Why this cannot run on {@code sc} (a step that is no whole number of its ticks), or null. */
        String refuse(Scenario sc) {
            return budget(1, balancers.getFirst()).refuse(sc.tickNanos());
        }

        /**
         * The oracle's search on {@code sc}: the policy's own decision is one of its candidates, and so is that decision
         * with the cores capped at each level (what the {@code rapl} rival's power limit does to it).
         */
        OracleOptions oracleOn(Scenario sc) {
            OracleOptions o = resolved.oracleOn(sc, options.oracle());
            String spec = resolved.spec(sc, policy);
            if (!o.policies().contains(spec)) {
                List<String> with = new ArrayList<>(o.policies());
                with.add(spec);
                o = o.withPolicies(with);
            }
            return o.withThrottled(spec);
        }

        /** Ticks every run of the sweep takes together: the unconstrained runs, the rivals' and the oracle's. */
        public long totalTicks() {
            long total = 0;
            for (Scenario sc : scenarios) {
                long t = SimRunner.ticks(sc, options);
                int oracleSeeds = options.oracle().seedsFor(sc.name(), seeds.length);
                total += t * seeds.length * (1 + (long) budgets.size() * balancers.size()) + t * oracleSeeds * budgets.size();
            }
            return total;
        }
    }

    /** Every run of the sweep and the reference power of each scenario and seed. */
    public record Result(Plan plan, List<OutcomeRun> runs, List<RunResult> unconstrained) {
    }

    /**
     * The balancers of {@code plan} that cannot start on its first scenario and seed, with the one-line reason each
     * gives (a missing model, a policy that cannot follow λ): each is tried for one tick under a budget of the
     * machine's peak power.
     */
    public static Map<BalancerKind, String> unusable(Plan plan) {
        Map<BalancerKind, String> out = new LinkedHashMap<>();
        Scenario sc = plan.scenarios().getFirst();
        long seed = plan.seeds()[0];
        double peak = SimHarness.machine(sc, seed).peakPackageWatts();
        for (BalancerKind k : plan.balancers()) {
            try {
                SimRunner.run(sc, plan.resolved().spec(sc, plan.policy()), seed, plan.options()
                        .withDuration(sc.tickNanos()).withBudget(plan.budget(peak, k)));
            } catch (CohortException e) {
                out.put(k, e.getMessage());
            }
        }
        return out;
    }

    /**
     * @throws IllegalArgumentException when {@code policy} is the oracle, the sweep's reference
     */
    public static void checkPolicy(String policy) {
        if (SimPolicies.isOracle(policy)) {
            throw new IllegalArgumentException("--policy oracle: the oracle is the outcome simulation's reference, held to"
                    + " each budget itself; name the policy to judge (e.g. learned)");
        }
    }

    /**
     * Everything that can be refused before a run: a balancer step that is no whole number of a scenario's ticks, an
     * oracle seed limit for a scenario not in the sweep, a policy (or one of the oracle's candidates) that cannot be
     * built for a scenario's machine.
     *
     * @throws CohortException with the one-line reason
     */
    public static void check(Plan plan) {
        plan.options().oracle().checkSeedLimits(plan.scenarios().stream().map(Scenario::name).toList());
        for (Scenario sc : plan.scenarios()) {
            String why = plan.refuse(sc);
            if (why != null) {
                throw new CohortException("scenario " + sc.name() + ": " + why);
            }
            SimPolicies.check(plan.resolved().spec(sc, plan.policy()), sc, plan.options().oracle());
            SimPolicies.check(OraclePolicy.NAME, sc, plan.oracleOn(sc));
        }
    }

    /**
     * Runs the sweep ({@link #check}ed first).
     *
     * @param threads  parallel runs
     * @param progress called with the total ticks done so far across all runs (may be null)
     * @throws CohortException when a budget cannot be held
     */
    public static Result run(Plan plan, int threads, LongConsumer progress) {
        check(plan);
        AtomicLong done = new AtomicLong();
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads))) {
            // first the policy with no budget: what each percent is of
            List<Future<RunResult>> free = new ArrayList<>();
            for (Scenario sc : plan.scenarios()) {
                for (long seed : plan.seeds()) {
                    SimRunner.Options o = plan.options().withProgress(counter(done, progress));
                    free.add(pool.submit(() -> SimRunner.run(sc, plan.resolved().spec(sc, plan.policy()), seed, o)
                            .withPolicy(plan.policy())));
                }
            }
            List<RunResult> unconstrained = new ArrayList<>();
            for (Future<RunResult> f : free) {
                unconstrained.add(get(f));
            }
            // then every budget: the oracle's runs first, as they are the longest
            List<Callable<OutcomeRun>> oracle = new ArrayList<>();
            List<Callable<OutcomeRun>> rivals = new ArrayList<>();
            int i = 0;
            for (Scenario sc : plan.scenarios()) {
                int oracleSeeds = plan.options().oracle().seedsFor(sc.name(), plan.seeds().length);
                for (int s = 0; s < plan.seeds().length; s++, i++) {
                    long seed = plan.seeds()[s];
                    double reference = unconstrained.get(i).metrics().meanPowerWatts();
                    for (BudgetSpec b : plan.budgets()) {
                        double watts = b.watts(reference);
                        if (!(watts > 0)) {
                            throw new CohortException("power budget " + b + " of " + reference + " W is no power to hold"
                                    + " (the machine measures none without RAPL)");
                        }
                        for (BalancerKind k : plan.balancers()) {
                            LongConsumer c = counter(done, progress);
                            rivals.add(() -> rival(plan, sc, seed, b, reference, watts, k, c));
                        }
                        if (s < oracleSeeds) {
                            LongConsumer c = counter(done, progress);
                            oracle.add(() -> oracle(plan, sc, seed, b, reference, watts, c));
                        }
                    }
                }
            }
            List<Future<OutcomeRun>> oracleRuns = oracle.stream().map(pool::submit).toList();
            List<Future<OutcomeRun>> rivalRuns = rivals.stream().map(pool::submit).toList();
            List<OutcomeRun> runs = new ArrayList<>();
            for (Future<OutcomeRun> f : rivalRuns) {
                runs.add(get(f));
            }
            for (Future<OutcomeRun> f : oracleRuns) {
                runs.add(get(f));
            }
            return new Result(plan, runs, unconstrained);
        }
    }

    /** The policy under balancer {@code kind}, holding {@code watts}. */
    private static OutcomeRun rival(Plan plan, Scenario sc, long seed, BudgetSpec b, double reference, double watts,
                                    BalancerKind kind, LongConsumer progress) {
        RunResult r = SimRunner.run(sc, plan.resolved().spec(sc, plan.policy()), seed,
                plan.options().withBudget(plan.budget(watts, kind)).withProgress(progress));
        return new OutcomeRun(sc.name(), b.toString(), reference, kind.key(), seed, r.metrics(), r.budget());
    }

    /**
     * The oracle holding {@code watts} itself, judged like a balancer: the budget binds in a tick when it changed the
     * oracle's choice ({@link OraclePolicy#boundLastTick}).
     */
    private static OutcomeRun oracle(Plan plan, Scenario sc, long seed, BudgetSpec b, double reference, double watts,
                                     LongConsumer progress) {
        long ticks = SimRunner.ticks(sc, plan.options());
        var ho = new SimHarness.Options(ControllerConfig.DEFAULT, plan.options().governor(), Journal.NONE);
        try (SimHarness h = openOracle(plan, sc, seed, ho, watts)) {
            OraclePolicy oracle = (OraclePolicy) h.controller().policy();
            BudgetWindows judge = new BudgetWindows(watts, plan.stepNanos() / 1e9);
            SimMachine m = h.machine();
            double last = m.trueEnergyJoules();
            List<TickRecord> records = new ArrayList<>((int) Math.min(ticks, 1 << 20));
            for (long t = 0; t < ticks; t++) {
                TickRecord r = h.step();
                double now = m.trueEnergyJoules();
                if (BudgetLoop.judgesTick(t)) {
                    judge.add(now - last, r.seconds(), oracle.boundLastTick(), h.controller().lambda());
                }
                last = now;
                records.add(r);
                progress.accept(t + 1);
            }
            RunMetrics metrics = RunMetrics.of(TelemetryInterval.between(h.first(), m.sample()), m.topology(), records,
                    m::nominalInstructionsPerSec);
            return new OutcomeRun(sc.name(), b.toString(), reference, OraclePolicy.NAME, seed, metrics,
                    judge.figures(OraclePolicy.NAME));
        }
    }

    /**
     * The oracle's run holding {@code watts}, as {@link SimPolicies#open} builds it, with the policy priced at a few
     * λ among its lock-step candidates when a rival moves λ ({@link PricedAt}): what {@code pi} and {@code mpc} would
     * decide at those prices.
     */
    private static SimHarness openOracle(Plan plan, Scenario sc, long seed, SimHarness.Options ho, double watts) {
        OracleOptions oo = plan.oracleOn(sc).withBudget(watts);
        SimMachine machine = SimHarness.machine(sc, seed);
        List<Policy> lockStep = new ArrayList<>();
        try {
            for (String p : oo.policies()) {
                lockStep.add(SimPolicies.candidate(p, machine.topology()));
            }
            String spec = plan.resolved().spec(sc, plan.policy());
            boolean moved = plan.balancers().stream().anyMatch(k -> plan.budget(watts, k).movesLambda());
            if (moved && SimPolicies.isLearned(spec)) {
                lockStep.addAll(PricedAt.of(spec, machine, ho.base(), plan.pricing(), plan.lambdaMax()));
            }
        } catch (RuntimeException e) {
            lockStep.forEach(Policy::close);
            throw e;
        }
        OraclePolicy p = new OraclePolicy(sc, ho, oo, lockStep);
        SimHarness h = SimHarness.openOwning(sc, seed, p, ho);
        p.attach(h);
        return h;
    }

    /** A run's progress callback (ticks done in that run) adding to the sweep's total. */
    private static LongConsumer counter(AtomicLong done, LongConsumer progress) {
        long[] last = {0};
        return t -> {
            long d = done.addAndGet(t - last[0]);
            last[0] = t;
            if (progress != null) {
                progress.accept(d);
            }
        };
    }

    private static <T> T get(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CohortException("outcome simulation interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CohortException ce) {
                throw ce;
            }
            throw new IllegalStateException("a run failed: " + e.getCause(), e.getCause());
        }
    }
}
