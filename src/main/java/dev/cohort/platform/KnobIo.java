package dev.cohort.platform;

import java.io.IOException;

/**
 * Raw access to knobs in the backend's own text form (what the kernel file holds, trimmed). Implemented
 * once per backend; {@link KnobKeeper} adds save, read-back and restore on top.
 */
public interface KnobIo {

    /** The knob's current value, trimmed. */
    String read(Knob knob) throws IOException;

    /** Writes {@code value} in one write; the backend adds whatever framing its file needs. */
    void write(Knob knob, String value) throws IOException;

    /**
     * True when {@code a} and {@code b} are the same setting in this backend's terms (the default compares
     * trimmed text; a backend whose files print a value differently from how it is written overrides this).
     */
    default boolean sameValue(Knob knob, String a, String b) {
        return a.strip().equals(b.strip());
    }

    /**
     * Values besides {@code value} itself that writing {@code value} may leave on the knob (a driver that rounds to its
     * table or granularity, or clamps to its range). They are announced with it, so that a crash between the write and
     * the save of what was read back cannot make the kernel's rounding look like someone else's change. Default: none.
     */
    default java.util.List<String> mayApply(Knob knob, String value) {
        return java.util.List.of();
    }

    /**
     * Why cohort must not write the knob with this id, or null when it may: a state file is data, not authority, so
     * every id read from one is checked here before anything is written (the Linux backend confines ids to the kernel
     * trees it manages under its root).
     */
    default String refuseId(String id) {
        return id == null || id.isBlank() ? "the id is empty" : null;
    }
}
