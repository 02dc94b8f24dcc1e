package dev.cohort.platform;

import java.io.IOException;
import java.util.List;

/** Where saved original knob values live between the first write and the restore. */
public interface StateStore {

    /** Saved knobs in the order they were first written; empty when nothing is saved. */
    List<SavedKnob> load() throws IOException;

    /** Replaces the saved knobs, atomically: after a crash either the old or the new list is there, whole. */
    void save(List<SavedKnob> knobs) throws IOException;

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
