package dev.cohort.policy;

/**
 * The discrete levels of one role. Level {@code i} of {@code n} means the fraction {@code i/(n-1)} of the
 * knob's range: for {@link Role#CORE} the domain's frequency range (min..max, snapped to what the driver
 * accepts), for {@link Role#MEMORY} the MBA range (min..100%), for {@link Role#QUOTA} a CPU quota of
 * {@code (i+1)/n} of the cgroup's CPUs with the top level meaning unlimited. Part of the model contract.
 *
 * @param role   the role
 * @param levels number of levels, at least 2
 */
public record ActionSpace(Role role, int levels) {
    public ActionSpace {
        if (levels < 2) {
            throw new IllegalArgumentException(role.id() + " needs at least 2 action levels, got " + levels);
        }
    }

    /** The fraction of the range that level {@code level} means, 0..1. */
    public double fraction(int level) {
        return (double) level / (levels - 1);
    }

    /** The lowest level whose fraction is at least {@code fraction} (fraction clipped to 0..1). */
    public int levelAtLeast(double fraction) {
        double f = Math.max(0, Math.min(1, fraction));
        return (int) Math.min(levels - 1, Math.ceil(f * (levels - 1) - 1e-9));
    }

    /** The level nearest to {@code fraction}. */
    public int nearestLevel(double fraction) {
        double f = Math.max(0, Math.min(1, fraction));
        return (int) Math.round(f * (levels - 1));
    }

    /** The top level. */
    public int max() {
        return levels - 1;
    }

    /** Text for the model contract, e.g. {@code core:11 levels over the domain's frequency range}. */
    public String meaning() {
        return switch (role) {
            case CORE -> levels + " levels spread evenly over the domain's frequency range, snapped to what the driver accepts";
            case MEMORY -> levels + " levels spread evenly over the MBA range of the best-effort group";
            case QUOTA -> levels + " levels: quota (i+1)/" + levels + " of the cgroup's CPUs, top level unlimited";
        };
    }
}
