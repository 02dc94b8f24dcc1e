package dev.cohort.eval;

import dev.cohort.harness.SimHarness;
import dev.cohort.platform.CohortException;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.policy.Policies;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Runs every scenario × policy × seed on the simulated machine, in parallel (each run is independent and
 * deterministic for its seed), and groups the results.
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
        List<String> policies = resolved.names();
        checkPolicies(scenarios, resolved);
        record Job(Scenario sc, String policy, String spec, long seed, boolean keepTimeline) {
        }
        List<Job> jobs = new ArrayList<>();
        for (Scenario sc : scenarios) {
            for (String p : policies) {
                for (int i = 0; i < seeds.length; i++) {
                    jobs.add(new Job(sc, p, resolved.spec(sc, p), seeds[i], i == 0 && options.keepTimeline()));
                }
            }
        }
        AtomicLong done = new AtomicLong();
        List<RunResult> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads))) {
            List<Future<RunResult>> futures = new ArrayList<>();
            for (Job j : jobs) {
                long[] last = {0};
                SimRunner.Options o = options.withTimeline(j.keepTimeline()).withProgress(t -> {
                    long d = done.addAndGet(t - last[0]);
                    last[0] = t;
                    if (progress != null) {
                        progress.accept(d);
                    }
                });
                futures.add(pool.submit(() -> SimRunner.run(j.sc(), j.spec(), j.seed(), o).withPolicy(j.policy())));
            }
            for (Future<RunResult> f : futures) {
                results.add(f.get());
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

    /**
     * Builds every policy for every scenario's machine once, before any run: a misnamed policy, or a model whose contract
     * does not fit a scenario, fails at once with its one-line reason instead of after hours of other runs.
     */
    public static void checkPolicies(List<Scenario> scenarios, List<String> policies) {
        checkPolicies(scenarios, SimPolicies.asNamed(policies));
    }

    /** The same with policies resolved per scenario: each scenario's spec is checked. */
    public static void checkPolicies(List<Scenario> scenarios, SimPolicies resolved) {
        for (Scenario sc : scenarios) {
            var topology = SimHarness.machine(sc, 1).topology();
            for (String p : resolved.names()) {
                Policies.create(resolved.spec(sc, p), topology).close();
            }
        }
    }

    /** Total ticks all runs of the grid take. */
    public static long totalTicks(List<Scenario> scenarios, int policies, int seeds, SimRunner.Options o) {
        long t = 0;
        for (Scenario sc : scenarios) {
            t += SimRunner.ticks(sc, o) * policies * seeds;
        }
        return t;
    }
}
