package dev.cohort.service;

import dev.cohort.platform.RestoreReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A restore report as lines for people: one per knob, then a count. */
public final class RestoreLines {
    private RestoreLines() {
    }

    /** One line per knob ({@code restored /sys/.../scaling_max_freq to 3900000 (was 2400000)}) and a summary. */
    public static List<String> of(RestoreReport r) {
        List<String> out = new ArrayList<>();
        for (RestoreReport.Entry e : r.entries()) {
            String what = e.description() == null || e.description().isBlank() ? e.id() : e.id() + " (" + e.description() + ")";
            out.add(switch (e.outcome()) {
                case RESTORED -> "restored " + what + " to '" + e.original() + "' (was '" + e.found() + "')";
                case ALREADY_ORIGINAL -> "unchanged " + what + ": already '" + e.original() + "'";
                case CHANGED_BY_OTHER -> "left " + what + ": " + e.detail();
                case FAILED -> "FAILED " + what + ": " + e.detail();
            });
        }
        out.add(String.format(Locale.ROOT, "restore: %d restored, %d already original, %d changed by someone else, %d failed",
                r.count(RestoreReport.Outcome.RESTORED), r.count(RestoreReport.Outcome.ALREADY_ORIGINAL),
                r.count(RestoreReport.Outcome.CHANGED_BY_OTHER), r.count(RestoreReport.Outcome.FAILED)));
        return out;
    }
}
