package dev.cohort.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EnergyCounterTest {
    @Test
    void undoesAWrapExactly() {
        var c = new EnergyCounter(262_143_328_850L);
        c.update(262_143_000_000L);
        long total = c.update(1_000L); // wrapped
        assertEquals((262_143_328_850L - 262_143_000_000L) + 1_000L, total);
        assertEquals(1, c.wraps());
    }

    @Test
    void firstReadingIsTheZeroPoint() {
        var c = new EnergyCounter(1000);
        assertEquals(0, c.update(700));
        assertEquals(200, c.update(900));
        assertEquals(400, c.update(100));
    }
}
