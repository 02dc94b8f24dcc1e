package dev.cohort.service.config;

import java.util.Locale;

/**
 * What the daemon does with the knobs it changed when it stops (SIGTERM, SIGINT, {@code systemctl stop}).
 * A crash leaves a state file either way, and the next start restores from it first.
 */
public enum RestorePolicy {
    /** Put every knob back to the value found before cohort first wrote it. The default. */
    ALWAYS("always"),
    /**
     * Restore on a stop, but not while the system shuts down or reboots (restoring then only costs time; the
     * kernel's values reset at boot and the state under {@code /run} goes with them).
     */
    NOT_AT_SHUTDOWN("not-at-shutdown"),
    /**
     * Leave the knobs as cohort set them (a restart then causes no swing). The state file stays, so the next
     * start keeps the true originals and {@code cohort restore} can still put them back.
     */
    NEVER("never");

    private final String id;

    RestorePolicy(String id) {
        this.id = id;
    }

    /** The name used in the configuration. */
    public String id() {
        return id;
    }

    /** Parses {@code always}, {@code not-at-shutdown} or {@code never}. */
    public static RestorePolicy parse(String s) {
        for (RestorePolicy p : values()) {
            if (p.id.equals(s.strip().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("'" + s + "' is not always, not-at-shutdown or never");
    }
}
