package dev.cohort.platform;

/**
 * What became of one {@link Setting} of a plan.
 *
 * @param setting   what was asked
 * @param outcome   what happened
 * @param requested the value written, in the knob's own text form (empty when not written)
 * @param applied   the value read back after writing (empty when not written)
 * @param detail    why it failed or was skipped; empty when applied as asked
 */
public record SettingResult(Setting setting, Outcome outcome, String requested, String applied, String detail) {

    /** What happened to a setting. */
    public enum Outcome {
        /** Written and read back as asked. */
        APPLIED,
        /** Written, but the kernel (or the simulated hardware) applied another value. */
        CLAMPED,
        /** The write failed; the knob keeps its previous value. */
        FAILED,
        /** This host has no such control; nothing written. */
        UNSUPPORTED,
        /**
         * Someone else changed the knob since cohort last wrote it: not written, and theirs (held as a manual
         * override) until released; {@link #applied()} is the value found.
         */
        CHANGED_BY_OTHER
    }

    /** Builds the result of a keeper write, comparing requested and applied in the backend's terms. */
    public static SettingResult of(Setting s, KnobWrite w, KnobIo io) {
        if (w.theirs() != null) {
            return new SettingResult(s, Outcome.CHANGED_BY_OTHER, w.requested(), w.theirs(), w.error());
        }
        if (!w.ok()) {
            return new SettingResult(s, Outcome.FAILED, w.requested(), "", w.error());
        }
        if (io.sameValue(w.knob(), w.requested(), w.applied())) {
            return new SettingResult(s, Outcome.APPLIED, w.requested(), w.applied(), "");
        }
        return new SettingResult(s, Outcome.CLAMPED, w.requested(), w.applied(),
                "requested " + w.requested() + ", applied " + w.applied());
    }

    /** A setting this host cannot apply. */
    public static SettingResult unsupported(Setting s, String why) {
        return new SettingResult(s, Outcome.UNSUPPORTED, "", "", why);
    }
}
