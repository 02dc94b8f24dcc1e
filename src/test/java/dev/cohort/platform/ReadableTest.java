package dev.cohort.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ReadableTest {
    @Test
    void durationsPickTheirUnit() {
        assertEquals("11.3 s", Readable.millis(11341));
        assertEquals("2.72 ms", Readable.micros(2716));
        assertEquals("34.6 s", Readable.micros(34628174));
        assertEquals("812 µs", Readable.nanos(812_400));
        assertEquals("1 s", Readable.millis(999.9));
        assertEquals("12.5 min", Readable.seconds(750));
        assertEquals("3 h", Readable.seconds(3 * 3600));
        assertEquals("0 s", Readable.seconds(0));
        assertEquals("n/a", Readable.seconds(Double.NaN));
    }

    @Test
    void sharesArePercent() {
        assertEquals("6.7%", Readable.share(0.0671));
        assertEquals("100%", Readable.share(1));
        assertEquals("0%", Readable.share(0));
        assertEquals("0.042%", Readable.share(0.00042));
        assertEquals("n/a", Readable.share(Double.NaN));
    }

    @Test
    void powersEnergiesFrequenciesAndCounts() {
        assertEquals("28.2 W", Readable.watts(28.21));
        assertEquals("950 mW", Readable.watts(0.95));
        assertEquals("1.69 kJ", Readable.joules(1687));
        assertEquals("950 J", Readable.joules(950));
        assertEquals("1 kJ", Readable.joules(999.9));
        assertEquals("2.4 GHz", Readable.kilohertz(2_400_000));
        assertEquals("384,750", Readable.count(384_750));
        assertEquals("12,400", Readable.number(12_400));
        assertEquals("0.0312", Readable.number(0.03124));
        assertEquals("-13.2", Readable.number(-13.16));
    }
}
