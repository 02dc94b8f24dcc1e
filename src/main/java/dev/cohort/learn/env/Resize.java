package dev.cohort.learn.env;

import dev.cohort.platform.CpuSet;
import dev.cohort.platform.sim.BatchSpec;
import dev.cohort.platform.sim.MachineSpec;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.ServiceSpec;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Moves a scenario onto a machine of another size, keeping where its services and batch jobs sit relative to each
 * other.
 *
 * <p>Each socket of the file is cut into <em>cells</em>: runs of consecutive CPUs that belong to the same services,
 * jobs and reserved set (in {@code membw}, 0–7 the service's, 8–15 the stream's; in {@code colocation} one cell,
 * 0–7, both's). The cells are laid out in order on the new socket, each given a share of its cores in proportion to
 * its length (largest remainders), and at least one core when anything runs on it; a set's new CPUs are its cells'.
 * So disjoint sets stay disjoint, sets that shared CPUs still share some, none is empty, and their order on the socket
 * is kept. A file of {@code s} sockets moves onto a machine of {@code k·s} sockets: the file's sockets map onto the
 * first {@code s}, and each further group of {@code s} sockets runs a copy of its workloads (services and jobs named
 * {@code web-2}, ... after the file's), so a one-socket scenario on two sockets runs on each socket as it did on one.
 *
 * <p>What a core stands for is kept: a service's arrival rates scale with its cores (its load stays), a job has a
 * thread per CPU as before, and each socket's memory bandwidth scales with its cores (a streaming job saturates it as
 * in the file). Frequency domains keep their width when it divides the new socket, else become per-core.
 */
final class Resize {
    private Resize() {
    }

    /** Whether {@code s} can move onto {@code size}: sockets a multiple of the file's, a core for every occupied cell. */
    static boolean fits(Scenario s, MachineSize size) {
        MachineSpec m = s.machine();
        if (size.sockets() % m.sockets() != 0) {
            return false;
        }
        List<CpuSet> sets = sets(s);
        for (int p = 0; p < m.sockets(); p++) {
            int occupied = 0;
            for (Cell c : cells(sets, p * m.coresPerSocket(), m.coresPerSocket())) {
                occupied += c.members().isEmpty() ? 0 : 1;
            }
            if (occupied > size.coresPerSocket()) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code s} on a machine of {@code size}; {@code s} itself when it already has that size.
     *
     * @throws IllegalArgumentException when it does not {@link #fits fit}
     */
    static Scenario to(Scenario s, MachineSize size) {
        MachineSpec m = s.machine();
        if (m.sockets() == size.sockets() && m.coresPerSocket() == size.coresPerSocket()) {
            return s;
        }
        if (!fits(s, size)) {
            throw new IllegalArgumentException(s.name() + " (" + m.sockets() + "x" + m.coresPerSocket() + ") does not fit a "
                    + size + " machine: sockets must be a multiple of the file's, with a core for each group of CPUs it uses");
        }
        List<CpuSet> sets = sets(s);
        int c0 = m.coresPerSocket();
        int cores = size.coresPerSocket();
        // images.get(i)[copy]: set i's CPUs in each copy
        List<List<CpuSet>> images = new ArrayList<>();
        for (int i = 0; i < sets.size(); i++) {
            images.add(new ArrayList<>());
        }
        int copies = size.sockets() / m.sockets();
        for (int k = 0; k < copies; k++) {
            List<List<Integer>> cpus = new ArrayList<>();
            for (int i = 0; i < sets.size(); i++) {
                cpus.add(new ArrayList<>());
            }
            for (int p = 0; p < m.sockets(); p++) {
                List<Cell> cells = cells(sets, p * c0, c0);
                int[] alloc = apportion(cells, c0, cores);
                int next = (k * m.sockets() + p) * cores;
                for (int c = 0; c < cells.size(); c++) {
                    for (int i = cells.get(c).members().nextSetBit(0); i >= 0; i = cells.get(c).members().nextSetBit(i + 1)) {
                        for (int x = next; x < next + alloc[c]; x++) {
                            cpus.get(i).add(x);
                        }
                    }
                    next += alloc[c];
                }
            }
            for (int i = 0; i < sets.size(); i++) {
                images.get(i).add(CpuSet.of(cpus.get(i).stream().mapToInt(Integer::intValue).toArray()));
            }
        }
        return rebuilt(s, size, images, copies);
    }

    private static Scenario rebuilt(Scenario s, MachineSize size, List<List<CpuSet>> images, int copies) {
        Set<String> names = new HashSet<>();
        s.services().forEach(v -> names.add(v.name()));
        s.batchJobs().forEach(b -> names.add(b.name()));
        int nSvc = s.services().size();
        List<ServiceSpec> services = new ArrayList<>();
        List<BatchSpec> jobs = new ArrayList<>();
        for (int k = 0; k < copies; k++) {
            for (int i = 0; i < nSvc; i++) {
                ServiceSpec v = s.services().get(i);
                CpuSet cpus = images.get(i).get(k);
                services.add(new ServiceSpec(copyName(v.name(), k, names), cpus, v.sloUsec(), v.sloQuantile(), v.cpuWeight(),
                        v.quotaUsec(), v.periodUsec(), v.maxQueue(), v.request(),
                        v.arrivals().scaled((double) cpus.size() / v.cpus().size())));
            }
        }
        for (int k = 0; k < copies; k++) {
            for (int j = 0; j < s.batchJobs().size(); j++) {
                BatchSpec b = s.batchJobs().get(j);
                jobs.add(new BatchSpec(copyName(b.name(), k, names), images.get(nSvc + j).get(k), b.kind(), b.ipc(), b.mpki(), b.mlp(),
                        b.cpuWeight(), b.quotaUsec(), b.periodUsec()));
            }
        }
        CpuSet reserved = CpuSet.empty();
        for (CpuSet r : images.getLast()) {
            reserved = reserved.union(r);
        }
        MachineSpec m = s.machine();
        MachineSpec.Memory mem = m.memory();
        var memory = new MachineSpec.Memory(mem.peakGBps() * size.coresPerSocket() / m.coresPerSocket(), mem.coreMaxGBps(),
                mem.idleLatencyNanos(), mem.latencySlope(), mem.rhoMax(), mem.maxLatencyFactor(), mem.lineBytes(), mem.mba());
        int perDomain = size.coresPerSocket() % m.coresPerFreqDomain() == 0 ? m.coresPerFreqDomain() : 1;
        var machine = new MachineSpec(size.sockets(), size.coresPerSocket(), perDomain, reserved, m.dvfs(), m.power(), memory,
                m.raplRangeUj(), m.rapl());
        return new Scenario(s.name(), s.description(), s.durationNanos(), s.tickNanos(), s.stepNanos(), machine, services, jobs,
                s.origin() + " (on " + size + ")");
    }

    private static String copyName(String name, int copy, Set<String> taken) {
        return copy == 0 ? name : BatchMix.unique(name + "-" + (copy + 1), taken);
    }

    /** The services' CPU sets, then the jobs', then the reserved CPUs. */
    private static List<CpuSet> sets(Scenario s) {
        List<CpuSet> sets = new ArrayList<>();
        s.services().forEach(v -> sets.add(v.cpus()));
        s.batchJobs().forEach(b -> sets.add(b.cpus()));
        sets.add(s.machine().reservedCpus());
        return sets;
    }

    /** A run of consecutive CPUs of one socket in the same sets. */
    record Cell(int first, int length, BitSet members) {
    }

    /** The cells of CPUs {@code first..first+count-1}, in order. */
    static List<Cell> cells(List<CpuSet> sets, int first, int count) {
        List<Cell> out = new ArrayList<>();
        BitSet prev = null;
        int start = first;
        for (int x = first; x <= first + count; x++) {
            BitSet here = null;
            if (x < first + count) {
                here = new BitSet();
                for (int i = 0; i < sets.size(); i++) {
                    if (sets.get(i).contains(x)) {
                        here.set(i);
                    }
                }
            }
            if (prev != null && !prev.equals(here)) {
                out.add(new Cell(start, x - start, prev));
                start = x;
            }
            prev = here;
        }
        return out;
    }

    /**
     * Cores per cell on a socket of {@code cores}: proportional to the cells' lengths (of {@code c0}), at least one for a
     * cell anything runs on, the rest by largest remainder (ties to the lower cell); when the minimums overshoot, taken
     * back from the cells most over their share.
     */
    static int[] apportion(List<Cell> cells, int c0, int cores) {
        int n = cells.size();
        double[] quota = new double[n];
        int[] min = new int[n];
        int[] a = new int[n];
        int sum = 0;
        for (int c = 0; c < n; c++) {
            quota[c] = (double) cells.get(c).length() * cores / c0;
            min[c] = cells.get(c).members().isEmpty() ? 0 : 1;
            a[c] = Math.max(min[c], (int) Math.floor(quota[c] + 1e-9));
            sum += a[c];
        }
        while (sum < cores) {
            int best = -1;
            for (int c = 0; c < n; c++) {
                if (best < 0 || quota[c] - a[c] > quota[best] - a[best]) {
                    best = c;
                }
            }
            a[best]++;
            sum++;
        }
        while (sum > cores) {
            int worst = -1;
            for (int c = 0; c < n; c++) {
                if (a[c] > min[c] && (worst < 0 || quota[c] - a[c] <= quota[worst] - a[worst])) {
                    worst = c;
                }
            }
            a[worst]--;
            sum--;
        }
        return a;
    }
}
