package dev.cohort.platform;

/**
 * What happened to one knob write: the value asked for and the value the knob holds afterwards.
 *
 * @param knob      the knob
 * @param requested the text written
 * @param applied   the text read back after writing; null when the write failed
 * @param error     why the write failed, or null
 */
public record KnobWrite(Knob knob, String requested, String applied, String error) {

    /** True when the write succeeded (the value may still have been clamped: compare requested and applied). */
    public boolean ok() {
        return error == null;
    }

    static KnobWrite failed(Knob knob, String requested, String error) {
        return new KnobWrite(knob, requested, null, error);
    }
}
