package dev.cohort.harness.beststatic;

import dev.cohort.control.Journal;
import dev.cohort.harness.SimHarness;
import dev.cohort.platform.CohortException;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.policy.Role;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.stream.IntStream;

/**
 * The search: every point of the {@link Grid} judged by mean per-tick reward, in two stages when the grid is large.
 * <ol>
 *   <li>Screen: every point runs once, on the first seed, for {@link SearchSettings#screenNanos} (20 s of the
 *       scenario's 60).</li>
 *   <li>Final: the {@link SearchSettings#finalists} best of the screen run the whole scenario on every seed; the
 *       highest mean reward over seeds wins.</li>
 * </ol>
 * A grid of at most {@link SearchSettings#fullGridMax} points (frequency alone: 11) skips the screen and runs every
 * point in full on every seed. Runs are independent and deterministic for their seed, so they run in parallel and
 * the result does not depend on the thread count. Ties go to the higher levels: the less limiting setting.
 */
public final class Search {
    private Search() {
    }

    /** Ticks the whole search of {@code sc} takes, for a progress bar. */
    public static long ticks(Scenario sc, SearchSettings s, Grid g) {
        long full = SimHarness.ticks(sc, 0);
        if (!screens(s, g)) {
            return (long) g.size() * s.seeds().size() * full;
        }
        return g.size() * screenTicks(sc, s) + (long) Math.min(s.finalists(), g.size()) * s.seeds().size() * full;
    }

    /**
     * Searches {@code sc}.
     *
     * @param key      the cache key the result is stored under
     * @param threads  runs in parallel
     * @param progress called with the ticks done so far over all runs (may be null)
     */
    public static Found run(Scenario sc, SearchSettings s, Grid g, String key, int threads, LongConsumer progress) {
        long started = System.nanoTime();
        List<Map<Role, Integer>> points = g.points();
        AtomicLong done = new AtomicLong();
        LongConsumer tick = progress == null ? t -> done.incrementAndGet() : t -> progress.accept(done.incrementAndGet());
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            double[] screened = new double[points.size()];
            Arrays.fill(screened, Double.NaN);
            List<Integer> finalists;
            if (screens(s, g)) {
                long ticks = screenTicks(sc, s);
                List<Future<Double>> runs = new ArrayList<>();
                for (Map<Role, Integer> p : points) {
                    runs.add(pool.submit(() -> meanReward(sc, g.spec(p), s.screenSeed(), ticks, s, tick)));
                }
                for (int i = 0; i < points.size(); i++) {
                    screened[i] = get(runs.get(i));
                }
                finalists = finalists(screened, s.finalists());
            } else {
                finalists = IntStream.range(0, points.size()).boxed().toList();
            }
            long full = SimHarness.ticks(sc, 0);
            List<List<Future<Double>>> runs = new ArrayList<>();
            for (int i : finalists) {
                List<Future<Double>> perSeed = new ArrayList<>();
                for (long seed : s.seeds()) {
                    perSeed.add(pool.submit(() -> meanReward(sc, g.spec(points.get(i)), seed, full, s, tick)));
                }
                runs.add(perSeed);
            }
            record Ranked(int index, Found.Candidate candidate) {
            }
            List<Ranked> ranked = new ArrayList<>();
            for (int k = 0; k < finalists.size(); k++) {
                List<Double> rewards = new ArrayList<>();
                for (Future<Double> f : runs.get(k)) {
                    rewards.add(get(f));
                }
                int i = finalists.get(k);
                ranked.add(new Ranked(i, new Found.Candidate(points.get(i), g.spec(points.get(i)), rewards, screened[i])));
            }
            // the highest mean wins; among equal means the higher levels, the less limiting setting
            ranked.sort(Comparator.comparingDouble((Ranked r) -> -r.candidate().meanReward()).thenComparing(r -> -r.index()));
            if (progress != null) {
                progress.accept(ticks(sc, s, g)); // the bar ends full though merged finalists ran less than planned
            }
            return new Found(sc.name(), key, ranked.stream().map(Ranked::candidate).toList(), g, s.seeds(),
                    screens(s, g) ? s.screenNanos() : 0, Instant.now(), (System.nanoTime() - started) / 1e9);
        } finally {
            // after a failed run, the queued ones are not worth waiting for
            pool.shutdownNow();
        }
    }

    /**
     * The mean per-tick reward of one run, as {@code RunMetrics.meanReward} computes it, through the same harness as
     * {@code simulate} and {@code evaluate} (the scenario's machine, its normalisers, the fallback).
     */
    static double meanReward(Scenario sc, String spec, long seed, long ticks, SearchSettings s, LongConsumer tick) {
        var o = new SimHarness.Options(s.base(), s.governor(), Journal.NONE);
        double sum = 0;
        try (SimHarness h = SimHarness.open(sc, seed, spec, o)) {
            for (long i = 0; i < ticks; i++) {
                sum += h.step().reward().reward();
                tick.accept(i);
            }
        }
        return sum / ticks;
    }

    /**
     * The {@code n} best screened points, best first; among equal rewards the higher levels (the less limiting setting)
     * first. Points whose screening runs earned the same reward to the last bit (a knob that changes nothing on this
     * scenario, such as MBA for a CPU-bound job) go on as one: the least limiting of them, so the finalists are
     * {@code n} different outcomes rather than one outcome {@code n} times.
     */
    static List<Integer> finalists(double[] screened, int n) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < screened.length; i++) {
            all.add(i);
        }
        all.sort(Comparator.comparingDouble((Integer i) -> -screened[i]).thenComparing(i -> -i));
        List<Integer> out = new ArrayList<>();
        for (int i : all) {
            if (out.size() == n) {
                break;
            }
            if (out.isEmpty() || Double.compare(screened[out.getLast()], screened[i]) != 0) {
                out.add(i);
            }
        }
        return List.copyOf(out);
    }

    private static boolean screens(SearchSettings s, Grid g) {
        return g.size() > s.fullGridMax() && g.size() > s.finalists();
    }

    private static long screenTicks(Scenario sc, SearchSettings s) {
        return Math.min(SimHarness.ticks(sc, 0), SimHarness.ticks(sc, s.screenNanos()));
    }

    private static double get(Future<Double> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CohortException("best-static search interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CohortException ce) {
                throw ce;
            }
            throw new IllegalStateException("a best-static run failed: " + e.getCause(), e.getCause());
        }
    }
}
