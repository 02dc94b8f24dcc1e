package dev.cohort.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The CLI in a JVM of its own, for tests that signal it: its output (both streams) goes to a log file. */
final class CliProcess {
    private final Process process;
    private final Path log;

    private CliProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code cohort ARGS} with the test's class path, its output in {@code log}. */
    static CliProcess start(Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Xmx512m",
                "-Dai.djl.offline=true", "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
                "dev.cohort.cli.Main"));
        cmd.addAll(List.of(args));
        return new CliProcess(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start(), log);
    }

    /** Waits up to two minutes for {@code ready} to hold or the process to end; true while it still runs. */
    boolean awaitWhileAlive(java.util.function.BooleanSupplier ready) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!ready.getAsBoolean() && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return process.isAlive();
    }

    /** True once the output has {@code text}. */
    boolean printed(String text) {
        try {
            return Files.readString(log).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Waits until the output has {@code text} (failing if the process ends first), {@code afterMillis} more, then sends
     * SIGTERM; the exit code, as {@link #terminate}.
     */
    int terminateOnce(String text, long afterMillis) throws Exception {
        org.junit.jupiter.api.Assertions.assertTrue(awaitWhileAlive(() -> printed(text)), "still running when signalled: "
                + output());
        Thread.sleep(afterMillis);
        return terminate();
    }

    /**
     * Asserts that {@code command} (e.g. "cost train"), sent SIGTERM once its output had {@code text}, said it would stop
     * at its next {@code boundary} writing nothing, stopped at an epoch with exit code 143 saying nothing was written to
     * {@code out}, and did not crash; returns the output.
     */
    String assertStoppedWritingNothing(String command, String text, String boundary, Path out) throws Exception {
        int code = terminateOnce(text, 500); // into the epochs
        String log = output();
        org.junit.jupiter.api.Assertions.assertEquals(143, code, log);
        org.junit.jupiter.api.Assertions.assertTrue(log.contains(command + ": SIGTERM: stopping at the next " + boundary
                + " (nothing is written; the signal again to kill)"), log);
        org.junit.jupiter.api.Assertions.assertTrue(log.contains(command + ": stopped at epoch ")
                && log.contains(" by SIGTERM; nothing written to " + out), log);
        org.junit.jupiter.api.Assertions.assertFalse(log.contains("fatal error"), log);
        return log;
    }

    /** Sends SIGTERM and waits up to two minutes for the exit; its code, or −1 if it did not exit. */
    int terminate() throws InterruptedException {
        process.destroy();
        return process.waitFor(120, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    String output() throws IOException {
        return Files.readString(log);
    }
}
