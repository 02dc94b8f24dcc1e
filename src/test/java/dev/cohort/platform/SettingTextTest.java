package dev.cohort.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SettingTextTest {
    @Test
    void aQuotaReadsInMicrosecondsWithTheirSign() {
        assertEquals("250000 µs per 100000 µs", new Setting.CpuMaxUsec(0, 250_000, 100_000).valueText());
        assertEquals("max per 100000 µs", new Setting.CpuMaxUsec(0, -1, 100_000).valueText());
    }
}
