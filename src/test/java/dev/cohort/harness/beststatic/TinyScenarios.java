package dev.cohort.harness.beststatic;

import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.Scenarios;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Short scenarios for best-static's tests: a second of two cores, with or without a batch job beside the service. */
final class TinyScenarios {
    private TinyScenarios() {
    }

    /** A service on two cores, and with {@code batch} a CPU-bound job sharing them; {@code load} of the service. */
    static String yaml(String name, double load, boolean batch) {
        return """
                # a comment, so that a copy without it is the same content
                name: %s
                description: Two cores for a second.
                durationSeconds: 1
                tickMillis: 100
                stepMicros: 1000
                machine:
                  sockets: 1
                  coresPerSocket: 2
                services:
                  - name: web
                    cpus: 0-1
                    sloMicros: 4000
                    sloQuantile: 0.99
                    request:
                      cycles: 750000
                      llcMisses: 2941
                      ipc: 1.5
                    arrivals:
                      profile: constant
                      load: %s
                """.formatted(name, load) + (batch ? """
                batch:
                  - name: build
                    cpus: 0-1
                    kind: cpu
                """ : "");
    }

    static Path write(Path dir, String file, String yaml) throws IOException {
        Path p = dir.resolve(file);
        Files.writeString(p, yaml);
        return p;
    }

    static Scenario load(Path dir, String name, double load, boolean batch) throws IOException {
        return Scenarios.load(write(dir, name + ".yaml", yaml(name, load, batch)));
    }
}
