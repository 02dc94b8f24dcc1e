package dev.cohort.platform.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The step allocates nothing: the model lives in primitive arrays, so training runs are not GC-bound. The one
 * exception is a service's request queue, which doubles when an overloaded service outgrows it (up to its
 * {@code maxQueue}); so {@code large} runs with MBA at 20%, where its key-value service keeps up.
 */
class AllocationTest {

    @ParameterizedTest
    @ValueSource(strings = {"steady", "colocation", "membw", "diurnal", "trace", "large"})
    void advancingAllocatesNothingOnceWarm(String name) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long me = Thread.currentThread().threadId();
        SimMachine m = new SimMachine(Scenarios.builtIn(name), 1);
        m.apply(new dev.cohort.platform.ControlPlan(0, SimTests.allMba(m, 20)));
        m.advance(2_000_000_000L);
        long before = threads.getThreadAllocatedBytes(me);
        m.advance(5_000_000_000L);
        long allocated = threads.getThreadAllocatedBytes(me) - before;
        // A few hundred bytes of slack for the measurement itself; one object per step would be 5000 × 16 bytes.
        assertTrue(allocated < 1024, name + ": " + allocated + " bytes allocated over 5000 steps");
    }
}
