package dev.cohort.platform;

/**
 * What happened to one knob write: the value asked for and the value the knob holds afterwards.
 *
 * @param knob      the knob
 * @param requested the text written
 * @param applied   the text read back after writing; null when the write failed or was refused
 * @param error     why the write failed or was refused, or null
 * @param theirs    the value found when someone else had changed the knob since cohort's last write (so it was not
 *                  written and is theirs); null otherwise
 */
public record KnobWrite(Knob knob, String requested, String applied, String error, String theirs) {

    /** True when the write succeeded (the value may still have been clamped: compare requested and applied). */
    public boolean ok() {
        return error == null;
    }

    static KnobWrite failed(Knob knob, String requested, String error) {
        return new KnobWrite(knob, requested, null, error, null);
    }

    static KnobWrite theirs(Knob knob, String requested, String found, String why) {
        return new KnobWrite(knob, requested, null, why, found);
    }
}
