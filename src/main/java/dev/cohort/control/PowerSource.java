package dev.cohort.control;

/** Where a tick's package power comes from. */
public enum PowerSource {
    /** The host's energy counters (RAPL). */
    MEASURED,
    /** The cost estimator, standing in for RAPL where the host has none. */
    ESTIMATED,
    /** Neither: no energy counter and no estimator. */
    NONE;

    /** Lower-case name as the journal, status and JSON write it. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
