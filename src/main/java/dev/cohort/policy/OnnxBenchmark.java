package dev.cohort.policy;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Times {@link Policy#decide} per tick on a synthetic host: for an {@link OnnxPolicy}, one batched ONNX Runtime
 * call per role with a model. Observations are random in [-1, 1] and change every tick. No JMH: a warm-up,
 * then one {@code System.nanoTime} pair per tick; figures are wall-clock on whatever else the machine runs.
 */
public final class OnnxBenchmark {
    private OnnxBenchmark() {
    }

    /**
     * Per-tick decision latency.
     *
     * @param agents   agents per role
     * @param ticks    timed ticks
     * @param medianUs median per tick, µs
     * @param p99Us    99th percentile per tick, µs
     * @param meanUs   mean per tick, µs
     * @param maxUs    slowest tick, µs
     */
    public record Result(Map<Role, Integer> agents, int ticks, double medianUs, double p99Us, double meanUs, double maxUs) {
    }

    /**
     * Runs the benchmark.
     *
     * @param policy  the policy to time (not closed here)
     * @param spaces  the host's action space per role
     * @param agents  agents per role (0 or absent: none)
     * @param warmup  untimed ticks first
     * @param ticks   timed ticks
     * @param seed    seed of the random observations
     */
    public static Result run(Policy policy, Map<Role, ActionSpace> spaces, Map<Role, Integer> agents, int warmup, int ticks,
                             long seed) {
        if (ticks < 1 || warmup < 0) {
            throw new IllegalArgumentException("ticks must be positive and warm-up not negative");
        }
        var byRole = new EnumMap<Role, RoleObservations>(Role.class);
        for (Role r : Role.values()) {
            byRole.put(r, new RoleObservations(ObservationSpec.of(r), spaces.get(r), agents.getOrDefault(r, 0)));
        }
        var obs = new Observations(byRole);
        var rng = new SplittableRandom(seed);
        long[] nanos = new long[ticks];
        for (int t = 0; t < warmup + ticks; t++) {
            for (RoleObservations ro : byRole.values()) {
                float[] d = ro.data();
                for (int i = 0; i < d.length; i++) {
                    d[i] = (float) rng.nextDouble(-1, 1);
                }
            }
            obs.setTick(t + 1);
            long start = System.nanoTime();
            policy.decide(obs);
            long took = System.nanoTime() - start;
            if (t >= warmup) {
                nanos[t - warmup] = took;
            }
        }
        Arrays.sort(nanos);
        double mean = Arrays.stream(nanos).average().orElse(0) / 1e3;
        return new Result(Map.copyOf(agents), ticks, quantile(nanos, 0.5) / 1e3, quantile(nanos, 0.99) / 1e3, mean,
                nanos[ticks - 1] / 1e3);
    }

    /** Nearest-rank quantile of sorted values. */
    static double quantile(long[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
