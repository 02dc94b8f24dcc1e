package dev.cohort.service;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.cli.Main;
import dev.cohort.platform.linux.faketree.FakeTreeWriter;
import dev.cohort.platform.linux.faketree.TreeSpec;
import dev.cohort.service.status.StatusClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded crash-safety campaign, end to end on a fake host: in each round a daemon subprocess is killed at a chosen
 * event (before or after the N-th save or write, during the stop's restore, during {@code cohort restore}, or by a
 * plain kill -9 after a random delay), an operator changes random knobs by hand between runs, and at the end every
 * file of the tree is compared with what the restore rule says, as an independent model in this test predicts it (see
 * {@link KnobModel}): a knob holds its last hand-set value if the operator changed it, else its initial value; the state
 * file keeps only knobs the operator changed after cohort had saved them, marked left; {@code --force} writes back
 * their originals.
 *
 * <p>{@code -Dcohort.crash.rounds=N} (default 12) and {@code -Dcohort.crash.seed=S} choose the campaign; round i runs
 * with seed S+i, so {@code -Dcohort.crash.seed=S+i -Dcohort.crash.rounds=1} reproduces it alone. Every failure names
 * the seed and round and lists the round's steps; {@code -Dcohort.crash.progress=true} prints a line per round,
 * {@code -Dcohort.crash.verbose=true} every round's steps and model. Hand changes happen only while no cohort process runs (a
 * read-then-write race on sysfs cannot be closed; RestoreRulesTest covers a running daemon deterministically).
 */
class CrashSafetyTest {
    static final String DAEMON = "dev.cohort.platform.linux.FakeKernelBackend";
    static final String CLI = "dev.cohort.cli.Main";
    static final long DEFAULT_SEED = 20261204L;
    static final int DEFAULT_ROUNDS = 12;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path base;

    @Test
    void seededCrashRoundsLeaveEveryKnobAsTheRestoreRuleSays() throws Exception {
        long seed = Long.getLong("cohort.crash.seed", DEFAULT_SEED);
        int rounds = Integer.getInteger("cohort.crash.rounds", DEFAULT_ROUNDS);
        Tally tally = new Tally();
        long t0 = System.nanoTime();
        int done = 0;
        try {
            for (int i = 0; i < rounds; i++) {
                long roundSeed = seed + i;
                Round r = new Round(base.resolve("round" + i), roundSeed, tally);
                try {
                    r.play();
                } catch (AssertionError | Exception e) {
                    String premise = r.handValueCohortWrote();
                    throw new AssertionError("crash campaign seed " + seed + " round " + i + " (round seed " + roundSeed
                            + "; alone: -Dcohort.crash.seed=" + roundSeed + " -Dcohort.crash.rounds=1): " + e.getMessage()
                            + (premise == null ? "" : "\nNB the test's premise is broken: " + premise)
                            + "\nthe round's steps:\n" + String.join("\n", r.trace), e);
                }
                done++;
                if (Boolean.getBoolean("cohort.crash.progress")) {
                    System.out.printf(Locale.ROOT, "crash-safety: round %d/%d passed (round seed %d), %.0f s so far%n", i + 1, rounds,
                            roundSeed, (System.nanoTime() - t0) / 1e9);
                }
                if (Boolean.getBoolean("cohort.crash.verbose")) {
                    System.out.println("round " + i + " (seed " + roundSeed + "):\n" + String.join("\n", r.trace));
                }
                deleteTree(base.resolve("round" + i));
            }
        } finally {
            System.out.println(tally.summary(seed, done, rounds, (System.nanoTime() - t0) / 1e9));
        }
    }

    // ---------------------------------------------------------------- the model

    /** What may hold for one knob at rest (no cohort process running), as the rule implies. */
    enum Kind { CLEAN, OURS, LEFT }

    /**
     * One possible world for a knob: CLEAN (not in cohort's state; it holds {@code expected}), OURS (in the state as
     * cohort's, its original being {@code expected}; it holds that or a value cohort wrote or announced), or LEFT (in
     * the state, the operator's since cohort saved {@code original}; it holds {@code expected}).
     */
    record World(Kind kind, String original) {
        static final World CLEAN = new World(Kind.CLEAN, null);
        static final World OURS = new World(Kind.OURS, null);

        static World left(String original) {
            return new World(Kind.LEFT, original);
        }

        @Override
        public String toString() {
            return kind == Kind.LEFT ? "LEFT(original " + original + ")" : kind.toString();
        }
    }

    /**
     * The model of one knob file, independent of cohort's code: the value the rule says it must end with
     * ({@code expected}: the last hand-set value, else the initial one) and the set of worlds the crashes so far allow.
     * Invariants it rests on: hand values are never values cohort writes; the original cohort saves for a knob not in
     * its state is what the knob holds at rest, i.e. {@code expected}; a knob cohort holds as its own keeps that
     * original until restored; a hand change to such a knob (to anything but the original) makes it the operator's,
     * with that original.
     */
    static final class KnobModel {
        final String name;
        final Path file;
        final boolean controlled;
        final List<String> handValues;
        final String initial;
        String expected;
        Set<World> worlds = new LinkedHashSet<>(List.of(World.CLEAN));
        int handChanges;

        KnobModel(String name, Path file, boolean controlled, String initial, List<String> handValues) {
            this.name = name;
            this.file = file;
            this.controlled = controlled;
            this.initial = initial;
            this.expected = initial;
            this.handValues = handValues;
        }

        void hand(String h) {
            Set<World> next = new LinkedHashSet<>();
            for (World w : worlds) {
                switch (w.kind()) {
                    case CLEAN -> next.add(World.CLEAN);
                    case OURS -> next.add(h.equals(expected) ? World.OURS : World.left(expected));
                    case LEFT -> next.add(w);
                }
            }
            worlds = next;
            expected = h;
            handChanges++;
        }

        /** A cohort process (daemon or restore) stopped anywhere: any prefix of what it does may have happened. */
        void crashed(boolean daemon) {
            Set<World> next = new LinkedHashSet<>();
            for (World w : worlds) {
                switch (w.kind()) {
                    case CLEAN -> {
                        next.add(World.CLEAN);
                        if (daemon && controlled) {
                            next.add(World.OURS);
                        }
                    }
                    case OURS -> {
                        next.add(World.OURS);
                        next.add(World.CLEAN); // restored, and maybe (a daemon) saved and written again
                    }
                    case LEFT -> {
                        next.add(w);
                        if (w.original().equals(expected)) { // the operator put the original back: a restore drops it
                            next.add(World.CLEAN);
                            if (daemon && controlled) {
                                next.add(World.OURS);
                            }
                        }
                    }
                }
            }
            worlds = next;
        }

        /** A restore ran to its end (a daemon's clean stop, or cohort restore exiting 0). */
        void completed() {
            Set<World> next = new LinkedHashSet<>();
            for (World w : worlds) {
                next.add(w.kind() == Kind.LEFT && !w.original().equals(expected) ? w : World.CLEAN);
            }
            worlds = next;
        }

        /** What the knob holds at rest: anything but {@code expected} can only be a value of cohort's. */
        void observe(String value) {
            if (!value.equals(expected)) {
                if (!worlds.contains(World.OURS)) {
                    throw new AssertionError(name + " holds '" + value + "', expected '" + expected + "' (initial '" + initial
                            + "', " + handChanges + " hand change(s)); the model allows no value of cohort's there: " + worlds);
                }
                worlds = new LinkedHashSet<>(List.of(World.OURS));
            }
        }

        Set<String> leftOriginals() {
            return worlds.stream().filter(w -> w.kind() == Kind.LEFT).map(World::original).collect(Collectors.toCollection(LinkedHashSet::new));
        }
    }

    // ---------------------------------------------------------------- one round

    /** Crash events a daemon or a restore can be stopped at. */
    enum Ev {
        BEFORE_SAVE("before-save", 10), AFTER_SAVE("after-save", 10), BEFORE_WRITE("before-write", 7),
        AFTER_WRITE("after-write", 7), BEFORE_RESTORE_WRITE("before-restore-write", 3), AFTER_RESTORE_WRITE("after-restore-write", 3);

        final String id;
        final int maxN;

        Ev(String id, int maxN) {
            this.id = id;
            this.maxN = maxN;
        }
    }

    final class Round {
        final Path dir;
        final long seed;
        final Random rnd;
        final Tally tally;
        final List<String> trace = new ArrayList<>();
        final Map<String, KnobModel> knobs = new LinkedHashMap<>();
        Map<String, String> initialFiles;
        Path tree;
        Path socket;
        Path cfg;
        int step;
        boolean fastCore;

        Round(Path dir, long seed, Tally tally) {
            this.dir = dir;
            this.seed = seed;
            this.rnd = new Random(seed);
            this.tally = tally;
        }

        void play() throws Exception {
            Files.createDirectories(dir);
            tree = FakeTreeWriter.write(dir.resolve("tree"), TreeSpec.intelServer(8, 2).withDriver(TreeSpec.Driver.ACPI_CPUFREQ));
            socket = dir.resolve("run/cohort.sock");
            cfg = dir.resolve("cohort.yaml");
            initialFiles = values(tree);
            // Hand values: never values cohort writes here (it writes 2800000, 2000000 or 800000 kHz, and 480000 or
            // 560000 us of quota), and values the fake kernel holds as written (a frequency of its table: a value off the
            // table, once saved as an original, would read back otherwise after a restore through the fake kernel); each
            // knob's initial value is among them, for a hand change back to the original. scaling_min_freq is left out:
            // the fake kernel lowers it itself when a maximum goes below it.
            String freq = "sys/devices/system/cpu/cpufreq/policy%d/scaling_max_freq";
            knob("policy0/scaling_max_freq", freq.formatted(0), true, "3400000", "3401000");
            knob("policy4/scaling_max_freq", freq.formatted(4), true, "3400000", "3401000");
            knob("batch/cpu.max", "sys/fs/cgroup/batch.slice/cpu.max", true, "77000 100000", "250000 100000", "max 100000");
            knob("web/cpu.max", "sys/fs/cgroup/system.slice/web.service/cpu.max", false, "77000 100000", "max 100000");
            knob("batch/cpu.weight", "sys/fs/cgroup/batch.slice/cpu.weight", false, "123", "100");
            knob("web/cpu.weight", "sys/fs/cgroup/system.slice/web.service/cpu.weight", false, "777", "100");
            fastCore = rnd.nextBoolean();

            daemonRun(true);
            int more = 1 + rnd.nextInt(3);
            for (int s = 0; s < more; s++) {
                if (rnd.nextDouble() < 0.75) {
                    handChanges();
                }
                if (rnd.nextDouble() < 0.65) {
                    daemonRun(false);
                } else {
                    restoreRun(true);
                }
            }
            if (rnd.nextDouble() < 0.5) {
                handChanges();
            }
            if (rnd.nextDouble() < 0.3) {
                cleanDaemonRun();
            }
            finish();
            String premise = handValueCohortWrote();
            if (premise != null) {
                fail("the test's premise is broken: " + premise);
            }
        }

        void knob(String name, String rel, boolean controlled, String... hand) {
            Path f = tree.resolve(rel);
            knobs.put(name, new KnobModel(name, f, controlled, initialFiles.get(rel), List.of(hand)));
        }

        void log(String s) {
            trace.add("  " + (++step) + ". " + s);
        }

        void handChanges() throws Exception {
            int n = 1 + rnd.nextInt(3);
            List<String> names = new ArrayList<>(knobs.keySet());
            StringBuilder b = new StringBuilder("hand changes:");
            for (int i = 0; i < n; i++) {
                KnobModel k = knobs.get(names.get(rnd.nextInt(names.size())));
                List<String> theirs = k.handValues.stream().filter(x -> !x.equals(k.initial)).toList();
                String h = rnd.nextDouble() < 0.2 ? k.initial : theirs.get(rnd.nextInt(theirs.size()));
                String before = Files.readString(k.file).strip();
                Files.writeString(k.file, h + "\n"); // the operator's echo
                tally.hand++;
                if (h.equals(k.initial)) {
                    tally.handToInitial++;
                }
                if (k.worlds.stream().anyMatch(w -> w.kind() != Kind.CLEAN)) {
                    tally.handOnSaved++;
                }
                k.hand(h);
                b.append(' ').append(k.name).append(" '").append(before).append("' -> '").append(h).append("'");
            }
            log(b + "; model " + modelText());
        }

        String policy() {
            fastCore = !fastCore;
            return fastCore ? "static:core=0.9" : "static:core=0.3";
        }

        void writeConfig(String core, String quota) throws Exception {
            FakeHostConfig.write(dir, tree, core, "static:core=1", quota, -1); // at cfg: dir/cohort.yaml
        }

        /** A daemon run that ends at a seeded event (a crash in the first run; anything, a clean stop included, later). */
        void daemonRun(boolean first) throws Exception {
            String core = policy();
            String quota = rnd.nextBoolean() ? "static:quota=0.5" : "static:quota=0.7";
            writeConfig(core, quota);
            double p = rnd.nextDouble() * (first ? 0.9 : 1.0);
            int ticks = 4 + rnd.nextInt(10);
            if (p < 0.6) {
                Ev ev = p < 0.4 ? Ev.values()[rnd.nextInt(4)] : Ev.values()[4 + rnd.nextInt(2)];
                int n = 1 + rnd.nextInt(ev.maxN);
                daemon(core, quota, ev, n, ticks, -1);
            } else if (p < 0.9) {
                daemon(core, quota, null, 0, 0, 10 + rnd.nextInt(1991));
            } else {
                daemon(core, quota, null, 0, ticks, -1);
            }
        }

        void cleanDaemonRun() throws Exception {
            String core = policy();
            writeConfig(core, "static:quota=0.5");
            daemon(core, "static:quota=0.5", null, 0, 4 + rnd.nextInt(6), -1);
        }

        /**
         * Starts the daemon; with {@code killAfterMillis} >= 0 kills it -9 then; else waits for {@code ticks} ticks (or its
         * halt at the crash point) and stops it with SIGTERM (a restore-write crash point then fires in the stop's restore).
         */
        void daemon(String core, String quota, Ev ev, int n, int ticks, long killAfterMillis) throws Exception {
            List<String> jvm = ev == null ? List.of() : List.of("-Dcohort.test.crashAt=" + ev.id + ":" + n);
            Path logFile = dir.resolve("step" + (step + 1) + "-daemon.log");
            String what = "daemon " + core + " " + quota + (ev != null ? ", crash at " + ev.id + ":" + n
                    : killAfterMillis >= 0 ? ", kill -9 after " + killAfterMillis + " ms" : ", clean") + (killAfterMillis >= 0 ? "" : ", SIGTERM after " + ticks + " ticks");
            int code;
            String how;
            try (DaemonProcess d = DaemonProcess.start(jvm, logFile, socket, Map.of(), DAEMON, cfg.toString())) {
                if (killAfterMillis >= 0) {
                    if (d.process.waitFor(killAfterMillis, TimeUnit.MILLISECONDS)) {
                        fail("the daemon exited by itself with " + d.process.exitValue() + " before the kill:\n" + d.log());
                    }
                    d.kill9();
                    code = -9;
                    how = "killed";
                    tally.kill9++;
                } else if (awaitTicks(d, ticks)) {
                    d.process.destroy();
                    code = d.await(60_000);
                    how = "SIGTERM -> exit " + code;
                } else {
                    code = d.await(60_000);
                    how = "halted before " + ticks + " ticks, exit " + code;
                }
                if (code != -9 && code != 0 && !(code == 137 && ev != null)) {
                    log(what + ": " + how);
                    fail("the daemon exited with " + code + ":\n" + d.log());
                }
                if (ev != null) {
                    tally.planned.merge("daemon@" + ev.id, 1, Integer::sum);
                    if (code == 137) {
                        tally.hit.merge("daemon@" + ev.id, 1, Integer::sum);
                    }
                }
                tally.outcomes.merge("daemon " + (code == -9 ? "kill -9" : "exit " + code), 1, Integer::sum);
                log(what + ": " + how);
                if (code == 0) {
                    afterCompleted("the daemon's clean stop", d.log());
                } else {
                    knobs.values().forEach(k -> k.crashed(true));
                    if (code == -9) {
                        repairTornWrites();
                    }
                    afterCrash(d.log());
                }
            }
        }

        /** cohort restore as a subprocess, maybe halted at a seeded restore write or save. */
        void restoreRun(boolean crash) throws Exception {
            Ev ev = null;
            int n = 0;
            if (crash) {
                int c = rnd.nextInt(4);
                ev = c < 2 ? (c == 0 ? Ev.BEFORE_RESTORE_WRITE : Ev.AFTER_RESTORE_WRITE) : (c == 2 ? Ev.BEFORE_SAVE : Ev.AFTER_SAVE);
                n = 1 + rnd.nextInt(ev.maxN > 3 ? 1 : ev.maxN);
            }
            List<String> jvm = ev == null ? List.of() : List.of("-Dcohort.test.crashAt=" + ev.id + ":" + n);
            Path logFile = dir.resolve("step" + (step + 1) + "-restore.log");
            String what = "cohort restore" + (ev == null ? "" : ", crash at " + ev.id + ":" + n);
            try (DaemonProcess d = DaemonProcess.start(jvm, logFile, socket, Map.of(), CLI, "restore", "--config", cfg.toString())) {
                int code = d.await(60_000);
                log(what + ": exit " + code);
                if (code != 0 && !(code == 137 && ev != null)) {
                    fail("cohort restore exited with " + code + ":\n" + d.log());
                }
                if (ev != null) {
                    tally.planned.merge("restore@" + ev.id, 1, Integer::sum);
                    if (code == 137) {
                        tally.hit.merge("restore@" + ev.id, 1, Integer::sum);
                    }
                }
                tally.outcomes.merge("restore exit " + code, 1, Integer::sum);
                if (code == 0) {
                    afterCompleted("cohort restore", d.log());
                } else {
                    knobs.values().forEach(k -> k.crashed(false));
                    afterCrash(d.log());
                }
            }
        }

        /** True once the daemon ticked {@code ticks} times; false when it exited first. */
        boolean awaitTicks(DaemonProcess d, int ticks) throws Exception {
            long end = System.currentTimeMillis() + 90_000;
            while (System.currentTimeMillis() < end) {
                if (!d.process.isAlive()) {
                    return false;
                }
                try {
                    Optional<JsonNode> s = StatusClient.ask(socket, StatusClient.request("status"));
                    if (s.isPresent() && s.get().path("ticks").path("count").asLong() >= ticks) {
                        return true;
                    }
                } catch (RuntimeException e) {
                    // not listening yet
                }
                Thread.sleep(20);
            }
            fail("the daemon did not reach " + ticks + " ticks in 90 s:\n" + d.log());
            return false;
        }

        /**
         * A fake-tree artifact, not cohort's: the fake kernel writes a plain file (open with O_TRUNC, then write), so a kill
         * -9 between the two leaves it empty, which a sysfs or cgroupfs write (atomic, O_TRUNC ignored) never does. Such a
         * file gets the value the model expects back, as an operator putting the original back would (a hand change the
         * rule and the model treat alike whatever cohort's state), and is counted.
         */
        void repairTornWrites() throws Exception {
            for (KnobModel k : knobs.values()) {
                if (Files.readString(k.file).isBlank()) {
                    Files.writeString(k.file, k.expected + "\n");
                    tally.tornRepaired++;
                    log("fake-tree artifact: " + k.name + " was empty after the kill -9 (a plain file truncated between open and"
                            + " write); wrote back '" + k.expected + "'");
                }
            }
        }

        void afterCrash(String log) throws Exception {
            Map<String, String> now = values(tree);
            checkOtherFiles(now, log);
            Map<String, JsonNode> state = stateEntries();
            Map<String, List<String>> intents = intents();
            List<String> wrong = new ArrayList<>();
            for (KnobModel k : knobs.values()) {
                String v = now.get(rel(k));
                try {
                    k.observe(v);
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\nstate file: " + stateText() + "\nlog:\n" + log);
                }
                String id = k.file.toAbsolutePath().toString();
                JsonNode e = state.remove(id);
                if (!v.equals(k.expected)) {
                    // cohort's value on the knob: its original must be durable, and the value known as cohort's
                    if (e == null) {
                        wrong.add(k.name + " holds cohort's '" + v + "' but the state file does not keep its original '" + k.expected + "'");
                        continue;
                    }
                    List<String> ours = new ArrayList<>(intents.getOrDefault(id, List.of()));
                    e.path("intended").forEach(x -> ours.add(x.asText()));
                    if (e.path("lastWritten").isTextual()) {
                        ours.add(e.path("lastWritten").asText());
                    }
                    if (!e.path("left").isNull() || !e.path("original").asText().strip().equals(k.expected)
                            || ours.stream().noneMatch(x -> same(x, v))) {
                        wrong.add(k.name + " holds cohort's '" + v + "' (original '" + k.expected + "'), but the state file"
                                + " would not restore it: " + e + " intents " + intents.getOrDefault(id, List.of()));
                    }
                } else if (e != null) {
                    boolean left = !e.path("left").isNull();
                    String original = e.path("original").asText().strip();
                    // a left mark reaches the file at the next restore: until then a knob the operator took is kept as cohort's
                    boolean fits = k.leftOriginals().contains(original)
                            || (!left && k.worlds.contains(World.OURS) && original.equals(k.expected));
                    if (!fits) {
                        wrong.add(k.name + " is kept in the state file as " + e + ", which the model does not allow: " + k.worlds
                                + " (a knob of cohort's keeps the original '" + k.expected + "')");
                    }
                }
            }
            if (!state.isEmpty()) {
                wrong.add("the state file keeps knobs the model does not know: " + state.keySet());
            }
            if (!wrong.isEmpty()) {
                fail("after a crash: " + String.join("; ", wrong) + "\nstate file: " + stateText() + "\nlog:\n" + log);
            }
            trace.add("     model " + modelText());
        }

        /** The announcements appended since the last full save (a torn last line skipped), by knob id. */
        Map<String, List<String>> intents() throws Exception {
            Map<String, List<String>> out = new LinkedHashMap<>();
            Path p = dir.resolve("run/state.json.intents");
            if (Files.exists(p)) {
                for (String line : Files.readAllLines(p)) {
                    try {
                        JsonNode n = JSON.readTree(line);
                        out.computeIfAbsent(n.path("id").asText(), x -> new ArrayList<>()).add(n.path("value").asText());
                    } catch (Exception torn) {
                        // a crash mid-append: never written
                    }
                }
            }
            return out;
        }

        void afterCompleted(String what, String log) throws Exception {
            knobs.values().forEach(KnobModel::completed);
            Map<String, String> now = values(tree);
            checkOtherFiles(now, log);
            List<String> wrong = new ArrayList<>();
            for (KnobModel k : knobs.values()) {
                String v = now.get(rel(k));
                if (!v.equals(k.expected)) {
                    wrong.add(k.name + " holds '" + v + "', the rule says '" + k.expected + "' (initial '" + k.initial + "', "
                            + k.handChanges + " hand change(s), model " + k.worlds + ")");
                }
            }
            if (!wrong.isEmpty()) {
                fail("after " + what + ": " + String.join("; ", wrong) + "\nstate file: " + stateText() + "\nlog:\n" + log);
            }
            trace.add("     model " + modelText());
        }

        void checkOtherFiles(Map<String, String> now, String log) {
            Set<String> knobFiles = knobs.values().stream().map(this::rel).collect(Collectors.toSet());
            List<String> diff = new ArrayList<>();
            Set<String> keys = new java.util.TreeSet<>(initialFiles.keySet());
            keys.addAll(now.keySet());
            for (String f : keys) {
                if (!knobFiles.contains(f) && !java.util.Objects.equals(initialFiles.get(f), now.get(f))) {
                    diff.add(f + ": '" + initialFiles.get(f) + "' -> '" + now.get(f) + "'");
                }
            }
            if (!diff.isEmpty()) {
                fail("files cohort must not leave changed: " + diff + "\nlog:\n" + log);
            }
        }

        String rel(KnobModel k) {
            return tree.relativize(k.file).toString();
        }

        /** The final clean cohort restore, the state file against the model, then --force. */
        void finish() throws Exception {
            Cli r = cohort("restore", "--config", cfg.toString());
            log("cohort restore (final, in process): exit " + r.code());
            if (r.code() != 0) {
                fail("the final cohort restore exited with " + r.code() + ":\n" + r.all());
            }
            afterCompleted("the final cohort restore", r.all());

            Map<String, JsonNode> state = stateEntries();
            List<String> wrong = new ArrayList<>();
            Map<String, String> forcedTo = new TreeMap<>();
            for (KnobModel k : knobs.values()) {
                JsonNode e = state.remove(k.file.toAbsolutePath().toString());
                Set<String> origs = k.leftOriginals();
                boolean mayStay = !origs.isEmpty();
                boolean mustStay = k.worlds.stream().allMatch(w -> w.kind() == Kind.LEFT);
                if (e == null) {
                    if (mustStay) {
                        wrong.add(k.name + " is not in the state file, but the operator changed it after cohort saved it (model "
                                + k.worlds + ")");
                    }
                    continue;
                }
                if (!mayStay) {
                    wrong.add(k.name + " is in the state file (" + e + "), but the model has it restored or never saved: " + k.worlds);
                    continue;
                }
                String left = e.path("left").isTextual() ? e.path("left").asText() : null;
                String original = e.path("original").asText();
                if (left == null || !left.strip().equals(k.expected)) {
                    wrong.add(k.name + " is kept but not marked left with '" + k.expected + "': " + e);
                }
                if (!origs.contains(original.strip())) {
                    wrong.add(k.name + " is kept with original '" + original + "', the model allows " + origs);
                }
                forcedTo.put(k.name, original.strip());
            }
            if (!state.isEmpty()) {
                wrong.add("the state file keeps knobs the model does not know: " + state.keySet());
            }
            if (!wrong.isEmpty()) {
                fail("after the final cohort restore: " + String.join("; ", wrong) + "\nstate file: " + stateText() + "\n" + r.all());
            }
            if (!forcedTo.isEmpty()) {
                tally.roundsWithLeft++;
                tally.leftAtEnd += forcedTo.size();
            }

            if (!forcedTo.isEmpty() && rnd.nextDouble() < 0.3) {
                List<String> names = new ArrayList<>(forcedTo.keySet());
                String gone = names.get(rnd.nextInt(names.size()));
                Cli g = cohort("restore", "--config", cfg.toString(), "--forget", knobs.get(gone).file.toAbsolutePath().toString());
                log("cohort restore --forget " + gone + ": exit " + g.code());
                if (g.code() != 0) {
                    fail("cohort restore --forget " + gone + " exited with " + g.code() + ":\n" + g.all());
                }
                forcedTo.remove(gone);
                tally.forgotten++;
                if (stateEntries().containsKey(knobs.get(gone).file.toAbsolutePath().toString())) {
                    fail("--forget " + gone + " left it in the state file: " + stateText());
                }
            }

            Cli f = cohort("restore", "--config", cfg.toString(), "--force");
            log("cohort restore --force: exit " + f.code() + ", writes the originals of " + forcedTo);
            if (f.code() != 0) {
                fail("cohort restore --force exited with " + f.code() + ":\n" + f.all());
            }
            Map<String, String> now = values(tree);
            checkOtherFiles(now, f.all());
            for (KnobModel k : knobs.values()) {
                String want = forcedTo.getOrDefault(k.name, k.expected);
                String v = now.get(rel(k));
                if (!v.equals(want)) {
                    wrong.add(k.name + " holds '" + v + "' after --force, expected '" + want + "'");
                }
                if (forcedTo.containsKey(k.name) && want.equals(k.initial)) {
                    tally.forcedToInitial++;
                }
            }
            if (Files.exists(dir.resolve("run/state.json"))) {
                wrong.add("the state file is still there after --force: " + stateText());
            }
            if (!wrong.isEmpty()) {
                fail("after cohort restore --force: " + String.join("; ", wrong) + "\n" + f.all());
            }
            tally.rounds++;
        }

        /**
         * The model's premise: no value the operator writes is one cohort writes (checked against the journal's requested
         * and applied values); null when it holds, else which value broke it.
         */
        String handValueCohortWrote() {
            try {
                Path j = dir.resolve("journal.jsonl");
                String text = Files.exists(j) ? Files.readString(j) : "";
                for (KnobModel k : knobs.values()) {
                    for (String h : k.handValues) {
                        if (!h.equals(k.initial) && (text.contains("\"requested\":\"" + h + "\"") || text.contains("\"applied\":\"" + h + "\""))) {
                            return "cohort wrote the hand value '" + h + "' (" + k.name + ")";
                        }
                    }
                }
                return null;
            } catch (Exception e) {
                return null;
            }
        }

        Map<String, JsonNode> stateEntries() throws Exception {
            Map<String, JsonNode> out = new LinkedHashMap<>();
            Path p = dir.resolve("run/state.json");
            if (Files.exists(p)) {
                JSON.readTree(p.toFile()).path("knobs").forEach(n -> out.put(n.path("id").asText(), n));
            }
            return out;
        }

        String stateText() {
            try {
                Path p = dir.resolve("run/state.json");
                Path i = dir.resolve("run/state.json.intents");
                return (Files.exists(p) ? Files.readString(p) : "(none)") + (Files.exists(i) ? "\nintents: " + Files.readString(i) : "");
            } catch (Exception e) {
                return "(unreadable: " + e + ")";
            }
        }

        String modelText() {
            return knobs.values().stream().filter(k -> k.handChanges > 0 || !k.worlds.equals(Set.of(World.CLEAN)))
                    .map(k -> k.name + "='" + k.expected + "' " + k.worlds).collect(Collectors.joining(", ", "{", "}"));
        }
    }

    // ---------------------------------------------------------------- helpers

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

    /** The same setting: equal text up to whitespace (the numbers here are all written canonically). */
    static boolean same(String a, String b) {
        return a.strip().replaceAll("\\s+", " ").equals(b.strip().replaceAll("\\s+", " "));
    }

    /** Every regular file's trimmed text by relative path (cohort restore writes without the kernel's newline). */
    static Map<String, String> values(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString(), Files.readString(p).strip());
            }
        }
        return out;
    }

    static void deleteTree(Path p) {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        } catch (Exception ignored) {
            // @TempDir removes what is left
        }
    }

    /** What a campaign did, printed as one line. */
    static final class Tally {
        int rounds;
        int hand;
        int handToInitial;
        int handOnSaved;
        int kill9;
        int roundsWithLeft;
        int leftAtEnd;
        int forcedToInitial;
        int forgotten;
        int tornRepaired;
        final Map<String, Integer> planned = new TreeMap<>();
        final Map<String, Integer> hit = new TreeMap<>();
        final Map<String, Integer> outcomes = new TreeMap<>();

        String summary(long seed, int done, int asked, double seconds) {
            String events = planned.entrySet().stream().map(e -> e.getKey() + " " + hit.getOrDefault(e.getKey(), 0) + "/" + e.getValue())
                    .collect(Collectors.joining(", "));
            return String.format(Locale.ROOT, "crash-safety: seed %d, %d/%d rounds passed in %.1f s; crash points hit/planned: %s;"
                            + " kill -9 at random delays %d; hand changes %d (%d to the initial value, %d on knobs cohort may hold);"
                            + " outcomes %s; rounds ending with left knobs %d (%d knobs: %d forgotten, %d forced back to the initial value); fake-tree torn writes repaired %d",
                    seed, done, asked, seconds, events, kill9, hand, handToInitial, handOnSaved, outcomes, roundsWithLeft, leftAtEnd,
                    forgotten, forcedToInitial, tornRepaired);
        }
    }
}
