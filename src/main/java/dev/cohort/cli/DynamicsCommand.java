package dev.cohort.cli;

import dev.cohort.balance.BudgetLoop;
import dev.cohort.balance.DynamicsConfig;
import dev.cohort.balance.DynamicsModel;
import dev.cohort.balance.DynamicsTraining;
import dev.cohort.balance.ForecastError;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cohort dynamics}: trains and evaluates the MPC balancer's dynamics model. */
@Command(name = "dynamics", mixinStandardHelpOptions = true,
        description = "The MPC balancer's learned dynamics model: how package power answers λ, window by window.",
        subcommands = {DynamicsCommand.Train.class, DynamicsCommand.Evaluate.class, DynamicsCommand.Curve.class})
public final class DynamicsCommand {

    /** {@code cohort dynamics train}. */
    @Command(name = "train", mixinStandardHelpOptions = true,
            description = {"Collects rollouts of a λ-following learned policy on the simulated machine with λ moved at random"
                    + " each window, fits the dynamics model (DJL PyTorch), exports it to ONNX (checked in ONNX Runtime) and"
                    + " prints its forecast error over the horizon beside persistence on seeds training never saw."})
    public static final class Train implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--config", paramLabel = "FILE", defaultValue = "configs/dynamics/default.yaml",
                description = "The configuration (default: ${DEFAULT-VALUE}).")
        Path config;

        @Option(names = "--out", paramLabel = "DIR", defaultValue = "models/dynamics",
                description = "Where dynamics.onnx goes (default: ${DEFAULT-VALUE}).")
        Path out;

        @Option(names = "--cost-model", paramLabel = "DIR", description = "The cost estimator that prices the policy's"
                + " levels (default: the shipped models/cost).")
        Path costModel;

        @Option(names = "--price-scale", paramLabel = "K", description = "κ of the split the policy is priced by in the"
                + " rollouts, recorded in the model; mpc refuses the model at another κ (default: "
                + dev.cohort.balance.PricedPolicy.DEFAULT_PRICE_SCALE_TEXT + ").")
        Double priceScale;

        @Override
        public Integer call() {
            BudgetLoop.Pricing p;
            try {
                p = BudgetLoop.Pricing.of(null, priceScale, null);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            DynamicsConfig cfg = DynamicsConfig.load(config);
            OutputPaths.directory("--out", out);
            if (costModel != null) {
                p = p.withCostModel(costModel);
            }
            var err = spec.commandLine().getErr();
            StopSignals signals = StopSignals.install(err, "dynamics train: ",
                    "stopping at the next rollout or epoch (nothing is written");
            DynamicsTraining.Result r;
            try {
                r = new DynamicsTraining(cfg, p, line -> {
                    err.println(line);
                    err.flush();
                }, signals.flag()::get).run(out);
            } catch (java.util.concurrent.CancellationException e) {
                err.println("dynamics train: " + e.getMessage() + " by " + signals.name() + "; nothing written to " + out);
                err.flush();
                return signals.exitCode();
            }
            var o = spec.commandLine().getOut();
            o.println("wrote " + r.file() + " (" + r.trainWindows() + " training windows, final loss "
                    + String.format(java.util.Locale.ROOT, "%.4f", r.finalLoss()) + ")");
            o.println(r.error().summary());
            o.print(r.error().table());
            if (!r.error().beatsPersistence()) {
                o.println("the model does not beat persistence: do not use it for mpc");
                return 1;
            }
            return 0;
        }
    }

    /** {@code cohort dynamics evaluate}. */
    @Command(name = "evaluate", mixinStandardHelpOptions = true,
            description = "Prints a dynamics model's forecast error over the horizon beside persistence on the configuration's"
                    + " evaluation scenarios and seeds (fresh rollouts).")
    public static final class Evaluate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--model", paramLabel = "DIR", defaultValue = "models/dynamics",
                description = "The model (default: ${DEFAULT-VALUE}).")
        Path model;

        @Option(names = "--config", paramLabel = "FILE", defaultValue = "configs/dynamics/default.yaml",
                description = "Evaluation scenarios, seeds and horizon (default: ${DEFAULT-VALUE}).")
        Path config;

        @Option(names = "--cost-model", paramLabel = "DIR", description = "The cost estimator (default: the shipped models/cost).")
        Path costModel;

        @Override
        public Integer call() {
            DynamicsConfig cfg = DynamicsConfig.load(config);
            BudgetLoop.Pricing p = BudgetLoop.Pricing.DEFAULT;
            if (costModel != null) {
                p = p.withCostModel(costModel);
            }
            try (DynamicsModel m = DynamicsModel.open(model)) {
                var t = new DynamicsTraining(cfg, p, spec.commandLine().getErr()::println);
                ForecastError e = ForecastError.of(m, t.collect(cfg.evalScenarios(), cfg.evalFirstSeed(), cfg.evalSeeds(), 2),
                        cfg.horizon());
                var o = spec.commandLine().getOut();
                o.println(e.summary());
                o.print(e.table());
                return e.beatsPersistence() ? 0 : 1;
            }
        }
    }

    /** {@code cohort dynamics curve}. */
    @Command(name = "curve", mixinStandardHelpOptions = true,
            description = "Runs the learned policy, priced by the cost estimator (MaRCA's split), at each fixed λ and prints"
                    + " its mean power, ticks over the SLO and best-effort work per scenario: a policy follows λ when its"
                    + " power falls as λ rises.")
    public static final class Curve implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--scenarios", split = ",", defaultValue = "colocation,membw,diurnal", paramLabel = "A,B,...",
                description = "Scenarios (default: ${DEFAULT-VALUE}).")
        java.util.List<String> scenarios;

        @Option(names = "--lambdas", split = ",", defaultValue = "0,1,2,4,8,20", paramLabel = "X,Y,...",
                description = "The λ values (default: ${DEFAULT-VALUE}).")
        double[] lambdas;

        @Option(names = "--seeds", defaultValue = "1-3", paramLabel = "A-B", description = "Seeds (default: ${DEFAULT-VALUE}).")
        String seeds;

        @Option(names = "--duration", converter = DurationConverter.class, paramLabel = "TIME",
                description = "Simulated time per run (default: the scenario's own).")
        Long durationNanos;

        @Option(names = "--policy", defaultValue = "learned", description = "The learned policy (default: ${DEFAULT-VALUE}).")
        String policy;

        @Option(names = "--cost-model", paramLabel = "DIR", description = "The cost estimator (default: the shipped models/cost).")
        Path costModel;

        @Option(names = "--price-scale", paramLabel = "K", description = "κ of the split (default: "
                + dev.cohort.balance.PricedPolicy.DEFAULT_PRICE_SCALE_TEXT + ").")
        Double priceScale;

        @Override
        public Integer call() {
            BudgetLoop.Pricing p = BudgetLoop.Pricing.DEFAULT;
            if (costModel != null) {
                p = p.withCostModel(costModel);
            }
            if (priceScale != null) {
                p = p.withPriceScale(priceScale);
            }
            long[] seedList = dev.cohort.eval.Seeds.parse(seeds);
            var out = spec.commandLine().getOut();
            var all = new java.util.ArrayList<dev.cohort.balance.LambdaCurve.Point>();
            for (String name : scenarios) {
                var sc = dev.cohort.platform.sim.Scenarios.resolve(name);
                all.addAll(dev.cohort.balance.LambdaCurve.measure(sc, policy, p, lambdas, seedList,
                        durationNanos == null ? 0 : durationNanos));
            }
            out.print(dev.cohort.balance.LambdaCurve.table(all));
            return 0;
        }
    }
}
