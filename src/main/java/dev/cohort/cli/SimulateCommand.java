package dev.cohort.cli;

import dev.cohort.control.Journal;
import dev.cohort.control.JsonLinesJournal;
import dev.cohort.eval.RunReport;
import dev.cohort.eval.RunResult;
import dev.cohort.eval.SimPolicies;
import dev.cohort.eval.SimRunner;
import dev.cohort.harness.beststatic.SearchSettings;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.Scenarios;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cohort simulate}: one scenario, one policy, on the simulated machine. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Runs one scenario on the simulated machine under one policy and prints its results.",
                "The run takes the same control tick as the daemon; it prints energy, power, latency against the SLO, "
                        + "best-effort throughput and fairness, utilisation, energy-delay product and mean reward."})
public final class SimulateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--scenario", required = true, paramLabel = "NAME|FILE",
            description = "A built-in scenario (steady, colocation, membw, diurnal, trace, large) or a scenario YAML file.")
    String scenario;

    @Option(names = "--policy", required = true, paramLabel = "NAME",
            description = "performance, powersave, ondemand, schedutil, static[:core=F,memory=F,quota=F], slo-guard, learned or onnx:DIR; "
                    + "best-static: the best static levels for the scenario (searched on training seeds when not kept; see cohort best-static); "
                    + "headroom: a reference rule fitted to the simulator (see docs/results/frontier); oracle: the hindsight "
                    + "oracle, which tries candidate actions on copies of the simulator's state each tick (see --oracle-*).")
    String policy;

    @Mixin
    OracleMixin oracle;

    @Mixin
    BestStaticOptions bestStatic;

    @Option(names = "--duration", paramLabel = "TIME", converter = DurationConverter.class,
            description = "Simulated time to run, e.g. 10m (default: the scenario's).")
    Long durationNanos;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "Simulator seed, a whole number (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--timeline", paramLabel = "FILE", description = "Write per-tick power, latency and reward as CSV.")
    Path timeline;

    @Option(names = "--journal", paramLabel = "FILE", description = "Write every tick's decisions as JSON Lines.")
    Path journal;

    @Option(names = "--slo-override", description = "Let the safety governor override the policy when a service breaches its SLO (the daemon's default; off when comparing policies).")
    boolean sloOverride;

    @Option(names = "--json", description = "Print the metrics as JSON.")
    boolean json;

    @Option(names = "--journal-observations", description = "With --journal: each tick line also carries the agents' "
            + "observations, per-package power and the layout's facts, what cohort cost train --journal trains from.")
    boolean journalObservations;

    @Option(names = "--cost-model", paramLabel = "DIR", description = "The cost (power) estimator: predicts power every tick "
            + "and stands in for RAPL where the scenario hides it (machine.rapl.present: false), so a budget can be held "
            + "there (default: models/cost when RAPL is hidden).")
    Path costModel;

    @Option(names = "--power-budget", paramLabel = "W|P%", description = "Hold a package power budget: watts (120W) or a"
            + " percent (80%%) of the mean power the same policy draws with no budget on this scenario and seed.")
    String powerBudget;

    @Option(names = "--balancer", paramLabel = "NAME", defaultValue = "rapl", description = "What holds the budget: "
            + "rapl (the power limit PL1), mpc (model-predictive control of λ, MaRCA's balancer), pi (a PI controller on λ)"
            + " or governor (the safety governor's clamp) (default: ${DEFAULT-VALUE}). Under mpc and pi a learned policy"
            + " follows λ by MaRCA's split of value and cost.")
    String balancer;

    @Option(names = "--balancer-step", paramLabel = "TIME", converter = DurationConverter.class,
            description = "The balancer's step and the budget's judging window, a whole number of ticks (default: 1s).")
    Long balancerStepNanos;

    @Option(names = "--lambda-max", paramLabel = "X", description = "The highest λ the mpc and pi balancers may set (default: 2000).")
    Double lambdaMax;

    @Option(names = "--dynamics-model", paramLabel = "DIR", description = "The mpc balancer's dynamics model (default: the"
            + " shipped models/dynamics).")
    java.nio.file.Path dynamicsModel;

    @Option(names = "--mpc-margin", paramLabel = "SHARE", description = "The mpc balancer tracks the budget less this"
            + " share of it, from below (default: " + dev.cohort.balance.MpcOptions.DEFAULT_MARGIN + "; where RAPL is hidden and the"
            + " balancer sees the cost estimator's power, " + dev.cohort.balance.MpcOptions.ESTIMATE_MARGIN + " more).")
    Double mpcMargin;

    @Option(names = "--price-scale", paramLabel = "K", description = "κ of MaRCA's split under mpc and pi: the value (in"
            + " the learned policy's Q units) of one share of TDP held one tick (default: " + dev.cohort.balance.PricedPolicy.DEFAULT_PRICE_SCALE_TEXT + ").")
    Double priceScale;

    @Override
    public Integer call() throws Exception {
        if (timeline != null) {
            OutputPaths.file("--timeline", timeline);
        }
        if (journal != null) {
            OutputPaths.file("--journal", journal);
        }
        Scenario sc = Scenarios.resolve(scenario);
        var topo = new dev.cohort.platform.sim.SimMachine(sc, seed).topology();
        SimRunner.Options o = SimRunner.Options.defaults().withGovernor(SimRunner.EVALUATION_GOVERNOR.withSloOverride(sloOverride))
                .withOracle(oracle.options());
        if (durationNanos != null) {
            o = o.withDuration(durationNanos);
        }
        if (costModel != null) {
            o = o.withCostModel(costModel);
        }
        if (powerBudget != null) {
            o = o.withBudget(budgetOptions());
        } else if (balancerStepNanos != null || lambdaMax != null || dynamicsModel != null || priceScale != null
                || mpcMargin != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--balancer-step, --lambda-max, --dynamics-model, --mpc-margin and --price-scale need --power-budget");
        }
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        SimPolicies resolved = SimPolicies.resolve(List.of(sc), List.of(policy), bestStatic.finder(
                SearchSettings.DEFAULT.withGovernor(o.governor()), Runtime.getRuntime().availableProcessors(), err, true));
        if (journalObservations && journal == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--journal-observations needs --journal FILE");
        }
        try (Journal j = journal == null ? Journal.NONE : journalObservations
                ? new JsonLinesJournal(journal, Long.MAX_VALUE, 0, topo).recordingObservations()
                : new JsonLinesJournal(journal, Long.MAX_VALUE, 0, topo)) {
            RunResult r = SimRunner.run(sc, resolved.spec(sc, policy), seed, o.withOracle(resolved.oracleOn(sc, o.oracle()))
                    .withJournal(j)).withPolicy(policy);
            if (timeline != null) {
                r.timeline().writeCsv(timeline);
            }
            if (json) {
                out.println(RunReport.json(r));
            } else {
                out.print(RunReport.text(r, topo));
            }
            // with --json, stdout stays one JSON document
            resolved.notes().forEach(json ? err::println : out::println);
        }
        return 0;
    }

    private dev.cohort.balance.BudgetLoop.Options budgetOptions() {
        try {
            var b = dev.cohort.balance.BudgetSpec.parse(powerBudget);
            var k = dev.cohort.balance.BalancerKind.parse(balancer);
            var pricing = dev.cohort.balance.BudgetLoop.Pricing.of(dynamicsModel, priceScale, mpcMargin);
            return new dev.cohort.balance.BudgetLoop.Options(b, k,
                    balancerStepNanos == null ? dev.cohort.balance.BudgetLoop.DEFAULT_STEP_NANOS : balancerStepNanos,
                    lambdaMax == null ? dev.cohort.balance.BudgetLoop.DEFAULT_LAMBDA_MAX : lambdaMax, pricing);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
