package dev.cohort.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cohort.platform.linux.faketree.FakeTreeWriter;
import dev.cohort.platform.linux.faketree.TreeSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package, end to end on this machine: built by {@code bin/package-deb}, installed with {@code dpkg -i},
 * run from /opt/cohort with no JDK on PATH, its unit verified, knobs tuned on a fake tree put back by an upgrade and by
 * the removal, and nothing of cohort's left after the removal but /etc/cohort, which the purge drops.
 *
 * <p>Tagged {@code deb}: it installs a system package, so {@code mvn verify} leaves it out unless
 * {@code -Dcohort.test.excludedGroups=none}. CI ({@code .ci/run}) runs it that way and fails when it did not run or was
 * skipped; it never skips itself: a machine where it cannot run (no root or password-less sudo, no dpkg, cohort already
 * installed) fails it with the reason.
 */
@Tag("deb")
class DebianPackageTest {
    static final Path REPO = Path.of(System.getProperty("cohort.repo", ".")).toAbsolutePath();
    static final Path LAUNCHER = Path.of("/opt/cohort/bin/cohort");
    static final Path CONFIG = Path.of("/etc/cohort/cohort.yaml");
    static final Path UNIT = Path.of("/usr/lib/systemd/system/cohort.service");

    @TempDir
    Path dir;

    record Run(int code, String out) {
        Run expect(int want, String what) {
            assertEquals(want, code, what + " exited " + code + ":\n" + out);
            return this;
        }
    }

    @Test
    void buildsInstallsRunsWithoutAJdkRestoresKnobsAndRemovesAllButTheConfiguration() throws Exception {
        preconditions();
        long t0 = System.nanoTime();
        run(List.of(REPO.resolve("bin/package-deb").toString(), "--no-build", "--out", dir.toString()), 900)
                .expect(0, "bin/package-deb");
        long buildMs = millisSince(t0);
        Path deb;
        try (Stream<Path> s = Files.list(dir)) {
            deb = s.filter(p -> p.getFileName().toString().matches("cohort_.*\\.deb")).findFirst().orElseThrow();
        }
        List<String> paths = packagePaths(deb);
        List<String> existedBefore = paths.stream().filter(p -> Files.exists(Path.of(p), java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList();
        long t1 = System.nanoTime();
        Run install;
        try {
            install = root("dpkg", "-i", deb.toString()).expect(0, "dpkg -i");
            long installMs = millisSince(t1);
            assertTrue(install.out().contains("cohort: installed, not started."), install.out());
            if (Files.isDirectory(Path.of("/run/systemd/system"))) {
                assertFalse(run(List.of("systemctl", "is-active", "--quiet", "cohort.service"), 60).code() == 0, "started on install");
                assertFalse(run(List.of("systemctl", "is-enabled", "--quiet", "cohort.service"), 60).code() == 0, "enabled on install");
            }

            withoutAJdk();
            run(List.of("systemd-analyze", "verify", "--recursive-errors=no", UNIT.toString()), 120).expect(0, "systemd-analyze verify")
                    .out().lines().forEach(l -> fail("systemd-analyze verify " + UNIT + " warns: " + l));

            Path tree = FakeTreeWriter.write(dir.resolve("tree"), TreeSpec.intelServer(4, 1));
            Map<String, String> original = snapshot(tree);
            Path ours = Files.writeString(dir.resolve("cohort.yaml"), """
                    # the package test: the Linux backend rooted at a fake tree; the state in /run/cohort as installed
                    host: {root: %s, perf: false}
                    metrics: {enabled: false}
                    cgroups:
                      - {name: web, path: system.slice/web.service, role: latency-critical, slo: {target: 5ms}}
                      - {name: batch, path: batch.slice, role: best-effort}
                    """.formatted(tree));
            root("install", "-m", "0644", ours.toString(), CONFIG.toString()).expect(0, "install the test configuration");

            dryRunWritesNothing(tree, original);

            tune(tree);
            Run upgrade = root("dpkg", "-i", deb.toString()).expect(0, "dpkg -i over the installed package (an upgrade)");
            assertEquals(original, snapshot(tree), "the upgrade restored every knob:\n" + upgrade.out());
            assertEquals(Files.readString(ours), root("cat", CONFIG.toString()).out(), "the upgrade kept the changed conffile");
            assertFalse(install.out().contains("installed, not started") && upgrade.out().contains("installed, not started"),
                    "an upgrade is not a first install: " + upgrade.out());

            tune(tree);
            long t2 = System.nanoTime();
            Run remove = root("dpkg", "-r", "cohort").expect(0, "dpkg -r cohort");
            long removeMs = millisSince(t2);
            assertEquals(original, snapshot(tree), "the removal restored every knob:\n" + remove.out());
            assertTrue(remove.out().matches("(?s).*restore: \\d+ restored, .*, 0 failed.*"), remove.out());
            for (String gone : List.of("/run/cohort", "/var/lib/cohort", "/var/cache/cohort", "/opt/cohort", "/usr/bin/cohort",
                    UNIT.toString())) {
                assertFalse(exists(gone), gone + " is left after the removal");
            }
            for (String p : paths) {
                if (!existedBefore.contains(p) && !p.startsWith("/etc/cohort")) {
                    assertFalse(exists(p), p + " is left after the removal");
                }
            }
            assertEquals(Files.readString(ours), root("cat", CONFIG.toString()).out(), "the removal keeps the configuration");
            assertEquals("deinstall ok config-files", status());

            root("dpkg", "--purge", "cohort").expect(0, "dpkg --purge cohort");
            assertFalse(exists("/etc/cohort"), "/etc/cohort is left after the purge");
            assertFalse(status().contains("config-files"), status());
            System.out.printf("package %s: %.1f MB, built in %.0f s, installed in %.1f s, removed in %.1f s%n", deb.getFileName(),
                    Files.size(deb) / 1e6, buildMs / 1e3, installMs / 1e3, removeMs / 1e3);
        } finally {
            cleanUp();
        }
    }

    /** {@code --version} and {@code doctor} from the installed path with a PATH that holds no java and no JAVA_HOME. */
    private void withoutAJdk() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("bash"), Path.of("/bin/bash"));
        List<String> env = List.of("env", "-i", "PATH=" + bin, "JAVA_HOME=", "HOME=" + dir);
        assertEquals(1, run(concat(env, "bash", "-c", "command -v java"), 60).code(), "java is on the test's PATH " + bin);
        Run version = run(concat(env, LAUNCHER.toString(), "--version"), 120).expect(0, "cohort --version");
        String jar = Files.readString(REPO.resolve("pom.xml")).replaceFirst("(?s).*?\\n  <version>([^<]+)</version>.*", "$1");
        assertTrue(version.out().startsWith("cohort " + jar + "\nJava 25"), version.out());
        Run doctor = run(concat(env, LAUNCHER.toString(), "doctor"), 180).expect(0, "cohort doctor");
        assertTrue(doctor.out().startsWith("cohort doctor") && doctor.out().contains("\nSignals\n"), doctor.out());
        run(concat(env, "/usr/bin/cohort", "--version"), 120).expect(0, "/usr/bin/cohort --version");
    }

    /**
     * {@code cohort run --dry-run} from the installed copy: it starts with the daemon's JVM options (the launcher gives
     * {@code run} the serial collector and the small heap, as {@code bin/cohort} does), answers {@code cohort status},
     * makes a removal stop (the prerm cannot restore while it holds the lock), stops on SIGTERM with exit code 0, and
     * writes nothing.
     */
    private void dryRunWritesNothing(Path tree, Map<String, String> original) throws Exception {
        List<String> cmd = concat(sudo(), LAUNCHER.toString(), "run", "--dry-run");
        Process daemon = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("daemon.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (root("test", "-S", "/run/cohort/cohort.sock").code() != 0) {
                assertTrue(daemon.isAlive(), "the dry run stopped: " + Files.readString(dir.resolve("daemon.log")));
                assertTrue(System.nanoTime() < deadline, "no status socket after 180 s: " + Files.readString(dir.resolve("daemon.log")));
                Thread.sleep(250);
            }
            String jvm = jvmCommandLine().cmd();
            assertTrue(jvm.contains("-XX:+UseSerialGC") && jvm.contains("-Xmx256m") && jvm.contains("-Dcohort.home=/opt/cohort"), jvm);
            Run status = root(LAUNCHER.toString(), "status").expect(0, "cohort status");
            assertFalse(status.out().contains("no cohort daemon is running"), status.out());
            // A cohort started by hand holds the lock, so the prerm cannot restore: the removal stops, cohort stays.
            Run refused = root("dpkg", "-r", "cohort");
            assertTrue(refused.code() != 0 && refused.out().contains("so cohort stays installed"), refused.out());
            // the wish recorded is "deinstall"; the state stays installed
            assertTrue(status().endsWith(" ok installed"), status());
        } finally {
            if (daemon.isAlive()) {
                root("kill", "-TERM", Long.toString(jvmCommandLine().pid()));
            }
            assertTrue(daemon.waitFor(120, TimeUnit.SECONDS), "the dry run did not stop on SIGTERM");
        }
        assertEquals(0, daemon.exitValue(), Files.readString(dir.resolve("daemon.log")));
        assertEquals(original, snapshot(tree), "a dry run wrote to the tree");
    }

    record Jvm(long pid, String cmd) {
    }

    /** The dry run's JVM: the launcher execs it, but under sudo it is sudo's child, so it is found by its command line. */
    private static Jvm jvmCommandLine() throws IOException {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ').strip();
                    if (cmd.startsWith("/opt/cohort/lib/runtime/bin/java ") && cmd.endsWith(" run --dry-run")) {
                        return new Jvm(Long.parseLong(p.getFileName().toString()), cmd);
                    }
                } catch (IOException gone) {
                    // the process ended while the list was read
                }
            }
        }
        return fail("no JVM of cohort run --dry-run under /proc");
    }

    /** Knobs of all three kinds the tree has, changed without a daemon: their originals go to /run/cohort/state.json. */
    private void tune(Path tree) throws Exception {
        root(LAUNCHER.toString(), "tune", "freq", "all", "2.4GHz").expect(0, "cohort tune freq");
        root(LAUNCHER.toString(), "tune", "quota", "batch", "250%").expect(0, "cohort tune quota");
        root(LAUNCHER.toString(), "tune", "epp", "all", "power").expect(0, "cohort tune epp");
        assertEquals("2400000", Files.readString(tree.resolve("sys/devices/system/cpu/cpufreq/policy0/scaling_max_freq")).strip());
        assertEquals("250000 100000", Files.readString(tree.resolve("sys/fs/cgroup/batch.slice/cpu.max")).strip());
        assertTrue(exists("/run/cohort/state.json"), "no state file after cohort tune");
    }

    private void preconditions() throws Exception {
        for (String tool : List.of("dpkg", "dpkg-deb", "fakeroot", "systemd-analyze")) {
            if (run(List.of("sh", "-c", "command -v " + tool), 30).code() != 0) {
                fail(tool + " is not installed: the package test needs it (apt-get install dpkg-dev fakeroot systemd)");
            }
        }
        if (!sudo().isEmpty() && run(List.of("sudo", "-n", "true"), 30).code() != 0) {
            fail("the package test installs a package: run it as root or where sudo -n works");
        }
        if (run(List.of("dpkg-query", "-W", "cohort"), 30).code() == 0 || Files.exists(Path.of("/opt/cohort"))
                || Files.exists(Path.of("/run/cohort")) || Files.exists(CONFIG)) {
            fail("cohort is already on this machine (a package, /opt/cohort, /run/cohort or " + CONFIG + "): the package test "
                    + "would replace it; remove it first (dpkg --purge cohort)");
        }
    }

    /** Puts the machine back when a step failed half way: the knobs' originals dropped, the package purged. */
    private void cleanUp() throws Exception {
        if (run(List.of("dpkg-query", "-W", "cohort"), 30).code() == 0) {
            root(LAUNCHER.toString(), "restore", "--forget", "all");
            root("install", "-m", "0644", REPO.resolve("configs/cohort.yaml").toString(), CONFIG.toString());
            Run purge = root("dpkg", "--purge", "cohort");
            if (purge.code() != 0) {
                System.err.println("DebianPackageTest: dpkg --purge cohort failed while cleaning up:\n" + purge.out());
            }
        }
    }

    /**
     * Every file of the tree and its value (the knobs and everything else). Values are compared without their trailing
     * newline, as the kernel's attribute files treat them: a write of "3900000" to a plain file leaves no newline where
     * the kernel would print one.
     */
    private static Map<String, String> snapshot(Path tree) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(tree)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                files.put(tree.relativize(p).toString(), Files.readString(p).strip());
            }
        }
        return files;
    }

    /** The absolute paths the package holds (files, links and directories). */
    private static List<String> packagePaths(Path deb) throws Exception {
        List<String> paths = new ArrayList<>();
        for (String line : run(List.of("sh", "-c", "dpkg-deb --fsys-tarfile \"$0\" | tar -t", deb.toString()), 120)
                .expect(0, "list the package").out().lines().toList()) {
            String p = line.replaceFirst("^\\./", "/").replaceFirst("(.)/$", "$1");
            if (!p.equals("/")) {
                paths.add(p);
            }
        }
        assertTrue(paths.contains("/opt/cohort/bin/cohort") && paths.contains(CONFIG.toString()), paths.toString());
        return paths;
    }

    private static String status() throws Exception {
        return run(List.of("dpkg-query", "-W", "-f=${Status}", "cohort"), 30).out().strip();
    }

    private static boolean exists(String path) throws Exception {
        return root("test", "-e", path).code() == 0 || root("test", "-L", path).code() == 0;
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /** {@code sudo -n} unless this test runs as root. */
    private static List<String> sudo() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0 ? List.of() : List.of("sudo", "-n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Run root(String... cmd) throws Exception {
        return run(concat(sudo(), cmd), 600);
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(Arrays.asList(tail));
        return all;
    }

    private static Run run(List<String> cmd, int timeoutSeconds) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", cmd) + " did not finish in " + timeoutSeconds + " s");
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
