package dev.cohort.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cohort.service.config.Units;
import org.junit.jupiter.api.Test;

class UnitsTest {
    @Test
    void quantitiesAsPeopleWriteThem() {
        assertEquals(100_000_000L, Units.nanos("100ms"));
        assertEquals(1_500_000_000L, Units.nanos("1.5s"));
        assertEquals(250_000L, Units.nanos("250us"));
        assertEquals(120_000_000_000L, Units.nanos("2m"));
        assertEquals(2_400_000L, Units.khz("2.4GHz"));
        assertEquals(2_400_000L, Units.khz("2400MHz"));
        assertEquals(2_400_000L, Units.khz("2400000kHz"));
        assertEquals(2_400_000L, Units.khz("2400000000Hz"));
        assertEquals(2.5, Units.percent("250%"));
        assertEquals(0.5, Units.percent("50 %"));
        assertEquals(16L << 20, Units.bytes("16MiB"));
        assertEquals(4096, Units.bytes("4096"));
        assertEquals(40e9, Units.bytesPerSec("40GB/s"));
        assertEquals(150.0, Units.watts("150W"));
        assertEquals("2.4 GHz", Units.formatKhz(2_400_000));
        assertEquals("800 MHz", Units.formatKhz(800_000));
        assertEquals("100 ms", Units.formatNanos(100_000_000));
    }

    @Test
    void wrongUnitsSayWhatWouldDo() {
        assertEquals("'2.4' is not a frequency (use GHz, MHz, kHz or Hz, e.g. 2.4GHz)",
                assertThrows(IllegalArgumentException.class, () -> Units.khz("2.4")).getMessage());
        assertEquals("'50' is not a percentage (e.g. 50%)", assertThrows(IllegalArgumentException.class, () -> Units.percent("50")).getMessage());
        assertEquals("'fast' is not a number with a unit (e.g. 100ms, 1s, 250us)",
                assertThrows(IllegalArgumentException.class, () -> Units.nanos("fast")).getMessage());
    }
}
