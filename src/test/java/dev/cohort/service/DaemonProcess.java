package dev.cohort.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.service.status.StatusClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A daemon started as a real subprocess: the test JVM's class path and the launch flags every entry point needs,
 * stderr and stdout to a log file. {@link #awaitStatus} polls the status socket; {@link #term} sends SIGTERM,
 * {@link #kill9} SIGKILL.
 */
final class DaemonProcess implements AutoCloseable {
    final Process process;
    final Path log;
    final Path socket;

    private DaemonProcess(Process p, Path log, Path socket) {
        this.process = p;
        this.log = log;
        this.socket = socket;
    }

    static DaemonProcess start(Path log, Path socket, Map<String, String> env, String mainClass, String... args) throws IOException {
        return start(List.of(), log, socket, env, mainClass, args);
    }

    /** The same with extra JVM options (e.g. {@code -Dcohort.test.crashAt=after-write:1}). */
    static DaemonProcess start(List<String> jvmArgs, Path log, Path socket, Map<String, String> env, String mainClass, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Xmx256m",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-Dai.djl.offline=true"));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("NOTIFY_SOCKET");
        pb.environment().remove("WATCHDOG_USEC");
        pb.environment().remove("WATCHDOG_PID");
        pb.environment().putAll(env);
        return new DaemonProcess(pb.start(), log, socket);
    }

    /** Polls the status socket until {@code ok} holds for the status document; fails with the log on timeout or exit. */
    JsonNode awaitStatus(Predicate<JsonNode> ok, long timeoutMillis) throws Exception {
        long end = System.currentTimeMillis() + timeoutMillis;
        JsonNode last = null;
        while (System.currentTimeMillis() < end) {
            if (!process.isAlive()) {
                throw new AssertionError("the daemon exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                Optional<JsonNode> s = StatusClient.ask(socket, StatusClient.request("status"));
                if (s.isPresent()) {
                    last = s.get();
                    if (ok.test(last)) {
                        return last;
                    }
                }
            } catch (RuntimeException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for the daemon; last status " + last + "\nlog:\n" + log());
    }

    /** SIGTERM, then the exit code. */
    int term(long timeoutMillis) throws Exception {
        process.destroy();
        return await(timeoutMillis);
    }

    /** SIGKILL: no handler runs. */
    void kill9() throws Exception {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    int await(long timeoutMillis) throws Exception {
        if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the daemon did not exit in time:\n" + log());
        }
        return process.exitValue();
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
