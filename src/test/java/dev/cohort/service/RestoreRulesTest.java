package dev.cohort.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.cli.Main;
import dev.cohort.platform.linux.faketree.FakeTreeWriter;
import dev.cohort.platform.linux.faketree.TreeSpec;
import dev.cohort.service.status.StatusClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rule every restore follows, end to end on a fake host with the daemon as a subprocess: a value cohort did not
 * write is someone else's. A restart after a crash, a stop and {@code cohort restore} all leave such a knob as found,
 * keep it in the state file marked left until {@code --force} or {@code --forget}, and a running daemon holds a hand
 * change as a manual override. Each test reproduces a defect found on a real-shaped tree.
 */
class RestoreRulesTest {
    static final String MAIN = "dev.cohort.platform.linux.FakeKernelBackend";
    @TempDir
    Path dir;
    Path tree;
    Path socket;
    Path policy0;
    Path policy4;

    @BeforeEach
    void host() throws Exception {
        tree = FakeTreeWriter.write(dir.resolve("tree"), TreeSpec.intelServer(8, 2).withDriver(TreeSpec.Driver.ACPI_CPUFREQ));
        socket = dir.resolve("run/cohort.sock");
        policy0 = tree.resolve("sys/devices/system/cpu/cpufreq/policy0/scaling_max_freq");
        policy4 = tree.resolve("sys/devices/system/cpu/cpufreq/policy4/scaling_max_freq");
    }

    Path config(String core) throws Exception {
        return FakeHostConfig.write(dir, tree, core, "static:core=1", "static:quota=0.5", -1);
    }

    record Cli(int code, String out, String err) {
        String all() {
            return out + err;
        }
    }

    static Cli cohort(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Cli(code, out.toString(), err.toString());
    }

    static String read(Path p) throws Exception {
        return Files.readString(p).strip();
    }

    /** Every file's trimmed text by path: {@code cohort restore} writes as the kernel files are read, without a newline. */
    static Map<String, String> values(Path root) throws Exception {
        Map<String, String> out = new java.util.TreeMap<>();
        try (var files = Files.walk(root)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString(), Files.readString(p).strip());
            }
        }
        return out;
    }

    /** The files whose trimmed text differs. */
    static List<String> changed(Map<String, String> before, Path root) throws Exception {
        Map<String, String> now = values(root);
        java.util.Set<String> keys = new java.util.TreeSet<>(before.keySet());
        keys.addAll(now.keySet());
        return keys.stream().filter(k -> !java.util.Objects.equals(before.get(k), now.get(k))).toList();
    }

    static long ticks(JsonNode s) {
        return s.path("ticks").path("count").asLong();
    }

    DaemonProcess daemon(String logName, Path cfg, String... extra) throws Exception {
        String[] args = new String[extra.length + 1];
        args[0] = cfg.toString();
        System.arraycopy(extra, 0, args, 1, extra.length);
        return DaemonProcess.start(dir.resolve(logName), socket, Map.of(), MAIN, args);
    }

    /** The state file's knobs, read as plain JSON (so this test says the same of any build). */
    List<JsonNode> state() throws Exception {
        List<JsonNode> out = new java.util.ArrayList<>();
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("run/state.json").toFile()).path("knobs").forEach(out::add);
        return out;
    }

    /** Issue item 1 and 4: a restart after kill -9 leaves a knob someone changed meanwhile, and keeps it until told. */
    @Test
    void aRestartAfterACrashLeavesAHandChangedKnobAndKeepsItUntilTheOperatorDecides() throws Exception {
        Map<String, String> before = values(tree);
        Path cfg = config("static:core=0.3");
        try (DaemonProcess d = daemon("crash.log", cfg)) {
            d.awaitStatus(x -> ticks(x) >= 5, 60_000);
            d.kill9();
        }
        assertNotEquals("3401000", read(policy0), "cohort had lowered it");
        Files.writeString(policy0, "1234000\n"); // the operator, while cohort is down

        try (DaemonProcess d = daemon("restart.log", cfg)) {
            JsonNode s = d.awaitStatus(x -> ticks(x) >= 5, 60_000);
            assertEquals("1234000", read(policy0), "the restart leaves the operator's value\n" + d.log());
            assertFalse(d.log().contains("restored " + policy0), d.log());
            assertTrue(d.log().contains("left " + policy0), d.log());
            assertTrue(d.log().contains("held as a manual override (someone else's value): freq-domain 0 FREQ_MAX_KHZ = 1234000 kHz"), d.log());
            assertEquals("FREQ_MAX_KHZ", s.path("overrides").get(0).path("control").asText(), s.toString());
            assertEquals(0, d.term(30_000), d.log());
        }
        assertEquals("1234000", read(policy0), "the stop leaves it too");
        assertEquals(List.of(tree.relativize(policy0).toString()), changed(before, tree), "every other knob is back");
        List<JsonNode> kept = state();
        assertEquals(1, kept.size(), kept.toString());
        assertEquals("1234000", kept.getFirst().path("left").asText());
        assertEquals("3401000", kept.getFirst().path("original").asText(), "kept, with its original, for the operator to decide");

        Cli restore = cohort("restore", "--config", cfg.toString());
        assertEquals(0, restore.code(), restore.all());
        assertTrue(restore.out().contains("left " + policy0) && restore.out().contains("cohort restore --force writes the original"),
                restore.all());
        assertEquals("1234000", read(policy0));
        assertEquals(1, state().size(), "its own advice must still work: the entry is kept");

        // a dry run reports it once and carries on
        try (DaemonProcess d = daemon("dry.log", cfg, "--dry-run")) {
            d.awaitStatus(x -> ticks(x) >= 3, 60_000);
            assertTrue(d.log().contains("left " + policy0 + ": someone else set it to '1234000'"), d.log());
            assertEquals(0, d.term(30_000), d.log());
        }

        Cli forced = cohort("restore", "--config", cfg.toString(), "--force");
        assertEquals(0, forced.code(), forced.all());
        assertEquals("3401000", read(policy0), "--force writes the original");
        assertFalse(Files.exists(dir.resolve("run/state.json")));
        assertEquals(List.of(), changed(before, tree));
    }

    @Test
    void forgetDropsALeftKnobWithoutWritingIt() throws Exception {
        Path cfg = config("static:core=0.3");
        try (DaemonProcess d = daemon("crash.log", cfg)) {
            d.awaitStatus(x -> ticks(x) >= 5, 60_000);
            d.kill9();
        }
        Files.writeString(policy0, "1234000\n");
        Cli restore = cohort("restore", "--config", cfg.toString());
        assertEquals(0, restore.code(), restore.all());
        assertEquals(1, state().size());

        Cli wrong = cohort("restore", "--config", cfg.toString(), "--forget", "policy9/scaling_max_freq");
        assertEquals(1, wrong.code(), wrong.all());
        assertTrue(wrong.err().contains("names no knob left to someone else"), wrong.all());
        assertEquals(1, wrong.err().strip().lines().count(), wrong.err());

        Cli forget = cohort("restore", "--config", cfg.toString(), "--forget", "policy0/scaling_max_freq");
        assertEquals(0, forget.code(), forget.all());
        assertTrue(forget.out().contains("forgot " + policy0), forget.all());
        assertFalse(Files.exists(dir.resolve("run/state.json")));
        assertEquals("1234000", read(policy0));
        Cli nothing = cohort("restore", "--config", cfg.toString());
        assertTrue(nothing.out().contains("nothing to restore"), nothing.all());
    }

    /** Issue item 3: a kill between a knob's first write and the next save must not lose the original. */
    @Test
    void aCrashRightAfterTheFirstWriteIsRecognisedAsCohortsOwnWrite() throws Exception {
        Map<String, String> before = values(tree);
        Path cfg = config("static:core=0.3");
        try (DaemonProcess d = DaemonProcess.start(List.of("-Dcohort.test.crashAt=after-write:1"), dir.resolve("crash.log"), socket,
                Map.of(), MAIN, cfg.toString())) {
            assertEquals(137, d.await(60_000), d.log());
        }
        List<String> changed = changed(before, tree);
        assertEquals(1, changed.size(), "exactly one knob was written before the halt: " + changed);
        JsonNode s = state().getFirst();
        assertTrue(s.path("lastWritten").isNull(), "no save came after the write");

        Cli restore = cohort("restore", "--config", cfg.toString());
        assertEquals(0, restore.code(), restore.all());
        assertTrue(restore.out().contains("1 restored, 0 already original, 0 changed by someone else, 0 failed"), restore.all());
        assertEquals(List.of(), changed(before, tree), restore.all());
        assertFalse(Files.exists(dir.resolve("run/state.json")));
    }

    /** Issue item 5: a hand change while running is the operator's: detected, journalled, held, left at stop. */
    @Test
    void aHandChangeWhileRunningIsHeldAsAnOverrideAndLeftAtStop() throws Exception {
        Map<String, String> before = values(tree);
        Path cfg = config("static:core=0.3");
        try (DaemonProcess d = daemon("run.log", cfg)) {
            long at = ticks(d.awaitStatus(x -> ticks(x) >= 5, 60_000));
            String low = read(policy4);
            Files.writeString(policy0, "1234000\n");
            Files.writeString(policy4, "1234000\n");
            config("static:core=0.9"); // cohort's decision changes: it will want to write both domains
            assertTrue(StatusClient.ask(socket, StatusClient.request("reload")).orElseThrow().path("ok").asBoolean());
            JsonNode s = d.awaitStatus(x -> ticks(x) >= at + 10 && x.path("overrides").size() >= 2, 30_000);
            assertEquals("1234000", read(policy0), "not overwritten\n" + d.log());
            assertEquals("1234000", read(policy4));
            assertTrue(s.path("overrides").toString().contains("freq-domain 0"), s.path("overrides").toString());
            assertEquals("hand change", s.path("overrides").get(0).path("source").asText(), "status says whose it is");

            Cli rel = cohort("tune", "--config", cfg.toString(), "release", "freq", "1");
            assertEquals(0, rel.code(), rel.all());
            long at2 = ticks(d.awaitStatus(x -> true, 10_000));
            d.awaitStatus(x -> ticks(x) >= at2 + 5, 30_000);
            assertNotEquals("1234000", read(policy4), "released: cohort's to change again");
            assertNotEquals(low, read(policy4), "and it now follows static:core=0.9");
            assertEquals("1234000", read(policy0), "still held");
            assertEquals(0, d.term(30_000), d.log());
        }
        assertEquals("1234000", read(policy0), "the operator's value stays at stop");
        assertEquals("3401000", read(policy4), "the released one is restored like any of cohort's");
        assertEquals(List.of(tree.relativize(policy0).toString()), changed(before, tree));
        String journal = Files.readString(dir.resolve("journal.jsonl"));
        assertTrue(journal.contains("hand change detected"), "journalled");
        assertEquals("1234000", state().getFirst().path("left").asText());
    }

    /** Issue item 9: a release puts back what the override replaced (knobs the agents do not control stay put otherwise). */
    @Test
    void aReleasePutsBackTheValueBeforeTheOverride() throws Exception {
        Path cfg = config("static:core=1");
        Path weight = tree.resolve("sys/fs/cgroup/batch.slice/cpu.weight");
        Path min0 = tree.resolve("sys/devices/system/cpu/cpufreq/policy0/scaling_min_freq");
        try (DaemonProcess d = daemon("run.log", cfg)) {
            d.awaitStatus(x -> ticks(x) >= 3, 60_000);
            String w0 = read(weight);
            String m0 = read(min0);
            assertEquals(0, cohort("tune", "--config", cfg.toString(), "weight", "batch", "50").code());
            assertEquals(0, cohort("tune", "--config", cfg.toString(), "freq-min", "0", "2GHz").code());
            assertEquals("50", read(weight));
            assertEquals("2000000", read(min0));
            Cli rel = cohort("tune", "--config", cfg.toString(), "release", "all");
            assertEquals(0, rel.code(), rel.all());
            assertEquals(w0, read(weight), "weight back to what it was\n" + rel.all());
            assertEquals(m0, read(min0), "minimum frequency back to what it was");
            assertEquals(0, d.term(30_000), d.log());
        }
    }

    /** Issue item 2 and 8: a state file is data, not authority; any problem is one line, and nothing is written. */
    @Test
    void aStateFileNamingAFileOutsideTheManagedTreesIsRefusedWholeAndNothingIsWritten() throws Exception {
        Path cfg = config("static:core=0.3");
        Path outside = Files.writeString(dir.resolve("outside.txt"), "precious\n");
        Files.createDirectories(dir.resolve("outside/cg"));
        Path escaped = tree.resolve("sys/fs/cgroup/../../../outside/cg/cpu.max");
        Files.writeString(dir.resolve("outside/cg/cpu.max"), "max 100000\n");
        Files.writeString(policy0, "2000000\n"); // what cohort "wrote": a crash restore would put 3401000 back
        String good = entry(policy0.toString(), "3401000", "2000000");
        List<String[]> cases = List.of(
                new String[]{"[" + good + "," + entry(outside.toString(), "x", "precious") + "]", "knobs[1].id"},
                new String[]{"[" + good + "," + entry(escaped.toString(), "1 1", "max 100000") + "]", "knobs[1].id"},
                new String[]{"[" + good + "," + entry(tree.resolve("sys/fs/resctrl") + "#group", "absent", "present") + "]", "knobs[1].id"},
                new String[]{"[" + good + "," + entry(tree.resolve("sys/fs/resctrl/info") + "#group", "absent", "present") + "]", "knobs[1].id"},
                new String[]{"[" + good + "," + entry(tree.resolve("sys/fs/resctrl/be/schemata") + "#MB:x", "100", "50") + "]", "knobs[1].id"},
                new String[]{"[" + good + ",{\"id\":\"" + policy4 + "\",\"lastWritten\":\"1\"}]", "knobs[1].original"},
                new String[]{"[" + good + ",{\"id\":null,\"original\":\"1\"}]", "knobs[1].id"},
                new String[]{"[" + good + ",{\"id\":\"" + policy4 + "\",\"original\":\"1\",\"colour\":\"red\"}]", "knobs[1].colour"});
        Map<String, String> before = values(tree);
        for (String[] c : cases) {
            Files.createDirectories(dir.resolve("run"));
            Files.writeString(dir.resolve("run/state.json"), "{\"version\":1,\"pid\":1,\"knobs\":" + c[0] + "}");
            Cli r = cohort("restore", "--config", cfg.toString());
            assertEquals(1, r.code(), c[0] + "\n" + r.all());
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
            assertTrue(r.err().contains(dir.resolve("run/state.json").toString()) && r.err().contains(c[1]), c[1] + ": " + r.err());
            try (DaemonProcess d = daemon("start.log", cfg)) {
                assertEquals(1, d.await(60_000), d.log());
                assertTrue(d.log().contains(c[1]), d.log());
            }
            assertEquals(List.of(), changed(before, tree), "nothing half-applied: " + c[0]);
            assertEquals("precious", read(outside));
            assertEquals("max 100000", read(dir.resolve("outside/cg/cpu.max")));
        }
    }

    static String entry(String id, String original, String lastWritten) {
        return "{\"id\":\"" + id + "\",\"description\":\"d\",\"original\":\"" + original + "\",\"lastWritten\":\"" + lastWritten + "\"}";
    }

    /** Issue item 8: malformed state files are one line naming the file and what to do, exit 1. */
    @Test
    void malformedStateFilesAreOneLineErrors() throws Exception {
        Path cfg = config("static:core=0.3");
        Files.createDirectories(dir.resolve("run"));
        Path state = dir.resolve("run/state.json");
        String good = "{\"version\":1,\"pid\":1,\"knobs\":[" + entry(policy0.toString(), "3401000", "2000000") + "]}";
        Map<String, String> cases = Map.of(
                good + " trailing", "not valid JSON",
                "{\"version\":3,\"pid\":1,\"knobs\":[]}", "has version 3, written by a newer cohort",
                "{\"version\":1,\"pid\":1,\"knobs\":[],\"extra\":1}", "extra is not a key of a state file",
                "{\"version\":\"two\",\"knobs\":[]}", "version is missing or not a whole number",
                "[]", "is not a JSON object",
                "{\"version\":1,\"knobs\":[{\"id\":\"" + policy0 + "\",\"original\":3401000}]}", "knobs[0].original is not a string");
        Map<String, String> before = values(tree);
        for (var c : cases.entrySet()) {
            Files.writeString(state, c.getKey());
            Cli r = cohort("restore", "--config", cfg.toString());
            assertEquals(1, r.code(), c.getKey() + "\n" + r.all());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains(state.toString()) && r.err().contains(c.getValue()), c.getValue() + " in: " + r.err());
            assertFalse(r.err().contains("dev.cohort") || r.err().contains("Exception"), "no class names: " + r.err());
            assertEquals(List.of(), changed(before, tree));
        }
    }

    /** Issue item 9: the state file is private wherever cohort runs, not only under systemd. */
    @Test
    void theStateFileIsPrivate() throws Exception {
        Path cfg = config("static:core=0.3");
        try (DaemonProcess d = daemon("run.log", cfg)) {
            d.awaitStatus(x -> ticks(x) >= 3, 60_000);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("run/state.json"))));
            assertEquals(0, d.term(30_000), d.log());
        }
    }
}
