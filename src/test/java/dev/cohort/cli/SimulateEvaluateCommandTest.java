package dev.cohort.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateEvaluateCommandTest {
    record Out(int code, String out, String err) {
    }

    static Out run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Out(code, out.toString(), err.toString());
    }

    @Test
    void simulatePrintsTheRunsMetrics(@TempDir Path dir) throws Exception {
        Path tl = dir.resolve("timeline.csv");
        Path journal = dir.resolve("journal.jsonl");
        Out o = run("simulate", "--scenario", "steady", "--policy", "schedutil", "--duration", "5s", "--seed", "3",
                "--timeline", tl.toString(), "--journal", journal.toString());
        assertEquals(0, o.code(), o.err());
        for (String k : List.of("energy", "mean power", "LC latency p50", "LC latency p99", "ticks over SLO", "BE throughput",
                "BE fairness (Jain)", "CPU utilisation", "energy-delay", "mean reward")) {
            assertTrue(o.out().contains(k), "missing '" + k + "' in\n" + o.out());
        }
        List<String> rows = Files.readAllLines(tl);
        assertTrue(rows.getFirst().startsWith("t_s,power_w,reward,min_slack,slo_violated,web_latency_ms"), rows.getFirst());
        assertEquals(51, rows.size(), "a header and 50 ticks of 100 ms");
        assertTrue(o.out().matches("(?s).*energy +[0-9.]+ (k?J)\n.*"), o.out());
        assertTrue(o.out().matches("(?s).*mean power +[0-9.]+ W\n.*"), o.out());
        assertTrue(o.out().matches("(?s).*ticks over SLO +[0-9.]+%\n.*"), o.out());
        assertTrue(o.out().matches("(?s).*requests over SLO +[0-9.]+% \\([0-9,]+ of [0-9,]+ requests; dropped ones count as over\\).*"),
                o.out());
        assertTrue(o.out().contains("BE fairness (Jain)   n/a (no best-effort job; needs two)"), o.out());
        assertTrue(!o.out().contains(" us") && !o.out().contains("NaN"), o.out());
        JsonNode first = new ObjectMapper().readTree(Files.readAllLines(journal).getFirst());
        assertEquals("schedutil", first.get("policy").asText());
    }

    @Test
    void simulateJsonIsMachineReadable() throws Exception {
        Out o = run("simulate", "--scenario", "membw", "--policy", "slo-guard", "--duration", "3s", "--json");
        assertEquals(0, o.code(), o.err());
        JsonNode n = new ObjectMapper().readTree(o.out());
        // keys name their unit (energy_j) or say they are a fraction (_share); the run says what it ran
        assertTrue(n.get("energy_j").asDouble() > 0);
        assertTrue(n.get("lc_requests").asLong() > 0);
        assertEquals("membw", n.get("scenario").asText());
        assertEquals("slo-guard", n.get("policy").asText());
        assertEquals(1, n.get("seed").asLong());
        double share = n.get("lc_requests_over_slo_share").asDouble();
        assertTrue(share >= 0 && share <= 1, "a fraction: " + share);
        assertTrue(n.get("lc_requests_over_slo").asLong() <= n.get("lc_requests").asLong(), o.out());
        assertTrue(!o.out().contains("NaN"), o.out());
        assertTrue(n.get("be_jain_fairness").isNull(), "one job: no fairness, as null: " + o.out());
    }

    @Test
    void badInputGetsOneLineAndTheRightExitCode(@TempDir Path dir) throws Exception {
        Out unknown = run("simulate", "--scenario", "nosuch", "--policy", "schedutil");
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("steady") && unknown.err().strip().lines().count() == 1, unknown.err());

        Out policy = run("simulate", "--scenario", "steady", "--policy", "turbo", "--duration", "1s");
        assertEquals(1, policy.code());
        assertTrue(policy.err().contains("slo-guard"), policy.err());

        Out duration = run("simulate", "--scenario", "steady", "--policy", "schedutil", "--duration", "ten minutes");
        assertEquals(2, duration.code());
        assertTrue(duration.err().contains("10m"), duration.err());

        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "name: bad\nmachine:\n  socketz: 2\n");
        Out file = run("simulate", "--scenario", bad.toString(), "--policy", "schedutil");
        assertEquals(1, file.code());
        assertTrue(file.err().contains("bad.yaml") && file.err().contains("socketz"), file.err());
        assertTrue(!file.err().contains("Exception"), "no stack trace: " + file.err());
    }

    @Test
    void evaluateWritesTablesCsvJsonAndPlots(@TempDir Path dir) throws Exception {
        Out o = run("evaluate", "--scenarios", "steady,membw", "--policies", "performance,slo-guard", "--seeds", "2",
                "--duration", "3s", "--out", dir.toString(), "--no-progress");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("### membw") && o.out().contains("| slo-guard |"), o.out());
        // shares in percent as simulate prints them, values with their units, no NaN
        assertTrue(o.out().contains("| energy | ticks over SLO | LC p99 | BE work done | energy per BE work | mean reward |")
                && o.out().matches("(?s).*\\| [0-9.]+% ± [0-9.]+% \\|.*"), o.out());
        // steady has no best-effort job: its table has no work columns
        String steady = o.out().substring(o.out().indexOf("### steady"), o.out().indexOf("### membw"));
        assertTrue(steady.contains("| energy | ticks over SLO | LC p99 | mean reward |") && !steady.contains("BE "), steady);
        assertTrue(o.out().matches("(?s).*\\| [0-9.]+ W ± [0-9.]+ m?W \\|.*") && !o.out().contains("NaN"), o.out());
        assertEquals(1 + 2 * 2 * 2, Files.readAllLines(dir.resolve("runs.csv")).size());
        JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
        assertEquals(4, summary.size());
        assertEquals(2, summary.get(0).get("runs").asInt());
        for (String png : List.of("energy-vs-p99-steady.png", "timeline-membw.png")) {
            BufferedImage img = ImageIO.read(dir.resolve(png).toFile());
            assertTrue(img != null && img.getWidth() > 100, png);
        }
    }

    @Test
    void benchCommandsReportTheirFigures() {
        Out sim = run("bench", "sim", "--scenario", "steady", "--seconds", "2", "--warmup", "1");
        assertEquals(0, sim.code(), sim.err());
        assertTrue(sim.out().contains("million core-steps/s"), sim.out());
        Out tick = run("bench", "tick", "--scenario", "steady", "--ticks", "50", "--warmup", "10");
        assertEquals(0, tick.code(), tick.err());
        assertTrue(tick.out().contains("p99"), tick.out());
    }

    @Test
    void userErrorsNameTheOptionTheValueAndTheFix(@TempDir Path dir) throws Exception {
        Out seed = run("simulate", "--scenario", "steady", "--policy", "schedutil", "--seed", "abc");
        assertEquals(2, seed.code());
        assertEquals("cohort: --seed: 'abc' is not a whole number; give e.g. --seed 7", seed.err().lines().findFirst().orElseThrow());
        assertTrue(!seed.err().contains("long"), seed.err());

        Out policy = run("simulate", "--scenario", "steady", "--policy", "turbo", "--duration", "1s");
        assertEquals(1, policy.code());
        assertTrue(policy.err().contains("learned") && policy.err().contains("onnx:DIR") && policy.err().contains("schedutil"),
                policy.err());

        Out out = run("evaluate", "--scenarios", "steady", "--policies", "schedutil", "--seeds", "1", "--duration", "1s",
                "--out", "/proc/x", "--no-progress");
        assertEquals(1, out.code(), out.err());
        assertTrue(out.err().startsWith("cohort: --out /proc/x: cannot create the directory (no such file or directory)") && out.err().contains("give a directory you can write")
                && out.err().strip().lines().count() == 1, out.err());

        Path file = Files.writeString(dir.resolve("plain"), "x");
        Out tl = run("simulate", "--scenario", "steady", "--policy", "schedutil", "--duration", "1s",
                "--timeline", file.resolve("t.csv").toString());
        assertEquals(1, tl.code(), tl.err());
        assertTrue(tl.err().startsWith("cohort: --timeline " + file.resolve("t.csv")) && !tl.err().contains("internal error")
                && tl.err().strip().lines().count() == 1, tl.err());
    }
}
