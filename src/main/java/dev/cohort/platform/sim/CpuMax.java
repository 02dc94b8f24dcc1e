package dev.cohort.platform.sim;

/**
 * A cgroup v2 {@code cpu.max} value: quota and period in µs, quota negative for {@code max}. Parsed and
 * printed in the kernel's text form, with the kernel's limits (quota ≥ 1000 µs, period 1000..1000000 µs).
 *
 * @param quotaUsec  CPU time allowed per period, µs; negative = unlimited
 * @param periodUsec the period, µs
 */
record CpuMax(long quotaUsec, long periodUsec) {
    static final long MIN_USEC = 1000;
    static final long MAX_PERIOD_USEC = 1_000_000;
    static final long DEFAULT_PERIOD_USEC = 100_000;

    /** Unlimited with the default period: what a new cgroup holds. */
    static CpuMax unlimited() {
        return new CpuMax(-1, DEFAULT_PERIOD_USEC);
    }

    /**
     * Parses {@code "$MAX $PERIOD"}, {@code "$MAX"} (keeping {@code currentPeriodUsec}) or {@code "max"}.
     *
     * @throws IllegalArgumentException saying what is wrong and what is allowed (the kernel says EINVAL)
     */
    static CpuMax parse(String text, long currentPeriodUsec) {
        String[] f = text.strip().split("\\s+");
        if (f.length == 0 || f.length > 2 || f[0].isEmpty()) {
            throw new IllegalArgumentException("'" + text.strip() + "' is not a cpu.max value (expected \"max\", "
                    + "\"<quota>\" or \"<quota|max> <period>\" in µs)");
        }
        long period = currentPeriodUsec;
        if (f.length == 2) {
            period = number(f[1], text);
            if (period < MIN_USEC || period > MAX_PERIOD_USEC) {
                throw new IllegalArgumentException("cpu.max period " + period + " µs is outside " + MIN_USEC + ".."
                        + MAX_PERIOD_USEC + " µs (Invalid argument)");
            }
        }
        if (f[0].equals("max")) {
            return new CpuMax(-1, period);
        }
        long quota = number(f[0], text);
        if (quota < MIN_USEC) {
            throw new IllegalArgumentException("cpu.max quota " + quota + " µs is below the minimum " + MIN_USEC
                    + " µs (Invalid argument)");
        }
        return new CpuMax(quota, period);
    }

    private static long number(String s, String text) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text.strip() + "' is not a cpu.max value: '" + s
                    + "' is not a whole number of µs (Invalid argument)");
        }
    }

    /** True when the quota is {@code max}. */
    boolean unlimitedQuota() {
        return quotaUsec < 0;
    }

    /** The kernel's text form, e.g. {@code max 100000} or {@code 50000 100000}. */
    String text() {
        return (quotaUsec < 0 ? "max" : Long.toString(quotaUsec)) + " " + periodUsec;
    }
}
