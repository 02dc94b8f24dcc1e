package dev.cohort.service;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.learn.onnx.AgentNetwork;
import dev.cohort.learn.onnx.DenseLayer;
import dev.cohort.learn.onnx.TestGraphs;
import dev.cohort.policy.Role;
import dev.cohort.policy.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A learned model that cannot decide (its output is NaN) falls back to its baseline, and the daemon says so: the
 * journal notes it and {@code cohort_model_fallbacks_total} counts it. The daemon always wraps the configured policies
 * in a per-role composite, so this goes through the daemon's own construction of its controller.
 */
class DaemonModelFallbackTest {
    @TempDir
    Path dir;

    @Test
    void aModelFallbackInsideTheDaemonsCompositeIsJournalledAndCounted() throws Exception {
        AgentNetwork net = TestModels.network(Role.CORE, 11, true, 7);
        float[] bias = net.head().bias().clone();
        bias[2] = Float.NaN; // a diverged training run
        var broken = new AgentNetwork(net.encoder(), net.gru(), new DenseLayer(net.head().inputs(), 11, net.head().weight(), bias));
        Path models = Files.createDirectories(dir.resolve("models"));
        TestGraphs.writeUnverified(broken, TestModels.contract(Role.CORE, 11, 16), models.resolve("core.onnx"));
        Path cfg = dir.resolve("sim.yaml");
        Files.writeString(cfg, """
                backend: sim
                period: 50ms
                sim: {scenario: steady, seed: 7}
                paths: {state_dir: %s, journal: %s}
                metrics: {port: 0}
                policy: {core: "onnx:%s", memory: slo-guard, quota: slo-guard}
                """.formatted(dir.resolve("run"), dir.resolve("journal.jsonl"), models));
        try (InProcessDaemon d = InProcessDaemon.start(cfg, dir.resolve("run/cohort.sock"))) {
            JsonNode s = d.awaitStatus(x -> x.path("ticks").path("count").asLong() >= 5, 60_000);
            String body = LatencySources.get("http://" + s.path("daemon").path("metrics").asText() + "/metrics");
            Matcher m = Pattern.compile("(?m)^cohort_model_fallbacks_total\\{role=\"core\"} (\\S+)$").matcher(body);
            assertTrue(m.find(), body);
            assertTrue(Double.parseDouble(m.group(1)) >= 1, "counted: " + m.group());
            assertTrue(body.contains("cohort_model_fallbacks_total{role=\"memory\"} 0.0"), "other roles present at 0");
        }
        String journal = Files.readString(dir.resolve("journal.jsonl"));
        assertTrue(journal.contains("core model fell back to") && journal.contains("core.onnx: output 'q' of agent"), journal.length() > 4000
                ? journal.substring(0, 4000) : journal);
    }
}
