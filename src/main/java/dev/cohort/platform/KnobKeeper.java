package dev.cohort.platform;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The one path through which cohort writes knobs, so that a host is never left worse than it was found:
 * before the first write to a knob its original value is read and persisted (a write whose original cannot
 * be saved is refused); every write is read back; {@link #restore} puts originals back in reverse order,
 * continues past failures and reports each knob; a knob someone else changed since cohort wrote it is
 * reported, not overwritten. Knobs found in the store at construction (left by a crashed run, or by
 * {@code cohort tune}) keep their first-saved originals. Thread-safe.
 */
public final class KnobKeeper {
    private final KnobIo io;
    private final StateStore store;
    private final LinkedHashMap<String, SavedKnob> saved = new LinkedHashMap<>();
    private boolean dirty;

    /**
     * @throws IOException when the store holds a state that cannot be read (the message says what to do)
     */
    public KnobKeeper(KnobIo io, StateStore store) throws IOException {
        this.io = io;
        this.store = store;
        for (SavedKnob s : store.load()) {
            saved.put(s.id(), s);
        }
    }

    /** Knobs saved and not yet restored, in first-write order. */
    public synchronized List<SavedKnob> saved() {
        return List.copyOf(saved.values());
    }

    /** Where originals are persisted. */
    public String storeLocation() {
        return store.location();
    }

    /** The raw access this keeper writes through. */
    public KnobIo io() {
        return io;
    }

    /**
     * Saves the knob's original value if this is the first write, writes {@code value}, reads it back.
     * Never throws: a failure is in the result.
     */
    public synchronized KnobWrite write(Knob knob, String value) {
        SavedKnob s = saved.get(knob.id());
        if (s == null) {
            String original;
            try {
                original = io.read(knob);
            } catch (IOException e) {
                return KnobWrite.failed(knob, value, "cannot read its current value to save it ("
                        + e.getMessage() + "); not written");
            }
            s = new SavedKnob(knob.id(), knob.description(), original, null);
            saved.put(knob.id(), s);
            try {
                persist();
            } catch (IOException e) {
                saved.remove(knob.id());
                return KnobWrite.failed(knob, value, "cannot save its original value to " + store.location()
                        + " (" + e.getMessage() + "); not written");
            }
        }
        try {
            io.write(knob, value);
        } catch (IOException e) {
            return KnobWrite.failed(knob, value, e.getMessage());
        }
        String applied;
        try {
            applied = io.read(knob);
        } catch (IOException e) {
            return KnobWrite.failed(knob, value, "written, but reading it back failed (" + e.getMessage() + ")");
        }
        saved.put(knob.id(), s.withLastWritten(applied));
        dirty = true;
        return new KnobWrite(knob, value, applied, null);
    }

    /** Persists the last-written values if any changed since the last flush (once per tick is enough). */
    public synchronized void flush() throws IOException {
        if (dirty) {
            persist();
        }
    }

    /** Restores every saved knob, leaving knobs someone else changed as they are. */
    public RestoreReport restore() {
        return restore(false);
    }

    /**
     * Restores every saved knob in reverse order of first write. With {@code force}, knobs changed by
     * someone else are restored too. Knobs that fail stay saved; the rest are dropped from the store.
     */
    public synchronized RestoreReport restore(boolean force) {
        List<SavedKnob> order = new ArrayList<>(saved.values());
        Collections.reverse(order);
        List<RestoreReport.Entry> entries = new ArrayList<>();
        for (SavedKnob s : order) {
            RestoreReport.Entry e = restoreOne(s, force);
            entries.add(e);
            if (e.outcome() != RestoreReport.Outcome.FAILED) {
                saved.remove(s.id());
            }
        }
        try {
            persist();
        } catch (IOException ex) {
            entries.add(new RestoreReport.Entry(store.location(), "state file", RestoreReport.Outcome.FAILED,
                    "", null, "cannot update the state file: " + ex.getMessage()));
        }
        return new RestoreReport(entries);
    }

    private RestoreReport.Entry restoreOne(SavedKnob s, boolean force) {
        Knob k = s.knob();
        String found;
        try {
            found = io.read(k);
        } catch (IOException e) {
            return entry(s, RestoreReport.Outcome.FAILED, null, "cannot read it: " + e.getMessage());
        }
        if (io.sameValue(k, found, s.original())) {
            return entry(s, RestoreReport.Outcome.ALREADY_ORIGINAL, found, "");
        }
        boolean ours = s.lastWritten() != null && io.sameValue(k, found, s.lastWritten());
        if (!ours && !force) {
            String last = s.lastWritten() == null ? "nothing (its write failed)" : "'" + s.lastWritten() + "'";
            return entry(s, RestoreReport.Outcome.CHANGED_BY_OTHER, found, "found '" + found + "' but cohort last wrote "
                    + last + ": someone else changed it, so it was left as is (cohort restore --force writes the original)");
        }
        try {
            io.write(k, s.original());
            String back = io.read(k);
            if (!io.sameValue(k, back, s.original())) {
                return entry(s, RestoreReport.Outcome.FAILED, found, "wrote '" + s.original() + "' but it reads back '" + back + "'");
            }
        } catch (IOException e) {
            return entry(s, RestoreReport.Outcome.FAILED, found, "cannot write it: " + e.getMessage());
        }
        return entry(s, RestoreReport.Outcome.RESTORED, found, "");
    }

    private static RestoreReport.Entry entry(SavedKnob s, RestoreReport.Outcome o, String found, String detail) {
        return new RestoreReport.Entry(s.id(), s.description(), o, s.original(), found, detail);
    }

    private void persist() throws IOException {
        store.save(List.copyOf(saved.values()));
        dirty = false;
    }
}
