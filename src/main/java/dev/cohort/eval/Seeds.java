package dev.cohort.eval;

import dev.cohort.platform.CohortException;
import java.util.ArrayList;
import java.util.List;

/** Parses seed lists as users write them: {@code 5} (seeds 1..5), {@code 101-105}, or {@code 7,8,9}. */
public final class Seeds {
    private Seeds() {
    }

    /** The seeds {@code text} names. */
    public static long[] parse(String text) {
        String t = text.strip();
        try {
            if (t.matches("\\d+")) {
                int n = Integer.parseInt(t);
                if (n < 1) {
                    throw new CohortException("--seeds must be at least 1, got " + t);
                }
                long[] s = new long[n];
                for (int i = 0; i < n; i++) {
                    s[i] = i + 1;
                }
                return s;
            }
            List<Long> out = new ArrayList<>();
            for (String part : t.split(",")) {
                String p = part.strip();
                int dash = p.indexOf('-');
                if (dash > 0) {
                    long lo = Long.parseLong(p.substring(0, dash));
                    long hi = Long.parseLong(p.substring(dash + 1));
                    if (hi < lo) {
                        throw new NumberFormatException();
                    }
                    for (long s = lo; s <= hi; s++) {
                        out.add(s);
                    }
                } else {
                    out.add(Long.parseLong(p));
                }
            }
            return out.stream().mapToLong(Long::longValue).toArray();
        } catch (NumberFormatException e) {
            throw new CohortException("--seeds '" + text + "' is not a count (5), a range (101-105) or a list (7,8,9)");
        }
    }
}
