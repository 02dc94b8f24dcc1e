package dev.cohort.service;

import dev.cohort.platform.CohortException;
import dev.cohort.service.config.Units;
import dev.cohort.service.status.TickStats;
import dev.cohort.service.systemd.SdNotify;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code cohort bench daemon}: the whole daemon (lock, journal, metrics endpoint, status socket, the control loop)
 * on the simulated machine in this process, at the configured period in real time, and what it costs: tick
 * duration percentiles (sense + decide + act + journal; the simulator's step excluded), CPU time as a share of one
 * core (the whole process, the simulator's steps, and the daemon alone = the difference), and resident memory
 * from {@code /proc/self/status}. Figures are taken after a warm-up (JIT compilation, first writes).
 */
public final class DaemonBench {
    private DaemonBench() {
    }

    /**
     * The figures.
     *
     * @param ticks          ticks measured (after the warm-up)
     * @param p50Nanos       median tick
     * @param p99Nanos       99th percentile tick
     * @param maxNanos       longest tick
     * @param overruns       deadlines skipped
     * @param wallNanos      measured wall time
     * @param processCpuNanos CPU time of the whole process over it
     * @param simCpuNanos    CPU time of the simulator's steps over it
     * @param rssBytes       resident set at the end
     * @param peakRssBytes   peak resident set (VmHWM)
     */
    public record Result(String scenario, int cpus, long periodNanos, long ticks, long p50Nanos, long p99Nanos, long maxNanos,
                         long cpuP50Nanos, long cpuP99Nanos, long overruns, long wallNanos, long processCpuNanos,
                         long simCpuNanos, long loopCpuNanos, long rssBytes, long peakRssBytes, double loadAverage) {
        /** Whole process CPU time per wall time, as a share of one core. */
        public double processCpuShare() {
            return (double) processCpuNanos / wallNanos;
        }

        /** The daemon's own CPU share: the process minus the simulator's steps. */
        public double daemonCpuShare() {
            return (double) (processCpuNanos - simCpuNanos) / wallNanos;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, """
                    daemon on the simulated machine: scenario %s, %d CPUs, period %s, %d ticks measured (%.0f s after warm-up)
                    tick (sense + decide + act; simulator step excluded, journal written on its own thread), wall clock: p50 %.0f µs  p99 %.0f µs  max %.0f µs  overruns %d
                    tick, CPU time of the loop thread: p50 %.0f µs  p99 %.0f µs
                    CPU (share of one core): daemon %.2f%% (its control loop %.2f%%, JIT/GC/other threads %.2f%%)  simulator steps %.2f%%  whole process %.2f%%
                    RSS %.0f MB (peak %.0f MB); host load average %.2f on %d cores""", scenario, cpus, Units.formatNanos(periodNanos),
                    ticks, wallNanos / 1e9, p50Nanos / 1e3, p99Nanos / 1e3, maxNanos / 1e3, overruns, cpuP50Nanos / 1e3,
                    cpuP99Nanos / 1e3, 100 * daemonCpuShare(), 100.0 * loopCpuNanos / wallNanos,
                    100 * daemonCpuShare() - 100.0 * loopCpuNanos / wallNanos, 100.0 * simCpuNanos / wallNanos,
                    100 * processCpuShare(), rssBytes / 1e6, peakRssBytes / 1e6, loadAverage,
                    Runtime.getRuntime().availableProcessors());
        }
    }

    /**
     * Runs the daemon for {@code warmupSeconds + seconds}.
     *
     * @param policy one policy for every role
     */
    public static Result run(String scenario, long periodNanos, double seconds, double warmupSeconds, String policy,
                             PrintStream progress) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("cohort-bench-daemon");
        try {
            Path cfgFile = dir.resolve("cohort.yaml");
            Files.writeString(cfgFile, """
                    backend: sim
                    period: %dms
                    sim: {scenario: "%s", seed: 1}
                    paths: {state_dir: "%s", journal: "%s"}
                    metrics: {port: 0}
                    policy: {core: "%s", memory: "%s", quota: "%s"}
                    """.formatted(periodNanos / 1_000_000, scenario, dir.resolve("run"), dir.resolve("journal.jsonl"),
                    policy, policy, policy));
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long[] simCpu = new long[1];
            Backend.Factory timed = cfg -> {
                Backend b = Backend.DEFAULT.open(cfg);
                return new Backend(b.platform(), n -> {
                    long t0 = threads.getCurrentThreadCpuTime();
                    b.advance().accept(n);
                    simCpu[0] += threads.getCurrentThreadCpuTime() - t0;
                }, b.durable(), b.tdpWatts(), b.memPeakBytesPerSec(), b.idleWatts());
            };
            Daemon d = new Daemon(new Daemon.Options(cfgFile, null, null, timed, () -> false, SdNotify.from(java.util.Map.of()),
                    progress, false));
            int[] code = {-1};
            RuntimeException[] failure = new RuntimeException[1];
            Thread loop = Thread.ofPlatform().name("cohort-bench-loop").start(() -> {
                try {
                    code[0] = d.run();
                } catch (RuntimeException e) {
                    failure[0] = e;
                }
            });
            long end = System.nanoTime() + 60_000_000_000L;
            while (!d.running() && loop.isAlive() && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            if (!d.running()) {
                loop.join(10_000);
                throw failure[0] != null ? failure[0] : new CohortException("the daemon did not start");
            }
            Thread.sleep((long) (warmupSeconds * 1000));
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            d.stats().reset();
            long cpu0 = os.getProcessCpuTime();
            long sim0 = simCpu[0];
            long loop0 = threads.getThreadCpuTime(loop.threadId());
            long wall0 = System.nanoTime();
            Thread.sleep((long) (seconds * 1000));
            long wall = System.nanoTime() - wall0;
            long cpu = os.getProcessCpuTime() - cpu0;
            long sim = simCpu[0] - sim0;
            long loopCpu = threads.getThreadCpuTime(loop.threadId()) - loop0 - sim;
            double load = os.getSystemLoadAverage();
            TickStats.Summary s = d.stats().summary();
            long[] rss = rss();
            d.requestStop("benchmark done");
            loop.join(30_000);
            int cpus = d.started().platform().topology().cpuCount();
            return new Result(scenario, cpus, periodNanos, s.count(), s.p50Nanos(), s.p99Nanos(), s.maxNanos(), s.cpuP50Nanos(),
                    s.cpuP99Nanos(), s.overruns(), wall, cpu, sim, loopCpu, rss[0], rss[1], load);
        } finally {
            try (var w = Files.walk(dir)) {
                w.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** VmRSS and VmHWM of this process, bytes. */
    static long[] rss() throws IOException {
        long rss = 0;
        long hwm = 0;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = kb(line);
            } else if (line.startsWith("VmHWM:")) {
                hwm = kb(line);
            }
        }
        return new long[]{rss, hwm};
    }

    private static long kb(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
    }
}
