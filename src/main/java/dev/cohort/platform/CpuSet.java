package dev.cohort.platform;

import java.util.Arrays;

/**
 * An immutable, sorted set of logical CPU numbers, printed and parsed in the kernel's cpulist form
 * ({@code 0-3,8-11}). Backed by an {@code int[]} because the control tick walks these sets every tick.
 */
public final class CpuSet {
    private static final CpuSet EMPTY = new CpuSet(new int[0]);
    private final int[] cpus;

    private CpuSet(int[] sortedDistinct) {
        this.cpus = sortedDistinct;
    }

    /** The empty set. */
    public static CpuSet empty() {
        return EMPTY;
    }

    /** A set of the given CPUs, in any order, duplicates dropped. */
    public static CpuSet of(int... cpus) {
        int[] c = Arrays.stream(cpus).sorted().distinct().toArray();
        for (int v : c) {
            if (v < 0) {
                throw new IllegalArgumentException("CPU number must not be negative: " + v);
            }
        }
        return c.length == 0 ? EMPTY : new CpuSet(c);
    }

    /** CPUs {@code first..first+count-1}. */
    public static CpuSet range(int first, int count) {
        int[] c = new int[count];
        for (int i = 0; i < count; i++) {
            c[i] = first + i;
        }
        return count == 0 ? EMPTY : new CpuSet(c);
    }

    /**
     * Parses a kernel cpulist: comma-separated numbers or inclusive ranges, whitespace and a trailing
     * newline ignored; an empty string is the empty set (as {@code /sys/devices/system/cpu/offline} prints).
     *
     * @throws IllegalArgumentException naming the text when it is not a cpulist
     */
    public static CpuSet parse(String text) {
        return parse(text, Integer.MAX_VALUE - 1);
    }

    /**
     * Parses a cpulist whose CPU numbers may not pass {@code maxCpu}: a bound checked before any range is expanded,
     * so text from a person ({@code 0-2000000000}) cannot exhaust memory.
     *
     * @throws IllegalArgumentException naming the text when it is not a cpulist or names a CPU above {@code maxCpu}
     */
    public static CpuSet parse(String text, int maxCpu) {
        String t = text.strip();
        if (t.isEmpty()) {
            return EMPTY;
        }
        var out = new java.util.BitSet();
        for (String part : t.split(",")) {
            String p = part.strip();
            try {
                int dash = p.indexOf('-');
                if (dash < 0) {
                    int c = Integer.parseInt(p);
                    if (c > maxCpu) {
                        throw new IllegalArgumentException("CPU " + c + " in cpulist '" + t + "' is past CPU " + maxCpu
                                + " (at most " + (maxCpu + 1L) + " CPUs)");
                    }
                    out.set(c);
                } else {
                    int lo = Integer.parseInt(p.substring(0, dash).strip());
                    int hi = Integer.parseInt(p.substring(dash + 1).strip());
                    if (hi < lo) {
                        throw new IllegalArgumentException("CPU range '" + p + "' runs backwards in cpulist '" + t + "'");
                    }
                    if (hi > maxCpu) {
                        throw new IllegalArgumentException("CPU range '" + p + "' in cpulist '" + t + "' goes past CPU " + maxCpu
                                + " (at most " + (maxCpu + 1L) + " CPUs)");
                    }
                    out.set(lo, hi + 1);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + p + "' is not a CPU number or range in cpulist '" + t
                        + "' (expected a form like 0-3,8)");
            }
        }
        int[] c = out.stream().toArray();
        return c.length == 0 ? EMPTY : new CpuSet(c);
    }

    /** Number of CPUs in the set. */
    public int size() {
        return cpus.length;
    }

    /** True when the set has no CPUs. */
    public boolean isEmpty() {
        return cpus.length == 0;
    }

    /** The i-th CPU in ascending order. */
    public int get(int i) {
        return cpus[i];
    }

    /** True when {@code cpu} is in the set. */
    public boolean contains(int cpu) {
        return Arrays.binarySearch(cpus, cpu) >= 0;
    }

    /** True when the two sets share at least one CPU. */
    public boolean intersects(CpuSet other) {
        for (int c : cpus) {
            if (other.contains(c)) {
                return true;
            }
        }
        return false;
    }

    /** The CPUs as a fresh array, ascending. */
    public int[] toArray() {
        return cpus.clone();
    }

    /** Union of the two sets. */
    public CpuSet union(CpuSet other) {
        int[] all = Arrays.copyOf(cpus, cpus.length + other.cpus.length);
        System.arraycopy(other.cpus, 0, all, cpus.length, other.cpus.length);
        return of(all);
    }

    /** The kernel cpulist form, e.g. {@code 0-3,8}; empty string for the empty set. */
    @Override
    public String toString() {
        var sb = new StringBuilder();
        int i = 0;
        while (i < cpus.length) {
            int j = i;
            while (j + 1 < cpus.length && cpus[j + 1] == cpus[j] + 1) {
                j++;
            }
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            sb.append(cpus[i]);
            if (j > i) {
                sb.append('-').append(cpus[j]);
            }
            i = j + 1;
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CpuSet other && Arrays.equals(cpus, other.cpus);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(cpus);
    }
}
