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

    @Override
    void close();
}
