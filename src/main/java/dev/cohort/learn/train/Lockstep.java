package dev.cohort.learn.train;

import dev.cohort.learn.nn.AgentForward;
import dev.cohort.policy.Decision;
import dev.cohort.policy.Observations;
import dev.cohort.policy.Role;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Steps an iteration's episodes together, tick by tick: every environment runs its tick up to the decision
 * ({@code MarlEnv.begin}) and records it, each role's network runs once over all the episodes' agents (concatenated,
 * episode after episode), then every episode chooses its levels from its own rows with its own random stream and
 * finishes its tick. An agent's outputs depend only on its own observation and hidden state, and each episode keeps
 * its own streams, so the episodes are those {@link Collector#run} gives one after another, bit for bit. The
 * environments' work (the simulator and the control tick, most of a tick's cost) is split over {@code threads} threads,
 * the largest machines first to the least loaded thread; the forward pass runs on the calling thread. Not thread-safe.
 */
final class Lockstep {
    private final List<Collector.Running> episodes;
    private final List<AgentForward> forwards;
    private final int threads;
    private final int[][] groups;
    private final Observations[] obs;
    private final float[][] inputs = new float[Role.values().length][];
    private final float[][] hidden = new float[Role.values().length][];
    private final float[][] outputs = new float[Role.values().length][];

    /**
     * @param episodes the episodes, reset and not yet stepped, all of the same length
     * @param forwards per role, the network acting for every episode
     * @param threads  threads stepping the environments (the calling thread is one of them)
     */
    Lockstep(List<Collector.Running> episodes, List<AgentForward> forwards, int threads) {
        this.episodes = episodes;
        this.forwards = forwards;
        this.threads = Math.max(1, Math.min(threads, episodes.size()));
        this.obs = new Observations[episodes.size()];
        this.groups = balance(episodes, this.threads);
    }

    /** Runs every episode to its end. */
    void run() {
        int ticks = episodes.getFirst().ticks;
        ExecutorService pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "cohort-lockstep");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int t = 0; t <= ticks; t++) {
                int tick = t;
                onEveryEpisode(pool, i -> {
                    Collector.Running e = episodes.get(i);
                    if (tick > 0) { // finish tick − 1 with the levels its forward pass gave
                        Decision d = Decision.noChange(obs[i]);
                        e.actor.choose(obs[i], d);
                        e.branch(tick - 1, obs[i], d);
                        e.stepped(tick - 1, e.env.finish(d));
                    }
                    if (tick < ticks) {
                        obs[i] = e.env.begin();
                        e.actor.record(obs[i]);
                    }
                });
                if (t < ticks) {
                    forward();
                }
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    /** One forward pass per role over every episode's agents of this tick. */
    private void forward() {
        for (Role r : Role.values()) {
            int ri = r.ordinal();
            AgentForward net = forwards.get(ri);
            int total = 0;
            for (Collector.Running e : episodes) {
                total += e.actor.agents[ri];
            }
            if (total == 0) {
                continue;
            }
            int f = net.net().inputs();
            int h = net.net().recurrent() ? net.net().hidden() : 0;
            int o = net.net().outputs();
            inputs[ri] = atLeast(inputs[ri], total * f);
            hidden[ri] = atLeast(hidden[ri], total * Math.max(1, h));
            outputs[ri] = atLeast(outputs[ri], total * o);
            int row = 0;
            for (Collector.Running e : episodes) {
                int n = e.actor.agents[ri];
                System.arraycopy(e.actor.obs[ri], e.actor.recorded() * n * f, inputs[ri], row * f, n * f);
                System.arraycopy(e.actor.hidden(ri), 0, hidden[ri], row * h, n * h);
                row += n;
            }
            net.step(inputs[ri], total, hidden[ri], outputs[ri]);
            row = 0;
            for (Collector.Running e : episodes) {
                int n = e.actor.agents[ri];
                System.arraycopy(outputs[ri], row * o, e.actor.out(ri), 0, n * o);
                System.arraycopy(hidden[ri], row * h, e.actor.hidden(ri), 0, n * h);
                row += n;
            }
        }
    }

    /** Runs {@code body} for every episode, each thread over its group; the calling thread takes the first group. */
    private void onEveryEpisode(ExecutorService pool, IntConsumer body) {
        List<Future<?>> others = new ArrayList<>(groups.length - 1);
        for (int g = 1; g < groups.length; g++) {
            int[] group = groups[g];
            others.add(pool.submit(() -> {
                for (int i : group) {
                    body.accept(i);
                }
            }));
        }
        RuntimeException failed = null;
        try {
            for (int i : groups[0]) {
                body.accept(i);
            }
        } catch (RuntimeException e) {
            failed = e;
        }
        for (Future<?> f : others) { // every thread done before the forward pass reads the recorders
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failed == null) {
                    failed = e.getCause() instanceof RuntimeException re ? re
                            : new IllegalStateException("stepping an environment failed: " + e.getCause(), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("collection interrupted", e);
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    /**
     * Episodes to threads: largest machine (CPUs, the simulator's cost) first, each to the thread with the fewest CPUs
     * so far; each group in episode order. Only the time depends on it, never the results.
     */
    static int[][] balance(List<Collector.Running> episodes, int threads) {
        Integer[] order = new Integer[episodes.size()];
        int[] cpus = new int[episodes.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
            cpus[i] = episodes.get(i).env.machine().topology().cpuCount();
        }
        Arrays.sort(order, (a, b) -> cpus[b] != cpus[a] ? Integer.compare(cpus[b], cpus[a]) : Integer.compare(a, b));
        long[] load = new long[threads];
        List<List<Integer>> g = new ArrayList<>();
        for (int k = 0; k < threads; k++) {
            g.add(new ArrayList<>());
        }
        for (int i : order) {
            int k = 0;
            for (int j = 1; j < threads; j++) {
                if (load[j] < load[k]) {
                    k = j;
                }
            }
            load[k] += cpus[i];
            g.get(k).add(i);
        }
        int[][] out = new int[threads][];
        for (int k = 0; k < threads; k++) {
            out[k] = g.get(k).stream().mapToInt(Integer::intValue).sorted().toArray();
        }
        return out;
    }

    private static float[] atLeast(float[] a, int size) {
        return a != null && a.length >= size ? a : new float[size];
    }
}
