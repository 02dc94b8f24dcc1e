package dev.cohort.platform;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The one path through which cohort writes knobs, so that a host is never left worse than it was found. One rule
 * holds for every path that puts knobs back (a stop, the start after a crash, {@code cohort restore}): <b>a value
 * cohort did not write is someone else's</b>.
 *
 * <ul>
 *   <li>Before the first write to a knob its original value is read and persisted (a write whose original cannot
 *       be saved is refused). Before any write of a new value, the value is announced durably ({@link
 *       StateStore#intend}), so a crash between the write and the next save cannot make cohort's own write look
 *       like someone else's.</li>
 *   <li>Before each write the knob is read: when it holds neither what cohort last wrote nor an announced value,
 *       someone else changed it; it is not written, but marked <em>left</em> and reported ({@link
 *       KnobWrite#theirs()}), and stays theirs until handed back ({@link #handBack}).</li>
 *   <li>{@link #restore} puts back, in reverse order of first write, every knob that holds the original or a value
 *       of cohort's; a knob someone else changed is left as found and kept in the store, marked left, until
 *       {@code restore(true)} writes its original or {@link #forget} drops it.</li>
 * </ul>
 *
 * Knobs found in the store at construction (left by a crashed run, a stop that kept them, or {@code cohort tune})
 * keep their first-saved originals; their ids are checked by {@link KnobIo#refuseId} first. Thread-safe.
 */
public final class KnobKeeper {
    private final KnobIo io;
    private final StateStore store;
    private final LinkedHashMap<String, SavedKnob> saved = new LinkedHashMap<>();
    private boolean dirty;

    /**
     * @throws IOException when the store holds a state that cannot be read or names a knob cohort must not write
     *                     (one line: the file, the entry and what to do)
     */
    public KnobKeeper(KnobIo io, StateStore store) throws IOException {
        this.io = io;
        this.store = store;
        List<SavedKnob> loaded = store.load();
        for (int i = 0; i < loaded.size(); i++) {
            SavedKnob s = loaded.get(i);
            String why = io.refuseId(s.id());
            if (why != null) {
                throw new IOException(store.location() + ": knobs[" + i + "].id '" + s.id() + "' " + why
                        + "; a state file is data, not authority, so nothing was written: check that knob by hand, then "
                        + "remove the entry or move the file aside");
            }
            saved.put(s.id(), s);
        }
    }

    /**
     * What a keeper holds at one moment, for {@link #reset(Memento)}: a simulated machine's snapshot carries one.
     *
     * @param saved  the saved knobs in first-write order
     * @param dirty  whether last-written values wait for a flush
     * @param stored what the store held, or null when it could not be read
     */
    public record Memento(List<SavedKnob> saved, boolean dirty, List<SavedKnob> stored) {
        public Memento {
            saved = List.copyOf(saved);
            stored = stored == null ? null : List.copyOf(stored);
        }
    }

    /** What this keeper (and its store) holds now. */
    public synchronized Memento memento() {
        List<SavedKnob> stored;
        try {
            stored = store.load();
        } catch (IOException e) {
            stored = null;
        }
        return new Memento(List.copyOf(saved.values()), dirty, stored);
    }

    /**
     * Puts back what {@code m} recorded, the store's content included (a simulated machine's restore; the knobs
     * themselves are the caller's to put back). A store that cannot be written is left as it is.
     */
    public synchronized void reset(Memento m) {
        saved.clear();
        for (SavedKnob s : m.saved()) {
            saved.put(s.id(), s);
        }
        dirty = m.dirty();
        if (m.stored() != null) {
            try {
                store.save(m.stored());
            } catch (IOException e) {
                // the next flush writes the keeper's state again
            }
        }
    }

    /** Knobs saved and not yet restored, in first-write order (left ones included). */
    public synchronized List<SavedKnob> saved() {
        return List.copyOf(saved.values());
    }

    /** The ids of knobs someone else changed, which cohort leaves to them. */
    public synchronized List<String> leftIds() {
        return saved.values().stream().filter(SavedKnob::isLeft).map(SavedKnob::id).toList();
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
     * Saves the knob's original value if this is the first write, checks that nobody else changed it since cohort's
     * last write, announces the value, writes it, reads it back. Never throws: a failure or a refusal is in the result.
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
            SavedKnob first = SavedKnob.first(knob, original);
            for (String v : announcements(first, knob, value)) {
                first = first.withIntended(v);
            }
            saved.put(knob.id(), first);
            try {
                persist();
            } catch (IOException e) {
                saved.remove(knob.id());
                return KnobWrite.failed(knob, value, "cannot save its original value to " + store.location()
                        + " (" + e.getMessage() + "); not written");
            }
        } else {
            KnobWrite refused = checkOurs(s, knob, value);
            if (refused != null) {
                return refused;
            }
        }
        try {
            CrashPoints.hit("before-write");
            io.write(knob, value);
            CrashPoints.hit("after-write");
        } catch (IOException e) {
            return KnobWrite.failed(knob, value, e.getMessage());
        }
        String applied;
        try {
            applied = io.read(knob);
        } catch (IOException e) {
            return KnobWrite.failed(knob, value, "written, but reading it back failed (" + e.getMessage() + ")");
        }
        saved.put(knob.id(), saved.get(knob.id()).withLastWritten(applied));
        dirty = true;
        if (!io.sameValue(knob, applied, value)) {
            try {
                persist(); // the kernel applied another value: record it now, or a crash would make it look foreign
            } catch (IOException e) {
                // the next flush retries; until then the restore may leave this knob to the operator: the safe side
            }
        }
        return new KnobWrite(knob, value, applied, null, null);
    }

    /** Null when cohort may write {@code value} to a saved knob (announced first); else why not. */
    private KnobWrite checkOurs(SavedKnob s, Knob knob, String value) {
        if (s.isLeft()) {
            return KnobWrite.theirs(knob, value, s.left(), "someone else set it to '" + s.left() + "'; it is theirs "
                    + "until handed back (cohort tune release, or cohort restore --forget)");
        }
        String found;
        try {
            found = io.read(knob);
        } catch (IOException e) {
            return KnobWrite.failed(knob, value, "cannot read it before writing (" + e.getMessage() + "); not written");
        }
        if (!isOurs(s, found)) {
            saved.put(s.id(), s.withLeft(found));
            try {
                persist();
            } catch (IOException e) {
                dirty = true; // the mark reaches the file with the next flush; the value is not touched either way
            }
            String last = s.lastWritten() == null ? "the original '" + s.original() + "'" : "'" + s.lastWritten() + "'";
            return KnobWrite.theirs(knob, value, found, "found '" + found + "' where cohort left " + last
                    + ": someone else changed it, so it is theirs (not written; cohort tune release hands it back)");
        }
        SavedKnob next = s;
        for (String v : announcements(s, knob, value)) {
            next = next.withIntended(v);
            saved.put(s.id(), next);
            try {
                store.intend(List.copyOf(saved.values()), next, v);
            } catch (IOException e) {
                saved.put(s.id(), s);
                return KnobWrite.failed(knob, value, "cannot record the value about to be written in " + store.location()
                        + " (" + e.getMessage() + "); not written");
            }
        }
        return null;
    }

    /** {@code value} and what the driver may make of it ({@link KnobIo#mayApply}), less what is announced already. */
    private List<String> announcements(SavedKnob s, Knob knob, String value) {
        List<String> out = new ArrayList<>();
        List<String> candidates = new ArrayList<>();
        candidates.add(value);
        candidates.addAll(io.mayApply(knob, value));
        for (String v : candidates) {
            if (!isAnnounced(s, v) && out.stream().noneMatch(o -> io.sameValue(knob, o, v))) {
                out.add(v);
            }
        }
        return out;
    }

    /** True when {@code found} is what cohort last left on the knob (or the original, before any write), or announced. */
    private boolean isOurs(SavedKnob s, String found) {
        String expected = s.lastWritten() != null ? s.lastWritten() : s.original();
        return io.sameValue(s.knob(), found, expected) || isAnnounced(s, found);
    }

    private boolean isAnnounced(SavedKnob s, String value) {
        if (s.lastWritten() != null && io.sameValue(s.knob(), value, s.lastWritten())) {
            return true;
        }
        for (String v : s.intended()) {
            if (io.sameValue(s.knob(), value, v)) {
                return true;
            }
        }
        return false;
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
     * Restores every saved knob in reverse order of first write. A knob that holds a value cohort did not write is
     * left as found and stays in the store, marked left; with {@code force} it is restored too. Knobs that fail stay
     * saved; the rest are dropped from the store.
     */
    public synchronized RestoreReport restore(boolean force) {
        List<SavedKnob> order = new ArrayList<>(saved.values());
        Collections.reverse(order);
        List<RestoreReport.Entry> entries = new ArrayList<>();
        for (SavedKnob s : order) {
            RestoreReport.Entry e = restoreOne(s, force);
            entries.add(e);
            switch (e.outcome()) {
                case RESTORED, ALREADY_ORIGINAL -> saved.remove(s.id());
                case CHANGED_BY_OTHER -> saved.put(s.id(), s.withLeft(e.found()));
                case FAILED -> {
                    // stays for the next attempt
                }
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
        if (!force && (s.isLeft() || !isAnnounced(s, found))) {
            String last = s.lastWritten() == null ? "nothing yet" : "'" + s.lastWritten() + "'";
            return entry(s, RestoreReport.Outcome.CHANGED_BY_OTHER, found, "found '" + found + "' but cohort last wrote "
                    + last + ": someone else changed it, so it was left as is and kept in " + store.location()
                    + " (cohort restore --force writes the original '" + s.original() + "', cohort restore --forget "
                    + s.id() + " drops it)");
        }
        try {
            CrashPoints.hit("before-restore-write");
            io.write(k, s.original());
            CrashPoints.hit("after-restore-write");
            String back = io.read(k);
            if (!io.sameValue(k, back, s.original())) {
                return entry(s, RestoreReport.Outcome.FAILED, found, "wrote '" + s.original() + "' but it reads back '" + back + "'");
            }
        } catch (IOException e) {
            return entry(s, RestoreReport.Outcome.FAILED, found, "cannot write it: " + e.getMessage());
        }
        return entry(s, RestoreReport.Outcome.RESTORED, found, "");
    }

    /**
     * Drops knobs left to someone else from the store, so nothing will ever put their originals back.
     *
     * @param which a knob id, the unique end of one ({@code policy0/scaling_max_freq}), or {@code all}
     * @return the ids dropped
     * @throws IllegalArgumentException when {@code which} names no left knob, or several
     * @throws IOException              when the store cannot be updated (nothing dropped)
     */
    public synchronized List<String> forget(String which) throws IOException {
        List<String> left = leftIds();
        List<String> hit = which.equals("all") ? left
                : left.stream().filter(id -> id.equals(which) || id.endsWith("/" + which)).toList();
        if (hit.isEmpty()) {
            throw new IllegalArgumentException(left.isEmpty() ? "no knob is left to someone else, so there is nothing to forget"
                    : "'" + which + "' names no knob left to someone else (left: " + String.join(", ", left) + ")");
        }
        if (hit.size() > 1 && !which.equals("all")) {
            throw new IllegalArgumentException("'" + which + "' names " + hit.size() + " knobs (" + String.join(", ", hit)
                    + "): give the whole id");
        }
        LinkedHashMap<String, SavedKnob> before = new LinkedHashMap<>(saved);
        hit.forEach(saved::remove);
        try {
            persist();
        } catch (IOException e) {
            saved.clear();
            saved.putAll(before);
            throw e;
        }
        return hit;
    }

    /**
     * Hands knobs someone else changed back to cohort (a release of the operator's override): what they hold now
     * becomes what cohort last wrote, so cohort's next write goes ahead; the original stays the first-saved one.
     */
    public synchronized void handBack(Collection<String> ids) {
        boolean changed = false;
        for (String id : ids) {
            SavedKnob s = saved.get(id);
            if (s == null || !s.isLeft()) {
                continue;
            }
            String now;
            try {
                now = io.read(s.knob());
            } catch (IOException e) {
                now = s.left();
            }
            saved.put(id, new SavedKnob(s.id(), s.description(), s.original(), now, List.of(), null));
            changed = true;
        }
        if (changed) {
            try {
                persist();
            } catch (IOException e) {
                dirty = true;
            }
        }
    }

    private static RestoreReport.Entry entry(SavedKnob s, RestoreReport.Outcome o, String found, String detail) {
        return new RestoreReport.Entry(s.id(), s.description(), o, s.original(), found, detail);
    }

    private void persist() throws IOException {
        store.save(List.copyOf(saved.values()));
        dirty = false;
    }
}
