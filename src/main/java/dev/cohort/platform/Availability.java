package dev.cohort.platform;

/**
 * Whether one signal or control is there on this host and, if not, why and what would enable it.
 *
 * @param available true when it was found by really trying to read (and, for controls, to open for write)
 * @param reason    why it is missing, e.g. "no /sys/class/powercap"; empty when available
 * @param remedy    what would enable it, e.g. "load intel_rapl_common"; may be empty
 */
public record Availability(boolean available, String reason, String remedy) {
    private static final Availability YES = new Availability(true, "", "");

    /** Present. */
    public static Availability yes() {
        return YES;
    }

    /** Missing, with why and what would enable it. */
    public static Availability no(String reason, String remedy) {
        return new Availability(false, reason, remedy == null ? "" : remedy);
    }

    @Override
    public String toString() {
        if (available) {
            return "available";
        }
        return "missing: " + reason + (remedy.isEmpty() ? "" : "; " + remedy);
    }
}
