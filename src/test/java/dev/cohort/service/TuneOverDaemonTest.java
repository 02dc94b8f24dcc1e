package dev.cohort.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cohort tune} through a running daemon on the simulated machine: it says nothing is held when no knob took
 * the value (the simulated machine has no EPP), and it refuses a quota on a latency-critical cgroup unless forced.
 */
class TuneOverDaemonTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void eppOnTheSimulatedMachineHoldsNothingAndAQuotaOnTheServiceNeedsForce() throws Exception {
        Path cfg = dir.resolve("sim.yaml");
        Files.writeString(cfg, """
                backend: sim
                period: 50ms
                sim: {scenario: colocation, seed: 7}
                paths: {state_dir: %s, journal: %s}
                metrics: {enabled: false}
                """.formatted(dir.resolve("run"), dir.resolve("journal.jsonl")));
        Path socket = dir.resolve("run/cohort.sock");
        try (InProcessDaemon d = InProcessDaemon.start(cfg, socket)) {
            d.awaitStatus(x -> x.path("ticks").path("count").asLong() >= 2, 60_000);
            Run epp = cli("tune", "--config", cfg.toString(), "epp", "all", "balance_power");
            assertEquals(1, epp.code(), epp.out() + epp.err());
            assertFalse(epp.out().contains("held by the running daemon"), epp.out());
            assertTrue(epp.out().lines().anyMatch(l -> l.startsWith("nothing is held: the running daemon could not set any of these knobs (")),
                    epp.out());
            JsonNode s = d.awaitStatus(x -> true, 10_000);
            assertEquals(0, s.path("overrides").size(), "no override is held: " + s.path("overrides"));

            Run refused = cli("tune", "--config", cfg.toString(), "quota", "web", "200%");
            assertEquals(1, refused.code(), refused.out() + refused.err());
            assertTrue(refused.err().startsWith("cohort: cgroup web is latency-critical: a quota would throttle the service"), refused.err());
            Run forced = cli("tune", "--config", cfg.toString(), "quota", "web", "200%", "--force");
            assertEquals(0, forced.code(), forced.out() + forced.err());
            assertTrue(forced.out().contains("held by the running daemon"), forced.out());
            assertEquals(0, d.stop(), d.log());
        }
    }
}
