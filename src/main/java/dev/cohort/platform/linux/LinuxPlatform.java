package dev.cohort.platform.linux;

import dev.cohort.platform.Capabilities;
import dev.cohort.platform.CohortException;
import dev.cohort.platform.CpuSet;
import dev.cohort.platform.KnobKeeper;
import dev.cohort.platform.Platform;
import dev.cohort.platform.RestoreReport;
import dev.cohort.platform.Setting;
import dev.cohort.platform.SettingResult;
import dev.cohort.platform.StateStore;
import dev.cohort.platform.Telemetry;
import dev.cohort.platform.Topology;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@link Platform} for a real Linux host, composed of one class per kernel interface, all rooted at
 * {@link Options#root()} ({@code /} normally; a captured or generated tree in tests and benchmarks).
 *
 * <p>Construction probes the host once ({@link HostProbe}): topology from sysfs, frequency domains from the
 * active cpufreq policies, memory domains from the resctrl MB domains, the managed cgroups in whichever
 * hierarchy has the cpu controller, and per-CPU perf counter groups (live root only). {@link #sample()} reads
 * what was found ({@link LinuxSampler}); {@link #apply} writes through a {@link KnobKeeper}, so every original
 * is saved before the first write and comes back with {@link #restore}. Not thread-safe: the control loop
 * owns it.
 */
public final class LinuxPlatform implements Platform {

    /**
     * How to build a {@link LinuxPlatform}.
     *
     * @param root          filesystem root every sysfs, procfs, cgroupfs, resctrl and /dev path resolves under
     * @param cgroups       the cgroups to sample and control, in order ({@link Topology#cgroups()} follows it)
     * @param resctrlGroup  the resctrl group for best-effort tasks, created on the first MBA write if absent
     * @param reservedCpus  CPUs whose frequency domains cohort never writes
     * @param store         where originals are saved before the first write (a {@code StateFile} in the daemon)
     * @param perf          open per-CPU perf counters (live root only)
     */
    public record Options(Path root, List<ManagedCgroup> cgroups, String resctrlGroup, CpuSet reservedCpus,
                          StateStore store, boolean perf) {
        public Options {
            cgroups = List.copyOf(cgroups);
            reservedCpus = reservedCpus == null ? CpuSet.empty() : reservedCpus;
            resctrlGroup = resctrlGroup == null || resctrlGroup.isBlank() ? "cohort-be" : resctrlGroup;
        }

        /** The live host, nothing managed, originals kept in memory: for reading (doctor, bench). */
        public static Options readOnly(Path root) {
            return new Options(root, List.of(), "cohort-be", CpuSet.empty(), StateStore.inMemory(), true);
        }
    }

    private final Options options;
    private final HostProbe host;
    private final Topology topology;
    private final PerfCounters perf;
    private final CgroupPerfCounters cgroupPerf;
    private final List<LinuxCapabilities.Entry> entries;
    private final Capabilities capabilities;
    private final LinuxKnobIo io;
    private final KnobKeeper keeper;
    private final LinuxSampler sampler;
    private final LinuxApplier applier;

    /**
     * Probes the host under {@code options.root()}.
     *
     * @throws CohortException when the CPUs cannot be counted or the state store cannot be read
     */
    public LinuxPlatform(Options options) {
        this(options, KernelFiles.real());
    }

    LinuxPlatform(Options options, KernelFiles files) {
        this.options = options;
        try {
            this.host = HostProbe.probe(options.root(), files, options.cgroups());
            this.keeper = new KnobKeeper(io = new LinuxKnobIo(files, ManagedTrees.under(options.root(), files)), options.store());
        } catch (IOException e) {
            throw new CohortException("cannot read the host under " + options.root() + ": " + e.getMessage(), e);
        }
        this.topology = LinuxTopology.build(host, options);
        this.perf = options.perf() && host.perfReason.isEmpty() ? PerfCounters.open(
                List.of(PerfCounters.CYCLES, PerfCounters.INSTRUCTIONS, PerfCounters.LLC_MISSES, stallEvent(host)),
                host.online(), topology.cpuCount()) : null;
        if (!options.perf() && host.perfReason.isEmpty()) {
            host.perfReason = "perf counters not requested (Options.perf = false)";
        }
        this.cgroupPerf = options.perf() && host.perfReason.isEmpty() && !options.cgroups().isEmpty()
                ? CgroupPerfCounters.open(PerfCounters.INSTRUCTIONS, options.cgroups().stream()
                        .map(g -> new CgroupPerfCounters.Target(g.name(), host.perfEventDir(g))).toList(), host.online())
                : null;
        this.entries = LinuxCapabilities.entries(host, perf, cgroupPerf);
        this.capabilities = LinuxCapabilities.capabilities(entries);
        this.sampler = new LinuxSampler(host, topology, perf, cgroupPerf, options.resctrlGroup());
        this.applier = new LinuxApplier(host, topology, keeper, io, options.resctrlGroup());
    }

    /** The memory-stall event this CPU has: Intel's STALLS_L3_MISS, else the generic backend stall (arm64). */
    static PerfCounters.Event stallEvent(HostProbe h) {
        return h.cpuVendor.equals("GenuineIntel") ? PerfCounters.STALLS_L3_MISS : PerfCounters.STALLED_BACKEND;
    }

    @Override
    public String name() {
        return "linux";
    }

    @Override
    public Topology topology() {
        return topology;
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    /** Every signal and control with its source and privilege, for {@code cohort doctor}. */
    public DoctorReport doctor() {
        return DoctorReport.of(host, entries, perf);
    }

    /** The keeper every write goes through. */
    public KnobKeeper keeper() {
        return keeper;
    }

    /** What the construction-time probe found (tests). */
    HostProbe probe() {
        return host;
    }

    @Override
    public Telemetry sample() {
        return sampler.sample();
    }

    @Override
    public List<SettingResult> apply(dev.cohort.platform.ControlPlan plan) {
        return applier.apply(plan);
    }

    @Override
    public List<Setting> currentSettings() {
        return applier.current();
    }

    @Override
    public List<Setting> heldByOthers() {
        List<String> left = keeper.leftIds();
        if (left.isEmpty()) {
            return List.of();
        }
        return applier.current().stream().filter(s -> applier.knobIds(s).stream().anyMatch(left::contains)).toList();
    }

    @Override
    public void handBack(List<Setting> settings) {
        keeper.handBack(settings.stream().flatMap(s -> applier.knobIds(s).stream()).toList());
    }

    @Override
    public RestoreReport restore(boolean force) {
        return keeper.restore(force);
    }

    @Override
    public void close() {
        if (cgroupPerf != null) {
            cgroupPerf.close();
        }
        if (perf != null) {
            perf.close();
        }
    }
}
