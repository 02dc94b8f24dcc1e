package dev.cohort.eval;

import dev.cohort.platform.Readable;
import dev.cohort.control.Controller;
import dev.cohort.harness.SimHarness;
import dev.cohort.control.ControllerConfig;
import dev.cohort.control.Journal;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.SimMachine;
import java.util.Arrays;

/** Speed measurements behind {@code cohort bench sim} and {@code cohort bench tick}. */
public final class Benchmarks {
    private Benchmarks() {
    }

    /** Simulator speed: steps × CPUs per wall second on one thread. */
    public record SimSpeed(String scenario, int cpus, long steps, double wallSeconds, double simulatedSeconds) {
        public double coreStepsPerSecond() {
            return steps * (double) cpus / wallSeconds;
        }

        @Override
        public String toString() {
            return String.format("simulator, scenario %s (%d CPUs): %s million core-steps/s on one thread "
                            + "(%s steps of %d CPUs in %s wall, %s simulated, %s× real time)",
                    scenario, cpus, Readable.number(coreStepsPerSecond() / 1e6), Readable.count(steps), cpus, Readable.seconds(wallSeconds),
                    Readable.seconds(simulatedSeconds), Readable.number(simulatedSeconds / wallSeconds));
        }
    }

    /** Runs {@code warmupSeconds} then times {@code seconds} of simulated time, sampling once per tick as a run does. */
    public static SimSpeed sim(Scenario sc, double warmupSeconds, double seconds) {
        SimMachine m = SimHarness.machine(sc, 1);
        long tick = sc.tickNanos();
        for (long t = 0; t < warmupSeconds * 1e9; t += tick) {
            m.advance(tick);
        }
        long steps0 = m.stepsTaken();
        long start = System.nanoTime();
        long ticks = (long) (seconds * 1e9 / tick);
        for (long i = 0; i < ticks; i++) {
            m.advance(tick);
            m.sample();
        }
        double wall = (System.nanoTime() - start) / 1e9;
        return new SimSpeed(sc.name(), m.topology().cpuCount(), m.stepsTaken() - steps0, wall, ticks * tick / 1e9);
    }

    /** Cost of one control tick (sample, encode, decide, govern, apply, reward), the simulator's advance excluded. */
    public record TickCost(String scenario, String policy, int cpus, int agents, long ticks, double p50Micros, double p99Micros,
                           double maxMicros) {
        @Override
        public String toString() {
            return String.format("control tick, scenario %s (%d CPUs, %d agents), policy %s, %s ticks: "
                    + "p50 %s, p99 %s, max %s (simulator step excluded)", scenario, cpus, agents, policy, Readable.count(ticks),
                    Readable.micros(p50Micros), Readable.micros(p99Micros), Readable.micros(maxMicros));
        }
    }

    /** Times {@code ticks} control ticks after {@code warmup} untimed ones. */
    public static TickCost tick(Scenario sc, String policySpec, int warmup, int ticks) {
        // the daemon's governor (SLO override on), as the tick it times is the daemon's
        var o = new SimHarness.Options(ControllerConfig.DEFAULT, ControllerConfig.DEFAULT.governor(), Journal.NONE);
        try (SimHarness h = SimHarness.open(sc, 1, policySpec, o)) {
            Controller c = h.controller();
            long[] nanos = new long[ticks];
            for (int i = 0; i < warmup + ticks; i++) {
                h.advance();
                long t0 = System.nanoTime();
                c.tick();
                long dt = System.nanoTime() - t0;
                if (i >= warmup) {
                    nanos[i - warmup] = dt;
                }
            }
            Arrays.sort(nanos);
            int agents = 0;
            for (var r : dev.cohort.policy.Role.values()) {
                agents += c.layout().agents(r);
            }
            return new TickCost(sc.name(), policySpec, h.machine().topology().cpuCount(), agents, ticks, nanos[ticks / 2] / 1e3,
                    nanos[(int) Math.min(ticks - 1, Math.ceil(ticks * 0.99) - 1)] / 1e3, nanos[ticks - 1] / 1e3);
        }
    }
}
