package dev.cohort.platform;

import java.util.List;

/** The outcome of restoring every saved knob, one entry per knob in the order they were restored. */
public record RestoreReport(List<Entry> entries) {
    public RestoreReport {
        entries = List.copyOf(entries);
    }

    /** What happened to one knob. */
    public enum Outcome {
        /** Written back to its original value and read back equal. */
        RESTORED,
        /** Already held its original value; nothing written. */
        ALREADY_ORIGINAL,
        /** Someone else changed it since cohort wrote it; left as found (unless forced) and reported. */
        CHANGED_BY_OTHER,
        /** Could not be read or written; it stays in the state file for the next attempt. */
        FAILED
    }

    /**
     * @param id        the knob id
     * @param outcome   what happened
     * @param original  the value it was restored to (or should have been)
     * @param found     the value found before restoring; null when unreadable
     * @param detail    explanation for CHANGED_BY_OTHER and FAILED; empty otherwise
     */
    public record Entry(String id, String description, Outcome outcome, String original, String found, String detail) {
    }

    /** True when no knob failed (changed-by-other knobs are reported, not failures). */
    public boolean ok() {
        return entries.stream().noneMatch(e -> e.outcome() == Outcome.FAILED);
    }

    /** Number of entries with the given outcome. */
    public long count(Outcome o) {
        return entries.stream().filter(e -> e.outcome() == o).count();
    }
}
