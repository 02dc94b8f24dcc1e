package dev.cohort.cli;

import dev.cohort.balance.DynamicsModel;
import dev.cohort.balance.MpcBalancer;
import dev.cohort.balance.MpcOptions;
import dev.cohort.balance.WindowState;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cohort bench balancer}: the wall time of one MPC balancer step (it runs once a balancer step, beside the tick). */
@Command(name = "balancer", mixinStandardHelpOptions = true, description = {"Times one step of the MPC balancer: the "
        + "cross-entropy method's forecasts of λ sequences through the dynamics model in ONNX Runtime, on windows drawn at "
        + "random around a budget."})
final class BenchBalancerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dynamics-model", paramLabel = "DIR", defaultValue = "models/dynamics",
            description = "The dynamics model (default: ${DEFAULT-VALUE}).")
    Path model;

    @Option(names = "--steps", defaultValue = "300", description = "Timed steps. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--warmup", defaultValue = "50", description = "Untimed steps first. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Override
    public Integer call() {
        try (DynamicsModel m = DynamicsModel.open(model)) {
            var rng = new SplittableRandom(3);
            long[] nanos = new long[steps];
            MpcOptions o = MpcOptions.DEFAULT;
            double tdp = 100;
            var mpc = new MpcBalancer(60, tdp, 1, m.lambdaMax(), m, o);
            WindowState before = new WindowState(0.6, 0, 0.5, 0.1, 1);
            for (int i = -warmup; i < steps; i++) {
                WindowState now = new WindowState(0.4 + 0.4 * rng.nextDouble(), 0.2 * rng.nextDouble(), rng.nextDouble(),
                        0.2 * rng.nextDouble(), 1 + (m.lambdaMax() - 1) * rng.nextDouble());
                long t0 = System.nanoTime();
                mpc.plan(before, now);
                long t = System.nanoTime() - t0;
                if (i >= 0) {
                    nanos[i] = t;
                }
                before = now;
            }
            Arrays.sort(nanos);
            double mean = Arrays.stream(nanos).average().orElse(0);
            var out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "mpc balancer step (%s): %d samples x %d rounds, horizon %d: %d forecasts of %d windows%n",
                    m.file(), o.samples(), o.rounds(), o.horizon(), o.samples() * o.rounds(), o.horizon());
            out.printf(Locale.ROOT, "mean %.0f us, p50 %.0f us, p99 %.0f us, max %.0f us over %d steps%n", mean / 1e3,
                    nanos[steps / 2] / 1e3, nanos[(int) Math.min(steps - 1, Math.ceil(steps * 0.99) - 1)] / 1e3,
                    nanos[steps - 1] / 1e3, steps);
            return 0;
        }
    }
}
