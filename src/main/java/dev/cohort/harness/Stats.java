package dev.cohort.harness;

/** Mean and a two-sided 95% confidence interval (Student's t) of a small sample. */
public record Stats(int n, double mean, double halfWidth, double min, double max) {

    /** Two-sided 97.5% quantiles of Student's t for 1..30 degrees of freedom. */
    private static final double[] T975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
            2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
            2.060, 2.056, 2.052, 2.048, 2.045, 2.042};

    /** Stats of the finite values among {@code xs}; NaN mean when there are none, zero width with one. */
    public static Stats of(double[] xs) {
        int n = 0;
        double sum = 0;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double x : xs) {
            if (Double.isFinite(x)) {
                n++;
                sum += x;
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
        }
        if (n == 0) {
            return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double mean = sum / n;
        if (n == 1) {
            return new Stats(1, mean, 0, lo, hi);
        }
        double ss = 0;
        for (double x : xs) {
            if (Double.isFinite(x)) {
                ss += (x - mean) * (x - mean);
            }
        }
        double sd = Math.sqrt(ss / (n - 1));
        double t = n - 1 <= T975.length ? T975[n - 2] : 1.960;
        return new Stats(n, mean, t * sd / Math.sqrt(n), lo, hi);
    }

    /** {@code mean ± half-width} with a precision suited to the value. */
    public String format() {
        return format(Stats::fmt);
    }

    /** The mean ± half-width with each number written by {@code text} (e.g. {@link Metric#format}); "n/a" without runs. */
    public String format(java.util.function.DoubleFunction<String> text) {
        if (n == 0 || Double.isNaN(mean)) {
            return "n/a";
        }
        // A spread below a billionth of the value is rounding, not variation between runs.
        boolean none = !(halfWidth > 1e-9 * Math.max(1, Math.abs(mean)));
        return n == 1 ? text.apply(mean) : text.apply(mean) + " ± " + (none ? "0" : text.apply(halfWidth));
    }

    static String fmt(double v) {
        double a = Math.abs(v);
        if (a == 0) {
            return "0";
        }
        if (a >= 1000) {
            return String.format("%.0f", v);
        }
        if (a >= 10) {
            return String.format("%.1f", v);
        }
        if (a >= 0.1) {
            return String.format("%.3f", v);
        }
        return String.format("%.4f", v);
    }
}
