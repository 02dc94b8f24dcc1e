package dev.cohort.service;

import dev.cohort.platform.CohortException;
import dev.cohort.platform.Platform;
import dev.cohort.platform.StateFile;
import dev.cohort.platform.StateStore;
import dev.cohort.platform.linux.LinuxPlatform;
import dev.cohort.platform.linux.ManagedCgroup;
import dev.cohort.service.config.DaemonConfig;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * The machine the daemon runs on: a platform, and for the simulated machine the step that moves its time on
 * (the daemon advances it by one period per tick, in real time, outside the tick's timing).
 *
 * @param platform the backend
 * @param advance  moves simulated time by the given nanoseconds; does nothing on a real host
 * @param durable  true when the backend's knobs outlive the process (a real host), so a state file is kept and
 *                 a leftover one is restored at start; false for the simulated machine
 * @param tdpWatts package power that normalises energy, when the backend knows it (the simulated machine's
 *                 full-load power); NaN: the configuration's {@code host.tdp}
 * @param memPeakBytesPerSec sustained peak bandwidth of one memory domain when the backend knows it; NaN: the
 *                 configuration's {@code host.memory_peak}
 * @param idleWatts the least package power the machine draws (sum over packages) when the backend knows it (the
 *                 simulated machine: every core idle at its lowest frequency); NaN: the configuration's
 *                 {@code host.idle_power}, if any. No power budget below it is accepted.
 */
public record Backend(Platform platform, LongConsumer advance, boolean durable, double tdpWatts, double memPeakBytesPerSec,
                      double idleWatts) {

    /** A backend that does not know its idle power. */
    public Backend(Platform platform, LongConsumer advance, boolean durable, double tdpWatts, double memPeakBytesPerSec) {
        this(platform, advance, durable, tdpWatts, memPeakBytesPerSec, Double.NaN);
    }

    /** Opens a backend from the configuration; tests substitute their own (e.g. a fake kernel under a fake tree). */
    @FunctionalInterface
    public interface Factory {
        Backend open(DaemonConfig cfg);
    }

    /** The backends the configuration names: {@code linux} (rooted at {@code host.root}) or {@code sim}. */
    public static final Factory DEFAULT = cfg -> switch (cfg.backend()) {
        case LINUX -> linux(new LinuxPlatform(linuxOptions(cfg, new StateFile(cfg.stateFile()))));
        case SIM -> SimBackend.open(cfg);
    };

    /** A real host: knobs are durable, time is the wall clock. */
    public static Backend linux(Platform p) {
        return new Backend(p, n -> { }, true, Double.NaN, Double.NaN);
    }

    /** The controller configuration with what this backend knows about its host filled in. */
    public dev.cohort.control.ControllerConfig controller(dev.cohort.control.ControllerConfig c) {
        return c.withHost(Double.isNaN(tdpWatts) ? c.tdpWatts() : tdpWatts,
                Double.isNaN(memPeakBytesPerSec) ? c.memPeakBytesPerSec() : memPeakBytesPerSec);
    }

    /** The Linux backend's options from the configuration, with the given store for originals. */
    public static LinuxPlatform.Options linuxOptions(DaemonConfig cfg, StateStore store) {
        return linuxOptions(cfg, store, cfg.host().perf());
    }

    /** The same, with perf counters opened or not (a one-off write needs none). */
    public static LinuxPlatform.Options linuxOptions(DaemonConfig cfg, StateStore store, boolean perf) {
        List<ManagedCgroup> cgroups = cfg.cgroups().stream()
                .map(g -> new ManagedCgroup(g.name(), g.path(), g.role(), g.sloUsec(), g.sloQuantile(),
                        g.referenceInstructionsPerSec())).toList();
        return new LinuxPlatform.Options(cfg.host().root(), cgroups, cfg.host().resctrlGroup(), cfg.host().reservedCpus(),
                store, perf);
    }
}
