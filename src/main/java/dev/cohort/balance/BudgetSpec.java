package dev.cohort.balance;

import java.util.Locale;

/**
 * A power budget as an operator writes it: watts ({@code 120W}, or a bare {@code 120}), or a percent ({@code 80%}) of
 * a reference the caller names (the TDP on a host; in {@code simulate} and {@code evaluate}, the mean power the same
 * policy draws with no budget on that scenario and seed, so that the budget binds).
 */
public sealed interface BudgetSpec {

    /** The budget in watts, given the reference a percent is of. */
    double watts(double referenceWatts);

    /** A budget in watts. */
    record Watts(double watts) implements BudgetSpec {
        public double watts(double referenceWatts) {
            return watts;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%sW", strip(watts));
        }
    }

    /** A budget as a percent of a reference power. */
    record Percent(double percent) implements BudgetSpec {
        public double watts(double referenceWatts) {
            return referenceWatts * percent / 100;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s%%", strip(percent));
        }
    }

    /**
     * Parses {@code 120W}, {@code 120.5 W}, {@code 120} (watts) or {@code 80%}.
     *
     * @throws IllegalArgumentException with a one-line message naming the value and the forms allowed
     */
    static BudgetSpec parse(String text) {
        String t = text == null ? "" : text.strip();
        String forms = " (give watts, e.g. 120W, or a percent, e.g. 80%)";
        try {
            if (t.endsWith("%")) {
                double p = Double.parseDouble(t.substring(0, t.length() - 1).strip());
                if (!(p > 0 && p <= 100)) {
                    throw new IllegalArgumentException("power budget '" + text + "': a percent must be above 0 and at most 100");
                }
                return new Percent(p);
            }
            String w = t.endsWith("W") || t.endsWith("w") ? t.substring(0, t.length() - 1).strip() : t;
            double watts = Double.parseDouble(w);
            if (!(watts > 0) || Double.isInfinite(watts)) {
                throw new IllegalArgumentException("power budget '" + text + "' must be a positive number of watts" + forms);
            }
            return new Watts(watts);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("power budget '" + text + "' is not a power" + forms);
        }
    }

    private static String strip(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
