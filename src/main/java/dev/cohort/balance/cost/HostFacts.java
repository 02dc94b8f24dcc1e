package dev.cohort.balance.cost;

import dev.cohort.control.AgentLayout;
import dev.cohort.control.LayoutFacts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the cost estimator needs to know about a host besides its agents' observations: one row per core agent
 * (frequency domain) with its CPU count, package and frequency range; which quota and memory agents act on each row's
 * CPUs (and how many of its CPUs each covers); the package count and TDP. Observations are per agent and normalised;
 * these facts turn a row's normalised prediction back into watts and let one model serve 4 to 32 cores on 1 or 2
 * sockets. Immutable (the arrays are not exposed for writing by this package's readers).
 *
 * @param packages   number of packages
 * @param tdpWatts   TDP of all packages together, W (the controller's normaliser)
 * @param rowCpus    per core agent: its domain's CPU count
 * @param rowPackage per core agent: its package
 * @param rowMinKhz  per core agent: its domain's lowest frequency, kHz
 * @param rowMaxKhz  per core agent: its domain's highest frequency, kHz
 * @param rowQuota   per core agent: the quota agents whose cgroup holds some of its CPUs
 * @param rowMemory  per core agent: the memory agents whose domain holds some of its CPUs
 */
public record HostFacts(int packages, double tdpWatts, int[] rowCpus, int[] rowPackage, long[] rowMinKhz, long[] rowMaxKhz,
                        int[][] rowQuota, int[][] rowMemory) {

    public HostFacts {
        if (packages < 1 || !(tdpWatts > 0)) {
            throw new IllegalArgumentException("host facts need at least one package and a positive TDP, got " + packages
                    + " packages and " + tdpWatts + " W");
        }
        int n = rowCpus.length;
        if (rowPackage.length != n || rowMinKhz.length != n || rowMaxKhz.length != n || rowQuota.length != n
                || rowMemory.length != n) {
            throw new IllegalArgumentException("host facts: per-row arrays of different lengths");
        }
        for (int p : rowPackage) {
            if (p < 0 || p >= packages) {
                throw new IllegalArgumentException("host facts: row package " + p + " outside 0.." + (packages - 1));
            }
        }
    }

    /** The facts of the host {@code layout} describes, with the controller's TDP ({@code ControllerConfig.tdpWatts}). */
    public static HostFacts of(AgentLayout layout, double tdpWatts) {
        return of(LayoutFacts.of(layout, tdpWatts));
    }

    /** The facts as the controller (and a journal) records them. */
    public static HostFacts of(LayoutFacts f) {
        return new HostFacts(f.packages(), f.tdpWatts(), f.rowCpus(), f.rowPackage(), f.rowMinKhz(), f.rowMaxKhz(), f.rowQuota(),
                f.rowMemory());
    }

    /** Number of rows (core agents). */
    public int rows() {
        return rowCpus.length;
    }

    /** TDP of one package, W. */
    public double packageTdpWatts() {
        return tdpWatts / packages;
    }

    /** CPUs of package {@code p} that some row covers. */
    public int packageRowCpus(int p) {
        int s = 0;
        for (int r = 0; r < rowCpus.length; r++) {
            if (rowPackage[r] == p) {
                s += rowCpus[r];
            }
        }
        return s;
    }

    /** Row {@code r}'s share of its package's covered CPUs, 0..1. */
    public double rowShare(int r) {
        return (double) rowCpus[r] / Math.max(1, packageRowCpus(rowPackage[r]));
    }

    /** The watts a normalised row prediction of 1 stands for: the package's TDP times the row's share of it. */
    public double rowScaleWatts(int r) {
        return packageTdpWatts() * rowShare(r);
    }

    /** Packages with no row: their power cannot be estimated (no frequency control there). */
    public List<Integer> packagesWithoutRows() {
        List<Integer> out = new ArrayList<>();
        for (int p = 0; p < packages; p++) {
            if (packageRowCpus(p) == 0) {
                out.add(p);
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostFacts h && packages == h.packages && tdpWatts == h.tdpWatts && Arrays.equals(rowCpus, h.rowCpus)
                && Arrays.equals(rowPackage, h.rowPackage) && Arrays.equals(rowMinKhz, h.rowMinKhz)
                && Arrays.equals(rowMaxKhz, h.rowMaxKhz) && Arrays.deepEquals(rowQuota, h.rowQuota)
                && Arrays.deepEquals(rowMemory, h.rowMemory);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(rowCpus) * 31 + packages;
    }

    @Override
    public String toString() {
        return "HostFacts{" + packages + " packages, " + tdpWatts + " W TDP, " + rowCpus.length + " rows}";
    }
}
