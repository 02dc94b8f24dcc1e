package dev.cohort.platform;

/**
 * Every value a {@link Telemetry} sample can carry. Counters are cumulative (rates come from two samples,
 * in {@link TelemetryInterval}); gauges are instantaneous. The unit is part of each name.
 */
public enum Signal {
    // Per logical CPU.
    CPU_BUSY_NANOS(Scope.CPU, Kind.COUNTER, "time not idle"),
    CPU_IDLE_NANOS(Scope.CPU, Kind.COUNTER, "idle time (idle + iowait)"),
    CPU_CYCLES(Scope.CPU, Kind.COUNTER, "unhalted core cycles"),
    CPU_INSTRUCTIONS(Scope.CPU, Kind.COUNTER, "instructions retired"),
    CPU_LLC_MISSES(Scope.CPU, Kind.COUNTER, "last-level cache misses"),
    CPU_STALL_CYCLES(Scope.CPU, Kind.COUNTER, "cycles stalled on memory"),
    CPU_FREQ_KHZ(Scope.CPU, Kind.GAUGE, "current frequency"),
    // Per package.
    PKG_ENERGY_UJ(Scope.PACKAGE, Kind.COUNTER, "package energy, wraparound undone"),
    DRAM_ENERGY_UJ(Scope.PACKAGE, Kind.COUNTER, "DRAM energy, wraparound undone"),
    // Per memory-bandwidth domain.
    MEM_BYTES(Scope.MEMORY_DOMAIN, Kind.COUNTER, "bytes moved to and from memory (MBM total)"),
    // Per managed cgroup.
    CGROUP_USAGE_USEC(Scope.CGROUP, Kind.COUNTER, "CPU time used"),
    CGROUP_THROTTLED_USEC(Scope.CGROUP, Kind.COUNTER, "time throttled by the CPU quota"),
    CGROUP_PERIODS(Scope.CGROUP, Kind.COUNTER, "CFS bandwidth periods elapsed"),
    CGROUP_THROTTLED_PERIODS(Scope.CGROUP, Kind.COUNTER, "CFS bandwidth periods in which it was throttled"),
    CGROUP_CPU_PRESSURE_SOME_USEC(Scope.CGROUP, Kind.COUNTER, "PSI cpu some total"),
    CGROUP_MEM_PRESSURE_SOME_USEC(Scope.CGROUP, Kind.COUNTER, "PSI memory some total"),
    CGROUP_INSTRUCTIONS(Scope.CGROUP, Kind.COUNTER, "instructions retired by the cgroup's tasks"),
    CGROUP_REQUESTS(Scope.CGROUP, Kind.COUNTER, "requests completed by a latency-critical service"),
    CGROUP_SLO_VIOLATIONS(Scope.CGROUP, Kind.COUNTER, "requests slower than the service's latency target"),
    CGROUP_LATENCY(Scope.CGROUP, Kind.HISTOGRAM, "request latency histogram (cumulative)"),
    CGROUP_LATENCY_QUANTILE_USEC(Scope.CGROUP, Kind.GAUGE, "latency at the SLO quantile, reported by the service"),
    // Whole system.
    SYS_CPU_PRESSURE_SOME_USEC(Scope.SYSTEM, Kind.COUNTER, "PSI cpu some total"),
    SYS_MEM_PRESSURE_SOME_USEC(Scope.SYSTEM, Kind.COUNTER, "PSI memory some total"),
    SYS_MEM_PRESSURE_FULL_USEC(Scope.SYSTEM, Kind.COUNTER, "PSI memory full total"),
    SYS_IO_PRESSURE_SOME_USEC(Scope.SYSTEM, Kind.COUNTER, "PSI io some total");

    /** What a signal's index ranges over. */
    public enum Scope { CPU, PACKAGE, MEMORY_DOMAIN, CGROUP, SYSTEM }

    /** How a signal's values behave over time. */
    public enum Kind { COUNTER, GAUGE, HISTOGRAM }

    private final Scope scope;
    private final Kind kind;
    private final String description;

    Signal(Scope scope, Kind kind, String description) {
        this.scope = scope;
        this.kind = kind;
        this.description = description;
    }

    public Scope scope() {
        return scope;
    }

    public Kind kind() {
        return kind;
    }

    public String description() {
        return description;
    }

    /** Lower-case dotted name for reports, e.g. {@code cpu.busy_nanos}. */
    public String displayName() {
        String n = name().toLowerCase(java.util.Locale.ROOT);
        int u = n.indexOf('_');
        return n.substring(0, u) + "." + n.substring(u + 1);
    }

    /** Number of values this signal has on a host of the given topology. */
    public int width(Topology t) {
        return switch (scope) {
            case CPU -> t.cpuCount();
            case PACKAGE -> t.packageCount();
            case MEMORY_DOMAIN -> t.memoryDomains().size();
            case CGROUP -> t.cgroups().size();
            case SYSTEM -> 1;
        };
    }
}
