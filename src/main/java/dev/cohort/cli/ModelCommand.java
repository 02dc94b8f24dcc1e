package dev.cohort.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.control.ControllerConfig;
import dev.cohort.harness.LevelGap;
import dev.cohort.harness.LevelValues;
import dev.cohort.harness.SimHarness;
import dev.cohort.platform.CohortException;
import dev.cohort.platform.sim.Scenarios;
import dev.cohort.policy.ActionSpace;
import dev.cohort.policy.ModelContract;
import dev.cohort.policy.ObservationSpec;
import dev.cohort.policy.OnnxRoleModel;
import dev.cohort.policy.Policies;
import dev.cohort.policy.Role;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cohort model}: learned-policy files. */
@Command(name = "model", mixinStandardHelpOptions = true, description = "Inspect learned-policy (ONNX) files (their latency: bench onnx).",
        subcommands = {ModelCommand.Inspect.class, ModelCommand.Values.class, ModelCommand.Gap.class,
                ModelCommand.Spread.class})
final class ModelCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code cohort model inspect FILE}: prints the contract and checks it against this build. */
    @Command(name = "inspect", mixinStandardHelpOptions = true, description = {"Print a model file's contract and check it against this build's observation "
            + "spec and action levels.", "Exits 1 with the difference when the model would be refused."})
    static final class Inspect implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "An ONNX model file, e.g. models/default/core.onnx.")
        Path file;

        @Option(names = "--levels", paramLabel = "N", description = "The host's action levels for the model's role "
                + "(default: this build's default for core and quota; memory levels depend on the host's MBA granularity "
                + "and are not checked without this option).")
        Integer levels;

        @Option(names = "--json", description = "Print the contract and the check as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            ModelContract c;
            try (OnnxRoleModel m = OnnxRoleModel.open(file)) {
                c = m.contract();
            }
            ActionSpace host = hostActions(c.role());
            Optional<String> diff = c.validate(ObservationSpec.of(c.role()), host);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(new ObjectMapper().writerWithDefaultPrettyPrinter()
                        .writeValueAsString(ContractText.json(file, c, host, diff)));
            } else {
                ContractText.print(out, file, c, host, diff);
            }
            out.flush();
            if (diff.isPresent()) {
                throw new CohortException(file + ": " + diff.get());
            }
            return 0;
        }

        private ActionSpace hostActions(Role r) {
            Integer n = levels;
            if (n == null) {
                n = switch (r) {
                    case CORE -> ControllerConfig.DEFAULT.coreLevels();
                    case QUOTA -> ControllerConfig.DEFAULT.quotaLevels();
                    case MEMORY -> null;
                };
            }
            return n == null ? null : new ActionSpace(r, n);
        }
    }

    /** {@code cohort model values}: whether a learned policy's values of each role's levels answer the state. */
    @Command(name = "values", mixinStandardHelpOptions = true, description = {"Run a learned policy on the simulated machine "
            + "and say, per role, how much of its values' differences between levels is one constant per level, the same "
            + "whatever the agent observes.", "Near 100%%, the agents rank their levels by a constant and the state decides "
            + "only among near-tied levels; the last column says which level they hold most. Within one scenario an "
            + "untrained network is near 100%% too: compare scenarios (docs/results.md, \"The agents' values do not "
            + "answer the state\")."})
    static final class Values implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--policy", required = true, paramLabel = "SPEC", description = "learned or onnx:DIR.")
        String policy;

        @Option(names = "--scenario", required = true, paramLabel = "NAME|FILE", description = "A built-in scenario or a "
                + "scenario YAML file.")
        String scenario;

        @Option(names = "--seed", paramLabel = "N", description = "Simulator seed (default: 1).")
        long seed = 1;

        @Option(names = "--duration", paramLabel = "TIME", converter = DurationConverter.class,
                description = "Simulated time to run, e.g. 30s (default: 30s).")
        Long durationNanos;

        @Override
        public Integer call() {
            var sc = Scenarios.resolve(scenario);
            long ticks = SimHarness.ticks(sc, durationNanos == null ? 30_000_000_000L : durationNanos);
            List<LevelValues.Figures> figures;
            try (var p = Policies.create(policy, SimHarness.machine(sc, seed).topology())) {
                figures = LevelValues.measure(sc, seed, p, ticks);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "%s on %s, seed %d, %d ticks%n", policy, sc.name(), seed, ticks);
            out.printf("%-7s %6s %8s %16s %14s  %s%n", "role", "agents", "samples", "one per level", "state-dep rms",
                    "greedy level most chosen");
            for (var f : figures) {
                out.printf(Locale.ROOT, "%-7s %6d %8d %15.1f%% %14.3f  %d (%.0f%% of agent-ticks)%n", f.role().id(),
                        f.agents(), f.samples(), 100 * f.constantShare(), f.stateRms(), f.modeLevel(), 100 * f.modeShare());
            }
            for (var f : figures) { // what to compare across scenarios
                StringBuilder c = new StringBuilder();
                for (double v : f.constant()) {
                    c.append(String.format(Locale.ROOT, " %+.2f", v));
                }
                out.printf("%s constant per level, lowest first:%s%n", f.role().id(), c);
            }
            out.flush();
            return 0;
        }
    }

    /** {@code cohort model gap}: what one frequency agent's level is worth, paired, against the noise of its return. */
    @Command(name = "gap", mixinStandardHelpOptions = true, description = {"Run a policy on the simulated machine and, every "
            + "few ticks, branch one core agent (in turn) from the run's snapshot: once at --level for that tick, once at "
            + "the policy's own level, the policy deciding the rest. Both branches meet the same arrivals.",
            "Per utilisation of the agent's domain it prints the mean difference in discounted reward over the horizon "
            + "(--level's minus the policy's), its spread, the spread of the policy's own return over the horizon, which "
            + "is what a value learner's targets carry, and their ratio (docs/results.md, \"What a level is worth\")."})
    static final class Gap implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--scenario", required = true, paramLabel = "NAME|FILE", description = "A built-in scenario or a "
                + "scenario YAML file.")
        String scenario;

        @Option(names = "--policy", paramLabel = "SPEC", description = "The policy run and branched (default: performance).")
        String policy = "performance";

        @Option(names = "--level", paramLabel = "N", description = "The level the branched agent tries for one tick (default: 2).")
        int level = 2;

        @Option(names = "--seeds", paramLabel = "LIST", description = "Simulator seeds, e.g. 1-3 (default: 1-3).")
        String seeds = "1-3";

        @Option(names = "--every", paramLabel = "TICKS", description = "Branch every this many ticks (default: 7).")
        int every = 7;

        @Option(names = "--horizon", paramLabel = "TICKS", description = "Ticks of reward summed after the branch (default: 3, "
                + "the shipped configurations' n-step).")
        int horizon = 3;

        @Option(names = "--gamma", paramLabel = "G", description = "Discount per tick (default: 0.95, as training).")
        double gamma = 0.95;

        @Override
        public Integer call() {
            if (every < 1 || horizon < 1 || !(gamma > 0 && gamma <= 1)) {
                throw new CohortException("--every and --horizon must be at least 1 and --gamma in (0, 1]: got " + every + ", "
                        + horizon + ", " + gamma);
            }
            var sc = Scenarios.resolve(scenario);
            long[] seedList = dev.cohort.eval.Seeds.parse(seeds);
            var buckets = LevelGap.measure(sc, seedList, policy, level, every, horizon, gamma);
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "%s on %s, seeds %s: one core agent at level %d for one tick against the policy's level, "
                    + "reward over %d ticks (γ %.2f)%n", policy, sc.name(), seeds, level, horizon, gamma);
            out.printf("%-10s %7s %12s %10s %12s %8s%n", "util", "samples", "paired gap", "gap sd", "return sd", "ratio");
            for (var b : buckets) {
                out.printf(Locale.ROOT, "%.1f-%.1f   %7d %+12.4f %10.4f %12.4f %8.4f%n", b.utilFrom(), b.utilTo(), b.samples(),
                        b.meanGap(), b.gapSd(), b.returnSd(), b.signalToNoise());
            }
            out.flush();
            return 0;
        }
    }

    /** {@code cohort model spread}: how loud each training scenario's episodes are, over all and within each. */
    @Command(name = "spread", mixinStandardHelpOptions = true, description = {"Draw episodes of a training configuration's "
            + "scenarios as training draws them and run a policy on each: per scenario, the per-tick reward's standard "
            + "deviation over all its episodes together and within each episode (median, least, most).",
            "A learner standardising rewards by one deviation weighs every episode's differences by it "
            + "(docs/results.md, \"What a level is worth\")."})
    static final class Spread implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--config", required = true, paramLabel = "FILE", description = "A training configuration, e.g. "
                + "configs/awrq-avg.yaml.")
        Path config;

        @Option(names = "--policy", paramLabel = "SPEC", description = "The policy run (default: performance).")
        String policy = "performance";

        @Option(names = "--episodes", paramLabel = "N", description = "Episodes per scenario (default: 12).")
        int episodes = 12;

        @Option(names = "--ticks", paramLabel = "N", description = "Ticks per episode (default: 300).")
        int ticks = 300;

        @Override
        public Integer call() {
            if (episodes < 1 || ticks < 3) {
                throw new CohortException("--episodes must be at least 1 and --ticks at least 3: got " + episodes + ", " + ticks);
            }
            var figures = dev.cohort.learn.train.RewardSpread.measure(dev.cohort.learn.train.TrainConfig.load(config), policy,
                    episodes, ticks);
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "%s on %s's training scenarios, %d episodes of %d ticks each%n", policy, config, episodes,
                    ticks);
            out.printf("%-44s %10s %14s %10s %10s%n", "scenario", "over all", "within median", "least", "most");
            for (var f : figures) {
                out.printf(Locale.ROOT, "%-44s %10.3f %14.3f %10.3f %10.3f%n", f.scenario(), f.overall(), f.withinMedian(),
                        f.within()[0], f.within()[f.within().length - 1]);
            }
            out.flush();
            return 0;
        }
    }
}
