package dev.cohort.platform.linux;

import dev.cohort.platform.CpuSet;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Bounded parsers for the value formats several kernel interfaces share (cpulists, CPU lists of cpufreq,
 * decimal numbers), so that a captured or damaged tree costs one signal with a reason naming the file instead
 * of a {@link NumberFormatException} naming nothing, or an {@link OutOfMemoryError} for {@code 0-2000000000}.
 * Each parser throws {@link IllegalArgumentException} saying what is wrong with the text; {@link #bad} turns
 * that into the {@link KernelIoException} a reader throws, naming the file.
 */
final class KernelText {
    /** The most CPUs a kernel can have (x86 NR_CPUS maximum); no CPU list may name CPU {@code MAX_CPUS} or above. */
    static final int MAX_CPUS = 8192;

    private KernelText() {
    }

    /**
     * Parses a CPU list: numbers and inclusive ranges {@code a-b}, separated by commas or whitespace, so both the
     * cpulist form ({@code 0-3,8}, §5.3) and cpufreq's space-separated form ({@code 0 1 2 3}) are read.
     *
     * @param limit every CPU must be below this (at most {@link #MAX_CPUS})
     * @throws IllegalArgumentException saying what is wrong (not a number, a backward range, a CPU beyond limit)
     */
    static CpuSet cpus(String text, int limit) {
        int bound = Math.min(limit, MAX_CPUS);
        String t = text.strip();
        if (t.isEmpty()) {
            return CpuSet.empty();
        }
        boolean[] seen = new boolean[bound];
        for (String part : t.split("[,\\s]+")) {
            int dash = part.indexOf('-', 1);
            int lo = cpu(dash < 0 ? part : part.substring(0, dash), bound, t);
            int hi = dash < 0 ? lo : cpu(part.substring(dash + 1), bound, t);
            if (hi < lo) {
                throw new IllegalArgumentException("CPU range " + shown(part) + " runs backwards in " + shown(t));
            }
            Arrays.fill(seen, lo, hi + 1, true);
        }
        int[] out = new int[bound];
        int n = 0;
        for (int c = 0; c < bound; c++) {
            if (seen[c]) {
                out[n++] = c;
            }
        }
        return CpuSet.of(Arrays.copyOf(out, n));
    }

    private static int cpu(String s, int bound, String whole) {
        long v = number(s, 0, Long.MAX_VALUE, whole);
        if (v >= bound) {
            throw new IllegalArgumentException("CPU " + v + " in " + shown(whole) + " is beyond the last possible CPU "
                    + (bound - 1));
        }
        return (int) v;
    }

    /**
     * Parses a decimal number in {@code [min, max]}, surrounding whitespace ignored.
     *
     * @throws IllegalArgumentException when the text is not such a number
     */
    static long number(String text, long min, long max) {
        return number(text.strip(), min, max, text.strip());
    }

    private static long number(String s, long min, long max, String whole) {
        long v;
        try {
            v = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(shown(s) + " is not a number"
                    + (s.equals(whole) ? "" : " in " + shown(whole)));
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(v + " is outside " + min + ".." + max
                    + (s.equals(whole) ? "" : " in " + shown(whole)));
        }
        return v;
    }

    /** The text quoted for a message: control characters and bytes above ASCII as {@code ?}, at most 40 characters. */
    static String shown(String text) {
        StringBuilder b = new StringBuilder("'");
        for (int i = 0; i < text.length() && i < 40; i++) {
            char c = text.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.append(text.length() > 40 ? "...'" : "'").toString();
    }

    /** The exception a reader throws for a file whose content makes no sense: EINVAL, naming the file. */
    static KernelIoException bad(Path file, String problem) {
        return new KernelIoException(Errno.EINVAL, "read " + file + ": " + problem);
    }
}
