package dev.cohort.platform;

/**
 * A knob's value before cohort first wrote it, and the value cohort last wrote (read back).
 *
 * @param id          {@link Knob#id()}
 * @param description {@link Knob#description()}
 * @param original    the value found before the first write
 * @param lastWritten the value read back after cohort's most recent write; null before any write succeeded
 */
public record SavedKnob(String id, String description, String original, String lastWritten) {

    public Knob knob() {
        return new Knob(id, description);
    }

    public SavedKnob withLastWritten(String value) {
        return new SavedKnob(id, description, original, value);
    }
}
