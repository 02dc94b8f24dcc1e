package dev.cohort.platform;

import java.util.List;

/**
 * A host cohort can read and control: the real Linux machine or the simulated one. Every consumer
 * (the control tick, training, evaluation, the daemon) goes through this interface only.
 *
 * <p>Writes go through a {@link KnobKeeper}: originals are saved before the first write and come back
 * with {@link #restore}. Implementations are not required to be thread-safe; the control loop owns them.
 */
public interface Platform extends AutoCloseable {

    /** Short backend name: {@code linux} or {@code sim}. */
    String name();

    /** The shape of the host. */
    Topology topology();

    /** What this host has and lacks, with reasons. */
    Capabilities capabilities();

    /** Reads every available signal once. Never throws for one missing or failing signal. */
    Telemetry sample();

    /**
     * Applies a plan in order: each setting is saved (first time), written and read back. Settings for
     * controls the host lacks are reported {@code UNSUPPORTED}; one failure does not stop the others.
     */
    List<SettingResult> apply(ControlPlan plan);

    /** The present value of every knob cohort manages here, as settings (for status and start-up state). */
    List<Setting> currentSettings();

    /**
     * The present values of knobs someone else changed after cohort wrote them ({@link KnobKeeper}): theirs, so
     * cohort holds them as manual overrides until {@link #handBack}. Empty for a backend nobody else can write.
     */
    default List<Setting> heldByOthers() {
        return List.of();
    }

    /** Hands the knobs these settings write back to cohort (an override was released, or an operator tunes them). */
    default void handBack(List<Setting> settings) {
        // a backend nobody else can write holds nothing back
    }

    /** Restores every knob this backend's keeper saved; see {@link KnobKeeper#restore(boolean)}. */
    RestoreReport restore(boolean force);

    /** Releases resources (file handles, perf events). Does not restore knobs: callers decide that. */
    @Override
    void close();
}
