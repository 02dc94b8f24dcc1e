package dev.cohort.platform.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.platform.CgroupRole;
import dev.cohort.platform.CohortException;
import dev.cohort.platform.Signal;
import dev.cohort.platform.Telemetry;
import dev.cohort.platform.TelemetryInterval;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Built-in scenarios load and run; bad scenario files give one-line errors naming file, key and what is allowed. */
class ScenariosTest {
    @TempDir
    Path dir;

    static List<String> builtIns() {
        return Scenarios.builtInNames();
    }

    @Test
    void theRequiredScenariosAreBuiltIn() {
        assertTrue(Scenarios.builtInNames().containsAll(List.of("steady", "colocation", "membw", "diurnal", "trace", "large")));
    }

    @Test
    void everyScenarioFileInTheRepositoryIsListedAsBuiltIn() throws IOException {
        Path configs = Path.of(System.getProperty("cohort.repo", "."), "configs", "scenarios");
        try (var files = Files.list(configs)) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.substring(0, n.length() - 5)).sorted().toList();
            assertEquals(Scenarios.builtInNames().stream().sorted().toList(), names);
        }
    }

    @ParameterizedTest
    @MethodSource("builtIns")
    void builtInScenarioLoadsAndRuns(String name) {
        Scenario s = Scenarios.builtIn(name);
        assertEquals(name, s.name());
        assertFalse(s.description().isBlank(), "has a description");
        SimMachine m = new SimMachine(s, 1);
        assertEquals(s.machine().cpuCount(), m.topology().cpuCount());
        Telemetry a = m.sample();
        for (int i = 0; i < 20; i++) {
            m.advance(s.tickNanos());
        }
        Telemetry b = m.sample();
        TelemetryInterval iv = TelemetryInterval.between(a, b);
        assertEquals(20 * s.tickNanos() / 1e9, iv.seconds(), 1e-12);
        assertTrue(iv.totalPackageWatts() > 0, "uses power");
        for (int g : m.topology().cgroupsWithRole(CgroupRole.LATENCY_CRITICAL)) {
            assertTrue(iv.delta(Signal.CGROUP_REQUESTS, g) > 0, name + ": service " + g + " served requests");
            assertTrue(b.latency(g).count() > 0);
        }
        for (int g : m.topology().cgroupsWithRole(CgroupRole.BEST_EFFORT)) {
            assertTrue(iv.delta(Signal.CGROUP_INSTRUCTIONS, g) > 0, name + ": batch " + g + " made progress");
            assertTrue(m.nominalInstructionsPerSec(g) > 0);
        }
        for (int c = 0; c < m.topology().cpuCount(); c++) {
            double u = iv.utilisation(c);
            assertTrue(u >= 0 && u <= 1, "utilisation of CPU " + c + ": " + u);
        }
    }

    @Test
    void resolveTakesAPathOrABuiltInName() throws IOException {
        Path p = dir.resolve("mine.yaml");
        Files.writeString(p, "description: mine\n");
        assertEquals("mine", Scenarios.resolve(p.toString()).name());
        assertEquals("membw", Scenarios.resolve("membw").name());
        CohortException e = assertThrows(CohortException.class, () -> Scenarios.resolve("nonesuch"));
        assertTrue(e.getMessage().contains("steady, colocation, membw, diurnal, trace, large"), e.getMessage());
    }

    @Test
    void aCopiedBuiltInStillFindsTheShippedTrace() throws IOException {
        Path p = dir.resolve("scenarios").resolve("mytrace.yaml");
        Files.createDirectories(p.getParent());
        try (var in = Scenarios.class.getResourceAsStream("/configs/scenarios/trace.yaml")) {
            Files.write(p, in.readAllBytes());
        }
        Scenario s = Scenarios.load(p);
        assertTrue(((ArrivalSpec.Trace) s.services().getFirst().arrivals()).source().startsWith("classpath:/configs/traces/"));
    }

    @Test
    void aTraceNextToTheScenarioFileIsUsed() throws IOException {
        Files.writeString(dir.resolve("t.csv"), "at,size\n0.0,1\n0.5,3\n1.0,2\n");
        Scenario s = SimTests.scenario(dir, "local", """
                services:
                  - name: s
                    cpus: 0-1
                    sloMicros: 1000
                    arrivals: {profile: trace, file: t.csv, timestampColumn: at, sizeColumns: {size: 1}, timeScale: 1}
                """);
        TraceData d = ((ArrivalSpec.Trace) s.services().getFirst().arrivals()).trace();
        assertEquals(3, d.count());
        assertEquals(1.5, d.size(1), 1e-12, "sizes are normalised to mean 1");
        assertEquals(1_000_000_000L, d.offsetNanos(2));
    }

    @Test
    void unknownKeysAreErrorsListingTheAllowedKeys() {
        assertError("machine:\n  sockets: 1\n  frequncy: {maxMhz: 3000}\n",
                "3: machine.frequncy: unknown key (allowed here: sockets, coresPerSocket, coresPerFreqDomain, reservedCpus,"
                        + " frequency, power, memory, rapl)");
        assertError("durationSecs: 10\n", "1: durationSecs: unknown key (allowed here: name, description, durationSeconds");
        assertError("services:\n  - {name: a, cpus: 0, sloMicros: 100, arrivals: {profile: diurnal, load: 0.5}}\n",
                "2: services[0].arrivals.load: unknown key (allowed here: profile, minLoad, peakLoad, periodSeconds)");
    }

    @Test
    void badValuesAreErrorsSayingWhatIsAllowed() {
        assertError("machine: {sockets: two}\n", "1: machine.sockets: expected a whole number from 1 to 64, got 'two'");
        assertError("machine: {frequency: {minMhz: 2000, maxMhz: 1500}}\n",
                "1: machine.frequency.maxMhz: expected a number from 2000 to 10000, got '1500'");
        assertError("services:\n  - {name: a, cpus: 0, sloMicros: 100, arrivals: {profile: sawtooth}}\n",
                "2: services[0].arrivals.profile: expected one of constant, step, diurnal, bursty, trace, got 'sawtooth'");
        assertError("services:\n  - {name: a, cpus: 0, sloMicros: 100, arrivals: {profile: bursty, shape: 2}}\n",
                "2: services[0].arrivals.shape: only with onOffTail: pareto (exponential durations have no shape)");
        assertError("services:\n  - {name: a, cpus: 0, sloMicros: 100, arrivals: {profile: bursty, onOffTail: pareto, shape: 1}}\n",
                "2: services[0].arrivals.shape: expected a number from 1.05 to 100, got '1'");
        assertError("batch:\n  - {name: b, cpus: 0-3, kind: gpu}\n", "2: batch[0].kind: expected one of cpu, stream, got 'gpu'");
        assertError("batch:\n  - {name: b, cpus: 0-99}\n", "2: batch[0].cpus: CPU 99 is outside the machine (CPUs 0-7)");
        assertError("batch:\n  - {name: b, cpus: 0, cpuMax: '500 100000'}\n",
                "2: batch[0].cpuMax: cpu.max quota 500 µs is below the minimum 1000 µs");
        assertError("services:\n  - {name: a, cpus: 0-3, sloMicros: 100, arrivals: {load: 0.5}}\n"
                        + "  - {name: b, cpus: 3-5, sloMicros: 100, arrivals: {load: 0.5}}\n",
                "3: services[1].cpus: overlaps the CPUs of an earlier entry (0-3)");
        assertError("services:\n  - {name: a, cpus: 0, arrivals: {load: 0.5}}\n",
                "2: services[0].sloMicros: missing (a number from 1 to 1000000000 is required)");
        assertError("services:\n  - {name: a, cpus: 0, sloMicros: 100, arrivals: {profile: trace, file: none.csv, timeScale: 1}}\n",
                "2: services[0].arrivals.file: cannot read trace 'none.csv': not found (looked in ");
        assertError("tickMillis: 2.5\nstepMicros: 1000\n", "1: tickMillis: must be a whole number of internal steps");
        assertError("machine: [1, 2]\n", "1: machine: expected a mapping of keys (key: value), got a list");
        assertError("machine:\n  sockets: 1\n  sockets: 2\n", "3: machine.sockets: the key appears twice (lines 2 and 3)");
        assertError("machine: {sockets: 1\nservices: [\n", "2: not valid YAML: while parsing a flow mapping: expected ',' or '}'");
        assertError("- steady\n", "1: expected a mapping of keys (key: value) at the top level, got a list");
    }

    @Test
    void aMissingFileIsAnErrorNamingIt() {
        Path p = dir.resolve("absent.yaml");
        CohortException e = assertThrows(CohortException.class, () -> Scenarios.load(p));
        assertTrue(e.getMessage().startsWith(p + ": no such scenario file"), e.getMessage());
        assertOneLine(e);
    }

    /** {@code expected} is what follows the file name: the line, the key and the start of the problem. */
    private void assertError(String yaml, String expected) {
        Path p = dir.resolve("bad.yaml");
        try {
            Files.writeString(p, yaml);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        CohortException e = assertThrows(CohortException.class, () -> Scenarios.load(p));
        assertTrue(e.getMessage().startsWith(p + ":" + expected), "expected '" + p + ":" + expected + "...', got: " + e.getMessage());
        assertOneLine(e);
    }

    private static void assertOneLine(CohortException e) {
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }
}
