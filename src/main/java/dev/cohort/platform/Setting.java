package dev.cohort.platform;

/** One knob value a {@link ControlPlan} asks for. Units are in the names. */
public sealed interface Setting {

    /** The kind of knob. */
    Control control();

    /** Human-readable target, e.g. {@code policy4} or {@code cgroup batch}. */
    String target();

    /** Human-readable value with its unit, e.g. {@code 2400000 kHz}. */
    String valueText();

    /** Which knob this setting writes, whatever the value: two settings with the same key replace each other. */
    default String knobKey() {
        return control().name() + " " + target();
    }

    /** Upper frequency limit of frequency domain {@code domain} (index in {@link Topology#frequencyDomains()}). */
    record FreqMaxKhz(int domain, long khz) implements Setting {
        public Control control() {
            return Control.FREQ_MAX_KHZ;
        }

        public String target() {
            return "freq-domain " + domain;
        }

        public String valueText() {
            return khz + " kHz";
        }
    }

    /** Lower frequency limit of a frequency domain. */
    record FreqMinKhz(int domain, long khz) implements Setting {
        public Control control() {
            return Control.FREQ_MIN_KHZ;
        }

        public String target() {
            return "freq-domain " + domain;
        }

        public String valueText() {
            return khz + " kHz";
        }
    }

    /** Energy-performance preference of a frequency domain, by name ({@code balance_power}) or 0..255. */
    record Epp(int domain, String preference) implements Setting {
        public Control control() {
            return Control.EPP;
        }

        public String target() {
            return "freq-domain " + domain;
        }

        public String valueText() {
            return preference;
        }
    }

    /**
     * CPU bandwidth of managed cgroup {@code cgroup} (index in {@link Topology#cgroups()}): at most
     * {@code quotaUsec} of CPU time per {@code periodUsec}; {@code quotaUsec < 0} means unlimited ({@code max}).
     */
    record CpuMaxUsec(int cgroup, long quotaUsec, long periodUsec) implements Setting {
        public Control control() {
            return Control.CPU_MAX_USEC;
        }

        public String target() {
            return "cgroup " + cgroup;
        }

        public String valueText() {
            return (quotaUsec < 0 ? "max" : quotaUsec + " µs") + " per " + periodUsec + " µs";
        }

        /** The quota as a number of CPUs, or infinity when unlimited. */
        public double cpus() {
            return quotaUsec < 0 ? Double.POSITIVE_INFINITY : (double) quotaUsec / periodUsec;
        }
    }

    /** CPU weight of a managed cgroup (cgroup v2 scale 1..10000). */
    record CpuWeight(int cgroup, int weight) implements Setting {
        public Control control() {
            return Control.CPU_WEIGHT;
        }

        public String target() {
            return "cgroup " + cgroup;
        }

        public String valueText() {
            return Integer.toString(weight);
        }
    }

    /**
     * Memory-bandwidth limit of the best-effort group in memory domain {@code domain} (index in
     * {@link Topology#memoryDomains()}), in the domain's {@link Topology.MbaScale} units (percent on Intel).
     */
    record MbaPercent(int domain, int percent) implements Setting {
        public Control control() {
            return Control.MBA_PERCENT;
        }

        public String target() {
            return "mem-domain " + domain;
        }

        public String valueText() {
            return percent + "%";
        }
    }

    /**
     * The long-term power limit (RAPL PL1) of package {@code pkg}: its running average over {@code windowUs} is held at
     * or under {@code limitUw} by the hardware, which lowers every core's frequency to do so. {@code limitUw < 0} means
     * no limit (the simulated machine's original state; a real package always has one, restored as it was found).
     */
    record PowerLimitUw(int pkg, long limitUw, long windowUs) implements Setting {
        public Control control() {
            return Control.POWER_LIMIT_UW;
        }

        public String target() {
            return "package " + pkg;
        }

        public String valueText() {
            return (limitUw < 0 ? "none" : String.format(java.util.Locale.ROOT, "%.1f W", limitUw / 1e6))
                    + " over " + windowUs + " µs";
        }

        /** The limit in watts, or NaN for none. */
        public double watts() {
            return limitUw < 0 ? Double.NaN : limitUw / 1e6;
        }
    }
}
