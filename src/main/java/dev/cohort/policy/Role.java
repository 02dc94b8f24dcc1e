package dev.cohort.policy;

/** The kinds of agent. Agents of one role share a network; an agent-id feature tells them apart. */
public enum Role {
    /** One per frequency domain: chooses a frequency level. */
    CORE,
    /** One per memory-bandwidth domain: chooses the best-effort group's MBA level. */
    MEMORY,
    /** One per managed best-effort cgroup: chooses its CPU quota level. */
    QUOTA;

    /** Lower-case name as used in configuration and model files. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses {@code core}, {@code memory} or {@code quota}. */
    public static Role parse(String s) {
        for (Role r : values()) {
            if (r.id().equalsIgnoreCase(s.strip())) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role '" + s + "' (allowed: core, memory, quota)");
    }
}
