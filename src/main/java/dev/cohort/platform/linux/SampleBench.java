package dev.cohort.platform.linux;

import dev.cohort.platform.CgroupRole;
import dev.cohort.platform.CpuSet;
import dev.cohort.platform.StateStore;
import dev.cohort.platform.Telemetry;
import dev.cohort.platform.linux.faketree.FakeTreeWriter;
import dev.cohort.platform.linux.faketree.TreeSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Times {@link LinuxPlatform#sample()}: warm-up, then {@code iterations} timed samples; median, p99 and max. */
public final class SampleBench {
    private SampleBench() {
    }

    /**
     * The timing of one run.
     *
     * @param what   what was sampled
     * @param signals number of signals in a sample
     */
    public record Result(String what, int cpus, int signals, int iterations, double medianUs, double p99Us, double maxUs) {
        @Override
        public String toString() {
            return String.format("sample() of %s: %d CPUs, %d signals, %d iterations: median %.1f µs, p99 %.1f µs, max %.1f µs",
                    what, cpus, signals, iterations, medianUs, p99Us, maxUs);
        }
    }

    /** Samples the tree under {@code root} ({@code /}: this host, with perf counters). */
    public static Result tree(Path root, int iterations) {
        try (LinuxPlatform p = new LinuxPlatform(LinuxPlatform.Options.readOnly(root))) {
            return run(p, root.toString().equals("/") ? "this host" : root.toString(), iterations);
        }
    }

    /** Generates an Intel server tree of {@code cpus} CPUs (2 sockets) in a temp dir, samples it, deletes it. */
    public static Result fakeTree(int cpus, int iterations) throws IOException {
        Path dir = Files.createTempDirectory("cohort-fake-");
        try {
            TreeSpec spec = TreeSpec.intelServer(cpus, cpus % 2 == 0 ? 2 : 1);
            FakeTreeWriter.write(dir, spec);
            List<ManagedCgroup> groups = List.of(
                    new ManagedCgroup("web", spec.cgroupPaths().get(0), CgroupRole.LATENCY_CRITICAL, 5000, 0.99),
                    ManagedCgroup.bestEffort("batch", spec.cgroupPaths().get(1)));
            var o = new LinuxPlatform.Options(dir, groups, "cohort-be", CpuSet.empty(), StateStore.inMemory(), false);
            try (LinuxPlatform p = new LinuxPlatform(o)) {
                return run(p, "a " + cpus + "-CPU fake tree", iterations);
            }
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(x);
                }
            }
        }
    }

    static Result run(LinuxPlatform p, String what, int iterations) {
        int signals = 0;
        for (int i = 0; i < Math.max(200, iterations / 5); i++) {
            signals = count(p.sample());
        }
        long[] ns = new long[iterations];
        for (int i = 0; i < iterations; i++) {
            long t0 = System.nanoTime();
            p.sample();
            ns[i] = System.nanoTime() - t0;
        }
        Arrays.sort(ns);
        return new Result(what, p.topology().cpuCount(), signals, iterations, ns[iterations / 2] / 1e3,
                ns[Math.min(iterations - 1, (int) Math.ceil(iterations * 0.99) - 1)] / 1e3, ns[iterations - 1] / 1e3);
    }

    private static int count(Telemetry t) {
        List<dev.cohort.platform.Signal> present = new ArrayList<>();
        for (var s : dev.cohort.platform.Signal.values()) {
            if (t.has(s)) {
                present.add(s);
            }
        }
        return present.size();
    }
}
