package dev.cohort.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.service.status.StatusClient;
import dev.cohort.service.systemd.SdNotify;
import dev.cohort.service.systemd.ShutdownProbe;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/** A daemon run on a thread of the test JVM (no signal handlers), its messages captured. */
final class InProcessDaemon implements AutoCloseable {
    final Daemon daemon;
    final Thread thread;
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final AtomicReference<Object> result = new AtomicReference<>();
    final Path socket;

    InProcessDaemon(Path config, Path socket, Boolean dryRun, Backend.Factory factory, ShutdownProbe shutdown) {
        this.socket = socket;
        this.daemon = new Daemon(new Daemon.Options(config, null, dryRun, factory, shutdown, SdNotify.from(Map.of()),
                new PrintStream(err, true, StandardCharsets.UTF_8), false));
        this.thread = Thread.ofPlatform().name("test-daemon").start(() -> {
            try {
                result.set(daemon.run());
            } catch (RuntimeException e) {
                result.set(e);
            }
        });
    }

    static InProcessDaemon start(Path config, Path socket) {
        return new InProcessDaemon(config, socket, null, Backend.DEFAULT, () -> false);
    }

    String log() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** Polls the status socket until {@code ok} holds. */
    JsonNode awaitStatus(Predicate<JsonNode> ok, long timeoutMillis) throws Exception {
        long end = System.currentTimeMillis() + timeoutMillis;
        JsonNode last = null;
        while (System.currentTimeMillis() < end) {
            if (!thread.isAlive()) {
                throw new AssertionError("the daemon ended with " + result.get() + ":\n" + log());
            }
            if (daemon.running()) {
                var s = StatusClient.ask(socket, StatusClient.request("status"));
                if (s.isPresent()) {
                    last = s.get();
                    if (ok.test(last)) {
                        return last;
                    }
                }
            }
            Thread.sleep(30);
        }
        throw new AssertionError("timed out; last status " + last + "\n" + log());
    }

    /** Stops it like SIGTERM and returns the exit code (or throws what run() threw). */
    int stop() throws Exception {
        daemon.requestStop("SIGTERM");
        thread.join(30_000);
        Object r = result.get();
        if (r instanceof RuntimeException e) {
            throw e;
        }
        return (Integer) r;
    }

    /** Waits for run() to end by itself (a start-up error) and returns what it threw. */
    RuntimeException failure() throws Exception {
        thread.join(30_000);
        return result.get() instanceof RuntimeException e ? e : null;
    }

    @Override
    public void close() throws Exception {
        if (thread.isAlive()) {
            daemon.requestStop("test cleanup");
            thread.join(30_000);
        }
    }
}
