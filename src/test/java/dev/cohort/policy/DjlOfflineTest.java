package dev.cohort.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent makes no network connection of its own: DJL runs offline however the JVM was started. */
class DjlOfflineTest {
    static final Path REPO = Path.of(System.getProperty("cohort.repo", "."));

    @TempDir
    Path dir;

    @Test
    void configureTurnsOfflineModeOnEvenWhenTheLauncherDidNot() {
        String old = System.getProperty("ai.djl.offline");
        try {
            System.clearProperty("ai.djl.offline");
            DjlRuntime.configure();
            assertTrue(ai.djl.util.Utils.isOfflineMode());
            assertEquals("true", System.getProperty("ai.djl.onnx.disable_alternative"));
        } finally {
            System.setProperty("ai.djl.offline", old == null ? "true" : old);
        }
    }

    /** Runs the agent's runtime class path (no libtorch, no offline flag) under strace and looks for IP connects. */
    @Test
    void runningLearnedPoliciesOpensNoNetworkConnection() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/strace")), "strace is not installed");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = REPO.resolve("target/classes") + ":" + Files.readString(REPO.resolve("target/runtime.classpath")).strip();
        Path trace = dir.resolve("connect.trace");
        List<String> cmd = List.of("/usr/bin/strace", "-f", "-qq", "-e", "trace=connect", "-o", trace.toString(),
                java, "--enable-native-access=ALL-UNNAMED", "-cp", cp, "dev.cohort.cli.Main",
                "bench", "onnx", "--cpus", "4", "--ticks", "5", "--warmup", "1");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out");
        assumeTrue(!out.contains("PTRACE") && !out.contains("Operation not permitted"), "strace cannot trace here: " + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("per tick: median"), out);
        var inet = Files.readAllLines(trace).stream().filter(l -> l.contains("AF_INET")).toList();
        assertEquals(List.of(), inet, "network connections made");
    }
}
