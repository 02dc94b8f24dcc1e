package dev.cohort.platform;

import java.util.Locale;

/**
 * Numbers for people: the one formatter for every text cohort prints (reports, tables, messages, plot labels).
 * Each value is shown with about three significant digits and an SI prefix chosen for it: {@code 11.3 s},
 * {@code 2.72 ms}, {@code 812 µs} (never {@code us}), {@code 6.7%}, {@code 28.2 W}, {@code 1.69 kJ},
 * {@code 2.4 GHz}, {@code 384,750}. A value that is absent (NaN) prints as {@value #ABSENT}. Machine-readable
 * output (JSON, CSV) does not use this class: it keeps SI units named in its keys.
 * Stateless and thread-safe.
 */
public final class Readable {
    /** What an absent (NaN) value prints as. */
    public static final String ABSENT = "n/a";

    private static final String[] SMALL = {"", "m", "µ", "n"};
    private static final String[] LARGE = {"", "k", "M", "G", "T"};

    private Readable() {
    }

    /** A duration in seconds: {@code 34.6 s}, {@code 2.72 ms}, {@code 812 µs}, {@code 12.5 min}, {@code 2.5 h}. */
    public static String seconds(double s) {
        if (!Double.isFinite(s)) {
            return ABSENT;
        }
        double a = Math.abs(s);
        if (a >= 2 * 3600) {
            return digits(s / 3600) + " h";
        }
        if (a >= 120) {
            return digits(s / 60) + " min";
        }
        return small(s, "s");
    }

    /** A duration in nanoseconds. */
    public static String nanos(double ns) {
        return seconds(ns / 1e9);
    }

    /** A duration in milliseconds. */
    public static String millis(double ms) {
        return seconds(ms / 1e3);
    }

    /** A duration in microseconds. */
    public static String micros(double us) {
        return seconds(us / 1e6);
    }

    /** A fraction as a percentage: 0.0671 → {@code 6.7%}; below 0.1% two significant digits ({@code 0.042%}). */
    public static String share(double fraction) {
        if (!Double.isFinite(fraction)) {
            return ABSENT;
        }
        double p = fraction * 100;
        double a = Math.abs(p);
        if (a == 0) {
            return "0%";
        }
        return trim(String.format(Locale.ROOT, a < 0.1 ? "%.2g" : "%.1f", p)) + "%";
    }

    /** A power in watts: {@code 28.2 W}, {@code 950 mW}, {@code 1.2 kW}. */
    public static String watts(double w) {
        return si(w, "W");
    }

    /** An energy in joules: {@code 1.69 kJ}, {@code 950 J}. */
    public static String joules(double j) {
        return si(j, "J");
    }

    /** A frequency in hertz: {@code 2.4 GHz}, {@code 800 MHz}. */
    public static String hertz(double hz) {
        return si(hz, "Hz");
    }

    /** A frequency in kilohertz, as the kernel's cpufreq files give it. */
    public static String kilohertz(double khz) {
        return hertz(khz * 1e3);
    }

    /** A count with thousands grouping: {@code 384,750}. */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A plain number with about three significant digits, thousands grouped ({@code 12,400}, {@code 0.0312}). */
    public static String number(double v) {
        if (!Double.isFinite(v)) {
            return ABSENT;
        }
        double a = Math.abs(v);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a != 0 && a < 1) {
            String g = String.format(Locale.ROOT, "%.3g", v);
            return g.contains("e") ? g : trim(g);
        }
        return digits(v);
    }

    /**
     * {@code v} rounded up to a multiple of a round step (1, 2 or 5 × 10^k, about a tenth of {@code v}): where a plot's
     * axis should end so that it ends on a labelled tick (179.9 → 180, 601 → 700); 1 when {@code v} is not positive.
     */
    public static double roundUp(double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v / 10)));
        double step = v / 10 <= p ? p : v / 10 <= 2 * p ? 2 * p : v / 10 <= 5 * p ? 5 * p : 10 * p;
        return Math.ceil(v / step - 1e-9) * step;
    }

    /** A value with a unit and an SI prefix from n to T. */
    public static String si(double v, String unit) {
        if (!Double.isFinite(v)) {
            return ABSENT;
        }
        double a = Math.abs(v);
        if (a >= 1 || a == 0) {
            int k = 0;
            while (k < LARGE.length - 1 && Math.abs(round3(v)) >= 1000) {
                v /= 1000;
                k++;
            }
            return digits(v) + " " + LARGE[k] + unit;
        }
        return small(v, unit);
    }

    private static String small(double v, String unit) {
        int k = 0;
        while (k < SMALL.length - 1 && v != 0 && Math.abs(round3(v)) < 1) {
            v *= 1000;
            k++;
        }
        if (k == 0 && Math.abs(round3(v)) >= 1000 && !unit.equals("s")) {
            return si(v, unit);
        }
        return digits(v) + " " + SMALL[k] + unit;
    }

    /** Three significant digits, trailing zeros dropped: 11.34 → 11.3, 2.40 → 2.4, 812.4 → 812. */
    static String digits(double v) {
        double a = Math.abs(round3(v));
        String s = a >= 100 ? String.format(Locale.ROOT, "%.0f", v)
                : a >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
        return trim(s);
    }

    /** The value as {@link #digits} would round it, so 999.7 moves to the next prefix as 1 k. */
    private static double round3(double v) {
        if (v == 0) {
            return 0;
        }
        double a = Math.abs(v);
        int scale = 2 - (int) Math.floor(Math.log10(a));
        double f = Math.pow(10, scale);
        return Math.signum(v) * Math.round(a * f) / f;
    }

    private static String trim(String s) {
        if (s.indexOf('.') < 0) {
            return s;
        }
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
