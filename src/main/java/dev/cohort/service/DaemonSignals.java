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

    static void install(Daemon d) {
        Signal.handle(new Signal("TERM"), s -> d.requestStop("SIGTERM"));
        Signal.handle(new Signal("INT"), s -> d.requestStop("SIGINT"));
        Signal.handle(new Signal("HUP"), s -> d.requestReload());
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
    }
}
