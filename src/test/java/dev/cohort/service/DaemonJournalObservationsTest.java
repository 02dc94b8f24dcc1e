package dev.cohort.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.balance.cost.CostSample;
import dev.cohort.balance.cost.JournalSamples;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code journal.observations: true} makes the daemon's own journal what {@code cohort cost train --journal} trains the
 * power estimator from on a host: the tick lines carry the agents' observations and the measured package power, and
 * the journal reads back as estimator samples. Off by default (a line is several kilobytes with it).
 */
class DaemonJournalObservationsTest {
    @TempDir
    Path dir;

    private Path config(String journalKeys) throws IOException {
        Path c = dir.resolve("cohort.yaml");
        Files.writeString(c, """
                backend: sim
                period: 20ms
                sim: {scenario: colocation, seed: 7}
                paths: {state_dir: %s, journal: %s}
                metrics: {enabled: false}
                policy: {core: schedutil, memory: performance, quota: slo-guard}
                %s
                """.formatted(dir.resolve("run"), dir.resolve("journal.jsonl"), journalKeys));
        return c;
    }

    private void run(Path cfg) throws Exception {
        try (InProcessDaemon d = InProcessDaemon.start(cfg, dir.resolve("run/cohort.sock"))) {
            d.awaitStatus(s -> s.path("ticks").path("count").asLong() >= 40, 60_000);
            assertEquals(0, d.stop());
        }
    }

    @Test
    void theDaemonsJournalTrainsTheEstimatorWhenAsked() throws Exception {
        run(config("journal: {observations: true}"));
        Path journal = dir.resolve("journal.jsonl");
        List<String> ticks = Files.readAllLines(journal).stream().filter(l -> l.contains("\"tick\"") && l.contains("\"obs\"")).toList();
        assertTrue(ticks.size() >= 30, "tick lines with observations: " + ticks.size());
        List<CostSample> samples = JournalSamples.read(List.of(journal));
        assertTrue(samples.size() >= 30, "one sample per pair of measured ticks: " + samples.size());
        for (CostSample s : samples) {
            assertTrue(s.totalWatts() > 10 && s.totalWatts() < 70, "the simulated package's measured power: " + s.totalWatts());
            assertEquals(8, s.rowCount(), "one row per frequency domain of colocation's 8 cores");
        }
    }

    @Test
    void byDefaultTheJournalCarriesNoObservations() throws Exception {
        run(config(""));
        String journal = Files.readString(dir.resolve("journal.jsonl"));
        assertTrue(journal.contains("\"tick\""), "ticks were journalled");
        assertFalse(journal.contains("\"obs\""), "no observations unless asked");
    }
}
