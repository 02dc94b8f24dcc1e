package dev.cohort.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The configuration the end-to-end tests run the daemon with on a generated fake host: a 50 ms period, no perf
 * counters, the state and the journal beside the test, and the two cgroups the tree has (web latency-critical with a
 * 5 ms p99 target, batch best-effort).
 */
final class FakeHostConfig {
    private FakeHostConfig() {
    }

    /**
     * Writes it to {@code dir/cohort.yaml}, with the state in {@code dir/run} and the journal {@code dir/journal.jsonl}.
     *
     * @param metricsPort 0 for a free port; negative: metrics off
     */
    static Path write(Path dir, Path tree, String core, String memory, String quota, int metricsPort) throws IOException {
        Path c = dir.resolve("cohort.yaml");
        Files.writeString(c, """
                period: 50ms
                host:
                  root: %s
                  perf: false
                paths:
                  state_dir: %s
                  journal: %s
                metrics:
                  %s
                policy:
                  core: "%s"
                  memory: "%s"
                  quota: "%s"
                cgroups:
                  - name: web
                    path: system.slice/web.service
                    role: latency-critical
                    slo: {target: 5ms, quantile: 0.99}
                  - name: batch
                    path: batch.slice
                    role: best-effort
                """.formatted(tree, dir.resolve("run"), dir.resolve("journal.jsonl"),
                metricsPort < 0 ? "enabled: false" : "port: " + metricsPort, core, memory, quota));
        return c;
    }
}
