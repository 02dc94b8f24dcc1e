package dev.cohort.learn.env;

import dev.cohort.platform.CpuSet;
import dev.cohort.platform.sim.BatchSpec;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.ServiceSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The best-effort mix an episode runs, drawn by weight: the scenario's jobs as written, none, all CPU-bound, all
 * memory-streaming, or both kinds. A job whose kind changes takes that kind's IPC, misses and memory-level parallelism
 * ({@link BatchSpec.Kind}); its CPUs, weight and quota stay. A scenario without jobs gets one where best-effort work
 * would go: the CPUs no service uses, or when there are none, the services' own CPUs (shared, as in
 * {@code colocation}). "Both" alternates the kinds over two or more jobs, and splits a single job (or the place of an
 * added one) in two halves, the lower CPU-bound. A scenario without services keeps its jobs under "none" (an empty
 * machine teaches nothing).
 *
 * @param asWritten weight of the jobs as the file writes them
 * @param none      weight of no best-effort work
 * @param cpu       weight of CPU-bound jobs only
 * @param stream    weight of memory-streaming jobs only
 * @param both      weight of both kinds
 */
public record BatchMix(double asWritten, double none, double cpu, double stream, double both) {
    /** The jobs as written, always. */
    public static final BatchMix AS_WRITTEN = new BatchMix(1, 0, 0, 0, 0);

    /** What one episode runs. */
    public enum Choice { AS_WRITTEN, NONE, CPU, STREAM, BOTH }

    public BatchMix {
        double[] w = {asWritten, none, cpu, stream, both};
        double sum = 0;
        for (double x : w) {
            if (!(x >= 0 && x < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("batch mix weights must be finite and at least 0, got " + x);
            }
            sum += x;
        }
        if (!(sum > 0)) {
            throw new IllegalArgumentException("at least one batch mix weight must be positive");
        }
    }

    /** Whether anything but the file's jobs can be drawn. */
    public boolean varies() {
        return none + cpu + stream + both > 0;
    }

    /** One episode's mix, by weight (one draw from {@code rng}). */
    public Choice draw(RandomGenerator rng) {
        double[] w = {asWritten, none, cpu, stream, both};
        double u = rng.nextDouble() * (asWritten + none + cpu + stream + both);
        for (int i = 0; i < w.length - 1; i++) {
            if (u < w[i]) {
                return Choice.values()[i];
            }
            u -= w[i];
        }
        return Choice.BOTH;
    }

    /** {@code s}'s batch jobs under {@code c}. */
    public static List<BatchSpec> jobs(Scenario s, Choice c) {
        List<BatchSpec> jobs = s.batchJobs();
        Set<String> names = new HashSet<>();
        s.services().forEach(v -> names.add(v.name()));
        jobs.forEach(b -> names.add(b.name()));
        return switch (c) {
            case AS_WRITTEN -> jobs;
            case NONE -> s.services().isEmpty() ? jobs : List.of();
            case CPU, STREAM -> {
                BatchSpec.Kind k = c == Choice.CPU ? BatchSpec.Kind.CPU : BatchSpec.Kind.STREAM;
                yield jobs.isEmpty() ? List.of(added(unique("be-" + lower(k), names), place(s), k))
                        : jobs.stream().map(b -> withKind(b, k)).toList();
            }
            case BOTH -> {
                if (jobs.size() >= 2) {
                    List<BatchSpec> out = new ArrayList<>();
                    for (int i = 0; i < jobs.size(); i++) {
                        out.add(withKind(jobs.get(i), i % 2 == 0 ? BatchSpec.Kind.CPU : BatchSpec.Kind.STREAM));
                    }
                    yield out;
                }
                BatchSpec one = jobs.isEmpty() ? added(unique("be-cpu", names), place(s), BatchSpec.Kind.CPU) : jobs.getFirst();
                yield split(one, names);
            }
        };
    }

    /** A job in two halves, the lower CPU-bound and the upper streaming; the half of its own kind keeps its name. */
    private static List<BatchSpec> split(BatchSpec b, Set<String> names) {
        if (b.cpus().size() < 2) {
            return List.of(withKind(b, BatchSpec.Kind.CPU)); // one CPU cannot hold two jobs
        }
        int[] c = b.cpus().toArray();
        int half = c.length / 2;
        CpuSet low = CpuSet.of(java.util.Arrays.copyOfRange(c, 0, half));
        CpuSet high = CpuSet.of(java.util.Arrays.copyOfRange(c, half, c.length));
        boolean cpuKeepsName = b.kind() == BatchSpec.Kind.CPU;
        String cpuName = cpuKeepsName ? b.name() : unique(b.name() + "-cpu", names);
        String streamName = cpuKeepsName ? unique(b.name() + "-stream", names) : b.name();
        return List.of(on(withKind(b, BatchSpec.Kind.CPU), cpuName, low), on(withKind(b, BatchSpec.Kind.STREAM), streamName, high));
    }

    /** Where a scenario without jobs gets one: the CPUs no service uses, else the services' CPUs; never reserved ones. */
    static CpuSet place(Scenario s) {
        int n = s.machine().cpuCount();
        CpuSet used = CpuSet.empty();
        for (ServiceSpec v : s.services()) {
            used = used.union(v.cpus());
        }
        CpuSet reserved = s.machine().reservedCpus();
        List<Integer> free = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            if (!used.contains(c) && !reserved.contains(c)) {
                free.add(c);
            }
        }
        if (free.isEmpty()) {
            for (int c : used.toArray()) {
                if (!reserved.contains(c)) {
                    free.add(c);
                }
            }
        }
        return CpuSet.of(free.stream().mapToInt(Integer::intValue).toArray());
    }

    private static BatchSpec added(String name, CpuSet cpus, BatchSpec.Kind k) {
        return new BatchSpec(name, cpus, k, k.defaultIpc(), k.defaultMpki(), k.defaultMlp(), 100, -1, 100_000);
    }

    private static BatchSpec withKind(BatchSpec b, BatchSpec.Kind k) {
        return b.kind() == k ? b : new BatchSpec(b.name(), b.cpus(), k, k.defaultIpc(), k.defaultMpki(), k.defaultMlp(),
                b.cpuWeight(), b.quotaUsec(), b.periodUsec());
    }

    private static BatchSpec on(BatchSpec b, String name, CpuSet cpus) {
        return new BatchSpec(name, cpus, b.kind(), b.ipc(), b.mpki(), b.mlp(), b.cpuWeight(), b.quotaUsec(), b.periodUsec());
    }

    /** {@code want}, or {@code want-2}, {@code want-3}... if taken; the name is then taken. */
    static String unique(String want, Set<String> taken) {
        String n = want;
        for (int i = 2; taken.contains(n); i++) {
            n = want + "-" + i;
        }
        taken.add(n);
        return n;
    }

    private static String lower(BatchSpec.Kind k) {
        return k.name().toLowerCase(Locale.ROOT);
    }

    /** The weights for people: {@code as written 2, none 1, cpu 1, stream 1, both 1} (zero weights left out). */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        String[] names = {"as written", "none", "cpu", "stream", "both"};
        double[] w = {asWritten, none, cpu, stream, both};
        for (int i = 0; i < w.length; i++) {
            if (w[i] > 0) {
                parts.add(names[i] + " " + dev.cohort.platform.Readable.number(w[i]));
            }
        }
        return String.join(", ", parts);
    }
}
