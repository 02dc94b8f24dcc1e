package dev.cohort.control;

/** Where each tick's decisions go: requested and applied values, reward, overrides. */
public interface Journal extends AutoCloseable {

    /** A journal that keeps nothing. */
    Journal NONE = new Journal() {
        @Override
        public void record(TickRecord r) {
        }

        @Override
        public void close() {
        }
    };

    /** Records one tick. Must not throw: a journal failure must not stop the control loop. */
    void record(TickRecord r);

    /**
     * Records one tick with figures the controller does not hold (the daemon's power budget in force, W), written
     * beside the tick's own; a NaN is written as null. The default drops them. Must not throw.
     *
     * @param extra field name to value, in the order to write them
     */
    default void record(TickRecord r, java.util.Map<String, Double> extra) {
        record(r);
    }

    /**
     * Records something that is not a tick: the daemon's start (and the competing tuners it found), a reload,
     * a manual override, the restore on exit. The default keeps nothing. Must not throw.
     *
     * @param type  a short lower-case word, e.g. {@code start}, {@code reload}, {@code override}, {@code restore}
     * @param notes one line per fact, for people
     */
    default void event(String type, java.util.List<String> notes) {
    }

    /**
     * True when each tick's record should carry its observations, per-package power and the layout's facts
     * ({@link TickRecord#observed}), so a power estimator can be trained from this journal. Off by default: it makes
     * each line several kilobytes.
     */
    default boolean recordsObservations() {
        return false;
    }

    @Override
    void close();
}
