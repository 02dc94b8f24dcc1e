package dev.cohort.platform;

import java.io.IOException;
import java.util.List;

/** Where saved original knob values live between the first write and the restore. */
public interface StateStore {

    /** Saved knobs in the order they were first written; empty when nothing is saved. */
    List<SavedKnob> load() throws IOException;

    /** Replaces the saved knobs, atomically: after a crash either the old or the new list is there, whole. */
    void save(List<SavedKnob> knobs) throws IOException;

    /**
     * Records durably that {@code value} is about to be written to {@code knob}, before it is: after a crash the knob
     * holding it is recognised as cohort's own write. {@code all} is the whole state with the announcement in it; the
     * default saves it whole, a store may append instead.
     */
    default void intend(List<SavedKnob> all, SavedKnob knob, String value) throws IOException {
        save(all);
    }

    /** Human-readable location, for messages. */
    String location();

    /** A store that lives only in memory (tests and the simulator). */
    static StateStore inMemory() {
        return new StateStore() {
            private List<SavedKnob> knobs = List.of();

            @Override
            public List<SavedKnob> load() {
                return knobs;
            }

            @Override
            public void save(List<SavedKnob> k) {
                knobs = List.copyOf(k);
            }

            @Override
            public String location() {
                return "memory";
            }
        };
    }
}
