package dev.cohort.cli;

import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * SIGINT and SIGTERM for a long command (a training run, a sweep): the first asks the work to stop at its next
 * boundary, where it writes a checkpoint; a second kills at once. SIGTERM (kill, systemd, a Kubernetes pod's eviction)
 * is taken as Ctrl-C is: left to the JVM, it would exit while the learner is inside libtorch, which crashes the
 * process (SIGSEGV in the native library) and loses the work since the last checkpoint.
 */
final class StopSignals {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final String what;
    private volatile int signalNumber;

    private StopSignals(String what) {
        this.what = what;
    }

    /** Handles both signals from now on; {@code prefix} starts the line printed on the first (e.g. "train: "). */
    static StopSignals install(PrintWriter err, String prefix) {
        return install(err, prefix, "stopping after this iteration (checkpoint, then exit");
    }

    /**
     * The same, for work without checkpoints; {@code what} says what the first signal does, e.g. "stopping at the next
     * epoch, writing nothing".
     */
    static StopSignals install(PrintWriter err, String prefix, String what) {
        StopSignals s = new StopSignals(what);
        for (String name : new String[] {"INT", "TERM"}) {
            Signal.handle(new Signal(name), sig -> s.received(sig, err, prefix));
        }
        return s;
    }

    private void received(Signal sig, PrintWriter err, String prefix) {
        if (stop.getAndSet(true)) {
            Runtime.getRuntime().halt(128 + sig.getNumber());
        }
        signalNumber = sig.getNumber();
        err.println();
        err.println(prefix + "SIG" + sig.getName() + ": " + what + "; "
                + (sig.getName().equals("INT") ? "Ctrl-C" : "the signal") + " again to kill)");
        err.flush();
    }

    /** Set by the first signal; the work polls it at each boundary. */
    AtomicBoolean flag() {
        return stop;
    }

    /** The signal's name, e.g. "SIGTERM" (SIGINT before any). */
    String name() {
        return signalNumber == 15 ? "SIGTERM" : "SIGINT";
    }

    /** The exit code of a run stopped by a signal: 128 + its number (130 for SIGINT, 143 for SIGTERM). */
    int exitCode() {
        return 128 + (signalNumber == 0 ? 2 : signalNumber);
    }
}
