package dev.cohort.platform;

/**
 * One writable value on a host, as saved and restored: a cpufreq file, a cgroup file, one domain's line
 * of a resctrl schemata, or a variable of the simulated machine.
 *
 * @param id          stable key, unique per host: the file's absolute path, with {@code #fragment} for a
 *                    part of a file (e.g. {@code /sys/fs/resctrl/be/schemata#MB:0}); {@code sim:...} for the simulator
 * @param description what the knob is, for people
 */
public record Knob(String id, String description) {
    public Knob {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("Knob id must not be blank");
        }
    }
}
