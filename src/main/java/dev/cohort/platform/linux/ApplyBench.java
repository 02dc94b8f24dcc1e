package dev.cohort.platform.linux;

import dev.cohort.platform.CgroupRole;
import dev.cohort.platform.ControlPlan;
import dev.cohort.platform.CpuSet;
import dev.cohort.platform.Setting;
import dev.cohort.platform.StateFile;
import dev.cohort.platform.StateStore;
import dev.cohort.platform.Topology;
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

/**
 * Times {@link LinuxPlatform#apply} on a generated fake tree when every frequency domain and the best-effort quota
 * change at once (the worst tick for the keeper: each write is checked against the knob, announced, written and read
 * back), with the state file on a tmpfs as {@code /run/cohort} is, and with the state kept in memory for comparison.
 */
public final class ApplyBench {
    private ApplyBench() {
    }

    /**
     * The timing of one run.
     *
     * @param store where originals and announcements went
     * @param knobs knob writes per apply
     */
    public record Result(String store, int cpus, int knobs, int iterations, double medianUs, double p99Us, double maxUs) {
        @Override
        public String toString() {
            return String.format("apply() of %d knob writes on a %d-CPU fake tree, state %s: %d iterations: median %.1f µs "
                    + "(%.2f µs a knob), p99 %.1f µs, max %.1f µs", knobs, cpus, store, iterations, medianUs, medianUs / knobs,
                    p99Us, maxUs);
        }
    }

    /** Runs with the state in a file (on /dev/shm when it exists) and in memory; deletes the tree. */
    public static List<Result> fakeTree(int cpus, int iterations) throws IOException {
        Path shm = Path.of("/dev/shm");
        Path dir = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "cohort-apply-")
                : Files.createTempDirectory("cohort-apply-");
        try {
            TreeSpec spec = TreeSpec.intelServer(cpus, cpus % 2 == 0 ? 2 : 1);
            List<Result> out = new ArrayList<>();
            Path state = dir.resolve("run/state.json");
            out.add(run(dir.resolve("a"), spec, new StateFile(state), "file " + state.getFileSystem().provider().getScheme()
                    + ":" + (state.startsWith(shm) ? "/dev/shm (tmpfs)" : "temp dir"), iterations));
            out.add(run(dir.resolve("b"), spec, StateStore.inMemory(), "in memory", iterations));
            return out;
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(x);
                }
            }
        }
    }

    private static Result run(Path root, TreeSpec spec, StateStore store, String what, int iterations) throws IOException {
        FakeTreeWriter.write(root, spec);
        List<ManagedCgroup> groups = List.of(
                new ManagedCgroup("web", spec.cgroupPaths().get(0), CgroupRole.LATENCY_CRITICAL, 5000, 0.99),
                ManagedCgroup.bestEffort("batch", spec.cgroupPaths().get(1)));
        var o = new LinuxPlatform.Options(root, groups, "cohort-be", CpuSet.empty(), store, false);
        try (LinuxPlatform p = new LinuxPlatform(o)) {
            List<List<Setting>> plans = List.of(plan(p.topology(), 0.5), plan(p.topology(), 0.8));
            for (int i = 0; i < Math.max(50, iterations / 5); i++) {
                p.apply(new ControlPlan(i, plans.get(i % 2)));
            }
            long[] ns = new long[iterations];
            for (int i = 0; i < iterations; i++) {
                List<Setting> plan = plans.get(i % 2);
                long t0 = System.nanoTime();
                p.apply(new ControlPlan(i, plan));
                ns[i] = System.nanoTime() - t0;
            }
            p.restore(true);
            Arrays.sort(ns);
            return new Result(what, p.topology().cpuCount(), plans.getFirst().size(), iterations, ns[iterations / 2] / 1e3,
                    ns[Math.min(iterations - 1, (int) Math.ceil(iterations * 0.99) - 1)] / 1e3, ns[iterations - 1] / 1e3);
        }
    }

    /** Every domain's maximum at {@code fraction} of its range, and the best-effort quota at that share of its CPUs. */
    private static List<Setting> plan(Topology t, double fraction) {
        List<Setting> out = new ArrayList<>();
        for (int d = 0; d < t.frequencyDomains().size(); d++) {
            Topology.FrequencyDomain fd = t.frequencyDomains().get(d);
            long khz = fd.minKhz() + Math.round((fd.maxKhz() - fd.minKhz()) * fraction / 100_000.0) * 100_000;
            out.add(new Setting.FreqMaxKhz(d, Math.min(fd.maxKhz(), khz)));
        }
        out.add(new Setting.CpuMaxUsec(1, Math.round(t.cpuCount() * fraction * 100_000), 100_000));
        return out;
    }
}
