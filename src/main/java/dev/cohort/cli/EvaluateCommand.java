package dev.cohort.cli;

import dev.cohort.balance.BalancerKind;
import dev.cohort.balance.BudgetLoop;
import dev.cohort.balance.BudgetSpec;
import dev.cohort.eval.Evaluation;
import dev.cohort.eval.OutcomeReport;
import dev.cohort.eval.OutcomeSweep;
import dev.cohort.harness.oracle.OracleOptions;
import dev.cohort.eval.Report;
import dev.cohort.eval.Results;
import dev.cohort.eval.Seeds;
import dev.cohort.harness.Shard;
import dev.cohort.eval.ShardFile;
import dev.cohort.eval.SimPolicies;
import dev.cohort.eval.SimRunner;
import dev.cohort.eval.Summary;
import dev.cohort.harness.beststatic.SearchSettings;
import dev.cohort.platform.Readable;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.Scenarios;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cohort evaluate}: every scenario × policy × seed, compared with 95% intervals, tables and plots. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, subcommands = EvaluateMergeCommand.class,
        description = {"Compares policies over scenarios and seeds on the simulated machine.",
                "Runs every scenario under every policy for every seed and writes the comparison: summary.md (mean ± 95%% "
                        + "interval per metric: energy, ticks over the SLO, p99, best-effort work done and energy per unit of it, "
                        + "mean reward, ...), each learned policy's Pareto verdict against each baseline from paired seeds "
                        + "(verdicts.csv/json), the share of the oracle's reward gain when oracle is among the policies "
                        + "(oracle-gain.csv), summary.csv/json, runs.csv and PNG plots. Policies are judged without the "
                        + "governor's SLO override unless --slo-override.",
                "With --shard K/N it runs only the K-th of N disjoint slices of the runs and writes shard-K-of-N.json into --out; "
                        + "'cohort evaluate merge' turns the N shards' files into what one unsharded run writes (docs/fleet.md).",
                "With --power-budgets it runs the outcome simulation instead: one --policy under every budget and every "
                        + "balancer, beside the oracle held to the same budget, and writes outcome.md, outcome.csv, outcome.json, "
                        + "outcome-runs.csv and a plot of Return%% against the budget per scenario (docs/balance.md)."})
public final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--scenarios", split = ",", paramLabel = "A,B,...", description = "Built-in scenario names or YAML files (required).")
    List<String> scenarios;

    @Option(names = "--policies", split = ",", paramLabel = "X,Y,...", description = "Policies to compare (see simulate --help; required).")
    List<String> policies;

    @Option(names = "--seeds", defaultValue = "5", paramLabel = "N|A-B|A,B", description = "Seeds: a count (1..N), a range or a list (default: ${DEFAULT-VALUE}).")
    String seeds;

    @Option(names = "--out", paramLabel = "DIR", description = "Directory for the results (required).")
    Path out;

    @Option(names = "--duration", paramLabel = "TIME", converter = DurationConverter.class, description = "Simulated time per run (default: each scenario's).")
    Long durationNanos;

    @Option(names = "--threads", paramLabel = "N", description = "Runs in parallel (default: the number of CPUs).")
    Integer threads;

    @Option(names = "--slo-override", description = "Judge policies with the governor's SLO override on (as the daemon runs).")
    boolean sloOverride;

    @Option(names = "--no-progress", description = "Do not draw a progress bar.")
    boolean noProgress;

    @Mixin
    OracleMixin oracle;

    @Mixin
    BestStaticOptions bestStatic;

    @Option(names = "--shard", paramLabel = "K/N", description = "Run only slice K of N (0 ≤ K < N; index/N takes K from "
            + "$JOB_COMPLETION_INDEX, as a Kubernetes Indexed Job sets it) and write its runs to shard-K-of-N.json in --out, "
            + "for 'cohort evaluate merge'.")
    String shardText;

    @Option(names = "--oracle-seeds", paramLabel = "SCENARIO=N,...",
            description = "Oracle: run it on only the first N seeds of a scenario, e.g. large=5 (default: every seed).")
    String oracleSeeds;

    @Option(names = "--power-budgets", split = ",", paramLabel = "B,...", description = "The outcome simulation: "
            + "budgets in watts (40W) or percents (70%%) of the mean power --policy draws with no budget on each scenario "
            + "and seed; every balancer and the oracle get the same watts.")
    List<String> powerBudgets;

    @Option(names = "--balancers", split = ",", paramLabel = "X,Y,...", description = "With --power-budgets: the "
            + "balancers to compare (default: every one built).")
    List<String> balancers;

    @Option(names = "--policy", paramLabel = "NAME", description = "With --power-budgets: the one policy every balancer "
            + "runs (see simulate --help; not the oracle, which is the reference).")
    String policy;

    @Option(names = "--balancer-step", paramLabel = "TIME", converter = DurationConverter.class,
            description = "With --power-budgets: the balancers' step and the judging window, a whole number of ticks "
                    + "(default: 1s).")
    Long balancerStepNanos;

    @Option(names = "--lambda-max", paramLabel = "X", description = "With --power-budgets: the highest λ a balancer "
            + "may set (default: 2000).")
    Double lambdaMax;

    @Option(names = "--dynamics-model", paramLabel = "DIR", description = "With --power-budgets: the mpc balancer's "
            + "dynamics model (default: the shipped models/dynamics).")
    Path dynamicsModel;

    @Option(names = "--mpc-margin", paramLabel = "SHARE", description = "With --power-budgets: the mpc balancer tracks"
            + " the budget less this share of it, from below (default: " + dev.cohort.balance.MpcOptions.DEFAULT_MARGIN + "; where RAPL is hidden and the"
            + " balancer sees the cost estimator's power, " + dev.cohort.balance.MpcOptions.ESTIMATE_MARGIN + " more).")
    Double mpcMargin;

    @Option(names = "--price-scale", paramLabel = "K", description = "With --power-budgets: κ of MaRCA's split under mpc"
            + " and pi, the value of one share of TDP held one tick (default: "
            + dev.cohort.balance.PricedPolicy.DEFAULT_PRICE_SCALE_TEXT + ").")
    Double priceScale;

    @Override
    public Integer call() throws Exception {
        if (powerBudgets != null) {
            return outcome();
        }
        if (balancers != null || policy != null || balancerStepNanos != null || lambdaMax != null || dynamicsModel != null
                || priceScale != null || mpcMargin != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--balancers, --policy, --balancer-step,"
                    + " --lambda-max, --dynamics-model, --mpc-margin and --price-scale need --power-budgets");
        }
        requireOptions();
        Shard shard = shardText == null ? Shard.ALL : Shard.parse("--shard", shardText, System.getenv());
        OutputPaths.directory("--out", out);
        List<Scenario> scs = scenarios.stream().map(Scenarios::resolve).toList();
        long[] seedList = Seeds.parse(seeds);
        SimRunner.Options o = SimRunner.Options.defaults().withGovernor(SimRunner.EVALUATION_GOVERNOR.withSloOverride(sloOverride))
                .withOracle(oracle.options().withSeedLimits(OracleOptions.parseSeedLimits(oracleSeeds)));
        if (durationNanos != null) {
            o = o.withDuration(durationNanos);
        }
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        // best-static becomes each scenario's static levels (searched first where none are kept), then a bad policy fails
        // at once, before the runs' progress bar
        SimPolicies resolved = SimPolicies.resolve(scs, policies, bestStatic.finder(SearchSettings.DEFAULT.withGovernor(o.governor()),
                n, spec.commandLine().getErr(), !noProgress));
        Evaluation.checkPolicies(scs, resolved, o.oracle());
        long total = Evaluation.totalTicks(scs, policies, seedList, o, shard);
        long start = System.nanoTime();
        Summary s;
        if (noProgress) {
            s = Evaluation.run(scs, resolved, seedList, o, n, null, shard);
        } else {
            try (ProgressBar bar = ProgressBars.ticks("evaluate", total)) {
                s = Evaluation.run(scs, resolved, seedList, o, n, bar::stepTo, shard);
            }
        }
        var w = spec.commandLine().getOut();
        if (!shard.whole()) {
            ShardFile f = ShardFile.of(scs, resolved, seedList, o, shard, s);
            Path file = f.write(out);
            w.println("shard " + shard + ": " + f.runs().size() + " of " + f.grid().size() + " runs in "
                    + Readable.seconds((System.nanoTime() - start) / 1e9) + ", written to " + file
                    + "; when every shard is done: cohort evaluate merge DIR... --out DIR");
            return 0;
        }
        List<Path> plots = Results.write(s, out);
        w.print(Report.markdown(s));
        w.println("results: " + out.resolve("summary.md") + ", summary.csv, summary.json, runs.csv; plots: " + plots.size() + " PNG files in " + out);
        return 0;
    }

    /** {@code --power-budgets}: the outcome simulation; every option is checked before anything is written. */
    private int outcome() throws Exception {
        var cl = spec.commandLine();
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        OutcomeSweep.Plan plan = outcomePlan(n);
        OutputPaths.directory("--out", out);
        long start = System.nanoTime();
        OutcomeSweep.Result r;
        if (noProgress) {
            r = OutcomeSweep.run(plan, n, null);
        } else {
            try (ProgressBar bar = ProgressBars.ticks("outcome", plan.totalTicks())) {
                r = OutcomeSweep.run(plan, n, bar::stepTo);
            }
        }
        List<Path> plots = OutcomeReport.write(r, out);
        var w = cl.getOut();
        w.print(OutcomeReport.markdown(r));
        w.println("results: " + out.resolve("outcome.md") + ", outcome.csv, outcome.json, outcome-runs.csv; plots: "
                + plots.size() + " PNG files in " + out + "; " + r.runs().size() + " runs in "
                + Readable.seconds((System.nanoTime() - start) / 1e9));
        return 0;
    }

    /** The outcome simulation's plan from the options, refused in one line where they do not make one. */
    private OutcomeSweep.Plan outcomePlan(int n) {
        var cl = spec.commandLine();
        if (shardText != null) {
            throw new picocli.CommandLine.ParameterException(cl, "--power-budgets does not shard: run the outcome"
                    + " simulation whole, without --shard");
        }
        if (policies != null) {
            throw new picocli.CommandLine.ParameterException(cl, "--power-budgets judges one policy: give it with --policy,"
                    + " not --policies");
        }
        requireOptions(policy != null, "'--policy=NAME'", " with --power-budgets");
        OutcomeSweep.Plan plan;
        List<Scenario> scs = scenarios.stream().map(Scenarios::resolve).toList();
        long[] seedList = Seeds.parse(seeds);
        SimRunner.Options o = SimRunner.Options.defaults().withGovernor(SimRunner.EVALUATION_GOVERNOR.withSloOverride(sloOverride))
                .withOracle(oracle.options().withSeedLimits(OracleOptions.parseSeedLimits(oracleSeeds)));
        if (durationNanos != null) {
            o = o.withDuration(durationNanos);
        }
        try {
            List<BudgetSpec> budgets = powerBudgets.stream().map(BudgetSpec::parse).toList();
            List<BalancerKind> kinds = balancers == null ? List.of(BalancerKind.values())
                    : balancers.stream().map(BalancerKind::parse).toList();
            OutcomeSweep.checkPolicy(policy); // before best-static's search or any policy is built
            SimPolicies resolved = SimPolicies.resolve(scs, List.of(policy), bestStatic.finder(
                    SearchSettings.DEFAULT.withGovernor(o.governor()), n, cl.getErr(), !noProgress));
            var pricing = BudgetLoop.Pricing.of(dynamicsModel, priceScale, mpcMargin);
            plan = new OutcomeSweep.Plan(scs, policy, resolved, budgets, kinds, seedList, o,
                    balancerStepNanos == null ? BudgetLoop.DEFAULT_STEP_NANOS : balancerStepNanos,
                    lambdaMax == null ? BudgetLoop.DEFAULT_LAMBDA_MAX : lambdaMax, pricing, List.of());
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(cl, e.getMessage());
        }
        OutcomeSweep.check(plan);
        if (balancers == null) {
            // every balancer built joins; one that cannot start here (a model not shipped yet) is left out, with a note
            plan = plan.withoutUnusable();
        } else {
            var why = OutcomeSweep.unusable(plan).entrySet().stream().findFirst();
            if (why.isPresent()) {
                throw new dev.cohort.platform.CohortException("--balancers " + why.get().getKey().key() + ": "
                        + why.get().getValue());
            }
        }
        return plan;
    }

    /**
     * {@code --scenarios}, {@code --policies} and {@code --out} are required of a run, not of {@code evaluate merge}: picocli
     * would demand a parent's required options before its subcommand, so they are checked here, as picocli words it.
     */
    private void requireOptions() {
        requireOptions(policies != null, "'--policies=X,Y,...'", "");
    }

    /** Refuses, as picocli words it, a run missing --scenarios, the policy option ({@code policyOption}) or --out. */
    private void requireOptions(boolean havePolicy, String policyOption, String context) {
        List<String> missing = new java.util.ArrayList<>();
        if (scenarios == null) {
            missing.add("'--scenarios=A,B,...'");
        }
        if (!havePolicy) {
            missing.add(policyOption);
        }
        if (out == null) {
            missing.add("'--out=DIR'");
        }
        if (!missing.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required option"
                    + (missing.size() > 1 ? "s" : "") + context + ": " + String.join(", ", missing));
        }
    }
}
