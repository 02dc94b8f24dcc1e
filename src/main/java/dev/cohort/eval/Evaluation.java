package dev.cohort.eval;

import dev.cohort.harness.oracle.OracleOptions;
import dev.cohort.harness.Shard;

import dev.cohort.platform.CohortException;
import dev.cohort.platform.sim.Scenario;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Runs every scenario × policy × seed on the simulated machine, in parallel (each run is independent and
 * deterministic for its seed), and groups the results. The oracle runs on the seeds its options allow
 * ({@link OracleOptions#seedsFor}). The longest runs (the oracle's, the largest machines') start first, so that none
 * finishes last alone.
 */
public final class Evaluation {
    private Evaluation() {
    }

    /**
     * @param scenarios   loaded scenarios
     * @param policies    policy specs
     * @param seeds       simulator seeds
     * @param options     run options (the timeline is kept for the first seed only)
     * @param threads     parallel runs
     * @param progress    called with the total ticks done so far across all runs (may be null)
     */
    public static Summary run(List<Scenario> scenarios, List<String> policies, long[] seeds, SimRunner.Options options,
                              int threads, LongConsumer progress) {
        return run(scenarios, SimPolicies.asNamed(policies), seeds, options, threads, progress);
    }

    /** The same with policies resolved per scenario ({@code best-static}): each runs its spec, reported under its name. */
    public static Summary run(List<Scenario> scenarios, SimPolicies resolved, long[] seeds, SimRunner.Options options,
                              int threads, LongConsumer progress) {
        return run(scenarios, resolved, seeds, options, threads, progress, Shard.ALL);
    }

    /**
     * The runs of one slice of the grid ({@link #slice}), grouped as the whole grid's would be: a cell holds the runs of
     * the slice only. {@link Shard#ALL} runs everything.
     */
    public static Summary run(List<Scenario> scenarios, SimPolicies resolved, long[] seeds, SimRunner.Options options,
                              int threads, LongConsumer progress, Shard shard) {
        List<String> policies = resolved.names();
        checkPolicies(scenarios, resolved, options.oracle());
        List<Job> all = jobs(scenarios, resolved, seeds, options);
        List<Job> jobs = java.util.Arrays.stream(slice(all, shard)).mapToObj(all::get).toList();
        AtomicLong done = new AtomicLong();
        List<RunResult> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads))) {
            Map<Job, Future<RunResult>> futures = new IdentityHashMap<>();
            List<Job> order = new ArrayList<>(jobs);
            order.sort(Comparator.comparingDouble(Job::cost).reversed()); // longest first: none finishes last alone
            for (Job j : order) {
                long[] last = {0};
                SimRunner.Options o = options.withOracle(resolved.oracleOn(j.sc(), options.oracle()))
                        .withTimeline(j.keepTimeline()).withProgress(t -> {
                    long d = done.addAndGet(t - last[0]);
                    last[0] = t;
                    if (progress != null) {
                        progress.accept(d);
                    }
                });
                futures.put(j, pool.submit(() -> SimRunner.run(j.sc(), j.spec(), j.seed(), o).withPolicy(j.policy())));
            }
            for (Job j : jobs) {
                results.add(futures.get(j).get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CohortException("evaluation interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CohortException ce) {
                throw ce;
            }
            throw new IllegalStateException("a run failed: " + e.getCause(), e.getCause());
        }
        return new Summary(scenarios.stream().map(Scenario::name).toList(), policies, results, resolved.notes());
    }

    /** One run of the grid as its row names it. */
    public record GridRun(String scenario, String policy, long seed) {
    }

    /** Every run of the grid in the order its results are reported: scenario, policy, seed. */
    public static List<GridRun> grid(List<Scenario> scenarios, SimPolicies resolved, long[] seeds, SimRunner.Options options) {
        return jobs(scenarios, resolved, seeds, options).stream().map(j -> new GridRun(j.sc().name(), j.policy(), j.seed())).toList();
    }

    /** The grid indices of {@code shard}'s runs ({@link Shard#slice}, by each run's cost), in grid order. */
    public static int[] slice(List<Scenario> scenarios, SimPolicies resolved, long[] seeds, SimRunner.Options options, Shard shard) {
        return slice(jobs(scenarios, resolved, seeds, options), shard);
    }

    private static int[] slice(List<Job> jobs, Shard shard) {
        return shard.slice(jobs.stream().mapToDouble(Job::cost).toArray());
    }

    /** One run of the grid: the policy as named (its row) and the spec that runs. */
    private record Job(Scenario sc, String policy, String spec, long seed, boolean keepTimeline) {
        /** A rough cost, for ordering only: ticks × CPUs, 50 times that for the oracle's search. */
        double cost() {
            return (double) sc.ticks() * sc.machine().cpuCount() * (SimPolicies.isOracle(spec) ? 50 : 1);
        }
    }

    /** The grid's runs in scenario, policy, seed order; the oracle's only on the seeds its options allow. */
    private static List<Job> jobs(List<Scenario> scenarios, SimPolicies resolved, long[] seeds, SimRunner.Options options) {
        List<Job> jobs = new ArrayList<>();
        for (Scenario sc : scenarios) {
            for (String p : resolved.names()) {
                int n = SimPolicies.isOracle(p) ? options.oracle().seedsFor(sc.name(), seeds.length) : seeds.length;
                for (int i = 0; i < n; i++) {
                    jobs.add(new Job(sc, p, resolved.spec(sc, p), seeds[i], i == 0 && options.keepTimeline()));
                }
            }
        }
        return jobs;
    }

    /**
     * Builds every policy for every scenario's machine once, before any run: a misnamed policy, a model whose contract
     * does not fit a scenario, or an oracle seed limit for a scenario not in the run fails at once with its one-line
     * reason instead of after hours of other runs.
     */
    public static void checkPolicies(List<Scenario> scenarios, List<String> policies, OracleOptions oracle) {
        checkPolicies(scenarios, SimPolicies.asNamed(policies), oracle);
    }

    /** The same with policies resolved per scenario: each scenario's spec is checked. */
    public static void checkPolicies(List<Scenario> scenarios, SimPolicies resolved, OracleOptions oracle) {
        oracle.checkSeedLimits(scenarios.stream().map(Scenario::name).toList());
        for (Scenario sc : scenarios) {
            for (String p : resolved.names()) {
                SimPolicies.check(resolved.spec(sc, p), sc, resolved.oracleOn(sc, oracle));
            }
        }
    }

    /** Total ticks all runs of the grid take. */
    public static long totalTicks(List<Scenario> scenarios, List<String> policies, long[] seeds, SimRunner.Options o) {
        return totalTicks(scenarios, policies, seeds, o, Shard.ALL);
    }

    /** Total ticks the runs of {@code shard}'s slice take. */
    public static long totalTicks(List<Scenario> scenarios, List<String> policies, long[] seeds, SimRunner.Options o, Shard shard) {
        List<Job> all = jobs(scenarios, SimPolicies.asNamed(policies), seeds, o);
        return java.util.Arrays.stream(slice(all, shard)).mapToLong(i -> SimRunner.ticks(all.get(i).sc(), o)).sum();
    }
}
