package dev.cohort.balance;

import dev.cohort.control.ControllerConfig;
import dev.cohort.control.TickRecord;
import dev.cohort.harness.SimHarness;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.policy.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a λ-following policy's power answers λ: the priced learned policy run at each fixed λ on a scenario's seeds, with
 * its mean package power (the simulator's true energy), share of ticks over the SLO and best-effort work. A policy
 * follows λ when its power falls as λ rises.
 */
public final class LambdaCurve {
    private LambdaCurve() {
    }

    /** One λ on one scenario, means over its seeds. */
    public record Point(String scenario, double lambda, double meanWatts, double sloShare, double beWork, int seeds) {
    }

    /** Runs {@code spec} priced by {@code pricing} at every λ of {@code lambdas} on {@code seeds} of {@code sc}. */
    public static List<Point> measure(Scenario sc, String spec, BudgetLoop.Pricing pricing, double[] lambdas, long[] seeds,
                                      long durationNanos) {
        List<Point> out = new ArrayList<>();
        long ticks = SimHarness.ticks(sc, durationNanos);
        for (double lambda : lambdas) {
            double watts = 0;
            double slo = 0;
            double work = 0;
            for (long seed : seeds) {
                Policy p = PricedPolicies.open(spec, SimHarness.machine(sc, seed), ControllerConfig.DEFAULT, pricing,
                        BudgetLoop.DEFAULT_LAMBDA_MAX);
                try (SimHarness h = SimHarness.openOwning(sc, seed, p, SimHarness.Options.evaluation())) {
                    h.controller().setLambda(lambda);
                    double start = h.machine().trueEnergyJoules();
                    int over = 0;
                    double progress = 0;
                    for (long i = 0; i < ticks; i++) {
                        TickRecord r = h.step();
                        over += r.sloViolated() ? 1 : 0;
                        progress += r.reward().progress();
                    }
                    watts += (h.machine().trueEnergyJoules() - start) / (ticks * sc.tickNanos() / 1e9);
                    slo += (double) over / ticks;
                    work += progress / ticks;
                }
            }
            int n = seeds.length;
            out.add(new Point(sc.name(), lambda, watts / n, slo / n, work / n, n));
        }
        return out;
    }

    /** A Markdown table of points. */
    public static String table(List<Point> points) {
        var sb = new StringBuilder("| scenario | λ | mean power (W) | ticks over SLO | best-effort work | seeds |\n"
                + "|---|---|---|---|---|---|\n");
        for (Point p : points) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f%% | %.1f%% | %d |%n", p.scenario(),
                    trim(p.lambda()), p.meanWatts(), 100 * p.sloShare(), 100 * p.beWork(), p.seeds()));
        }
        return sb.toString();
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
