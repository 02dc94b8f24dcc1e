package dev.cohort.service;

import sun.misc.Signal;

/**
 * TERM, INT and HUP for the daemon through {@code sun.misc.Signal} (jdk.unsupported): each handler only enqueues a
 * request for the control loop, which restores (or reloads) on its own thread. Installing a handler for TERM and INT
 * replaces the JVM's default one, so the JVM does not begin exiting on its own while a tick may be writing.
 */
final class DaemonSignals {
    private DaemonSignals() {
    }

    /**
     * Installs the handlers. A signal this process was started with ignored (nohup, a background job of a
     * non-interactive shell) stays ignored, as the JVM keeps it so: the returned notes say which.
     */
    static java.util.List<String> install(Daemon d) {
        java.util.List<String> notes = new java.util.ArrayList<>();
        check(notes, "TERM", Signal.handle(new Signal("TERM"), s -> d.requestStop("SIGTERM")));
        check(notes, "INT", Signal.handle(new Signal("INT"), s -> d.requestStop("SIGINT")));
        check(notes, "HUP", Signal.handle(new Signal("HUP"), s -> d.requestReload()));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // a backstop for an exit that did not come through the loop (System.exit elsewhere): stop and wait for the restore
            if (!d.isFinished()) {
                d.requestStop("JVM shutdown");
                try {
                    d.awaitFinished(20_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "cohort-shutdown"));
        return notes;
    }

    private static void check(java.util.List<String> notes, String name, sun.misc.SignalHandler old) {
        if (old == sun.misc.SignalHandler.SIG_IGN) {
            notes.add("SIG" + name + " was ignored when this process started (nohup or a background job), so it stays ignored"
                    + (name.equals("HUP") ? "; reload through the socket instead ({\"cmd\":\"reload\"})" : "; stop with another signal"));
        }
    }
}
