package dev.cohort.platform.linux;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Helpers for {@code @Tag("host")} tests: each requirement either holds or skips the test with the reason. */
final class Host {
    private Host() {
    }

    static final Path ROOT = Path.of("/");

    static void requireLinux() {
        assumeTrue(System.getProperty("os.name").equals("Linux"), "needs Linux, running on " + System.getProperty("os.name"));
    }

    static void requireRoot() {
        requireLinux();
        Object uid;
        try {
            uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException e) {
            uid = -1;
        }
        assumeTrue(Integer.valueOf(0).equals(uid), "needs root (uid 0), running as uid " + uid);
    }

    static void requireTool(String exe, String pkg) {
        requireLinux();
        assumeTrue(DoctorReport.onPath(exe), "no " + exe + " on PATH (apt-get install " + pkg + ")");
    }

    /** A native workload from target/native, or a skip saying the build had no C compiler. */
    static Path nativeBinary(String name) {
        Path dir = Path.of(System.getProperty("cohort.native", "target/native"));
        Path p = dir.resolve(name);
        assumeTrue(Files.isExecutable(p), "no " + p + " (the build found no C compiler; install gcc and make)");
        return p;
    }

    /** Runs a command to completion (bounded), returning stdout; stderr goes to the returned text after a marker. */
    static String run(long timeoutSeconds, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false);
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + ": did not finish in " + timeoutSeconds + " s");
        }
        return new String(out, StandardCharsets.UTF_8) + "\n--stderr--\n" + new String(err, StandardCharsets.UTF_8);
    }

    /** Starts a background process (killed by the caller). */
    static Process start(String... cmd) throws IOException {
        List<String> c = new ArrayList<>(List.of(cmd));
        return new ProcessBuilder(c).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    static void stop(Process p) throws InterruptedException {
        if (p != null) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
