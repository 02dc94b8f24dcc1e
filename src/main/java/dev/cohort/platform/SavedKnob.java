package dev.cohort.platform;

import java.util.ArrayList;
import java.util.List;

/**
 * One knob in the state file: its value before cohort first wrote it, what cohort last wrote, what cohort was about to
 * write, and whether someone else has taken it over.
 *
 * @param id          {@link Knob#id()}
 * @param description {@link Knob#description()}
 * @param original    the value found before the first write
 * @param lastWritten the value read back after cohort's most recent write; null before any write succeeded
 * @param intended    values cohort announced before writing them and has not yet seen read back: after a crash
 *                    between the announcement and the next save, the knob may hold any of them, and each is still
 *                    cohort's own value, not an operator's
 * @param left        the value found when someone else was seen to have changed the knob (a value cohort never
 *                    wrote): the knob is theirs, kept here with its original until {@code cohort restore --force}
 *                    or {@code --forget}; null while cohort holds it
 */
public record SavedKnob(String id, String description, String original, String lastWritten, List<String> intended,
                        String left) {

    public SavedKnob {
        intended = intended == null ? List.of() : List.copyOf(intended);
    }

    /** A knob just saved, before its first write. */
    public static SavedKnob first(Knob k, String original) {
        return new SavedKnob(k.id(), k.description(), original, null, List.of(), null);
    }

    public Knob knob() {
        return new Knob(id, description);
    }

    /** True when someone else holds it. */
    public boolean isLeft() {
        return left != null;
    }

    /** After a write read back as {@code value}: the announcements are settled. */
    public SavedKnob withLastWritten(String value) {
        return new SavedKnob(id, description, original, value, List.of(), null);
    }

    /** With {@code value} announced as about to be written. */
    public SavedKnob withIntended(String value) {
        List<String> v = new ArrayList<>(intended);
        v.add(value);
        return new SavedKnob(id, description, original, lastWritten, v, left);
    }

    /** Marked as someone else's, holding {@code found}. */
    public SavedKnob withLeft(String found) {
        return new SavedKnob(id, description, original, lastWritten, intended, found);
    }
}
