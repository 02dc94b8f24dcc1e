package dev.cohort.platform;

/** Every kind of knob cohort can set. The unit is part of each name. */
public enum Control {
    FREQ_MAX_KHZ("frequency domain maximum frequency (cpufreq scaling_max_freq)"),
    FREQ_MIN_KHZ("frequency domain minimum frequency (cpufreq scaling_min_freq)"),
    EPP("energy-performance preference (cpufreq energy_performance_preference)"),
    CPU_MAX_USEC("cgroup CPU quota and period (cpu.max / cpu.cfs_quota_us)"),
    CPU_WEIGHT("cgroup CPU weight (cpu.weight / cpu.shares)"),
    MBA_PERCENT("best-effort memory bandwidth limit per domain (resctrl schemata MB)"),
    POWER_LIMIT_UW("package long-term power limit PL1 and its time window (powercap constraint_0)");

    private final String description;

    Control(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
