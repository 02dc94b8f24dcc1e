package dev.cohort.service;

import dev.cohort.platform.CohortException;
import dev.cohort.platform.RestoreReport;
import dev.cohort.platform.SavedKnob;
import dev.cohort.platform.StateFile;
import dev.cohort.service.config.DaemonConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the state file holds when the daemon starts, and what start-up does with it: knobs of cohort's left by a run that
 * did not stop cleanly are restored first, by the rule every restore follows ({@link dev.cohort.platform.KnobKeeper});
 * originals kept on purpose by the last stop ({@value Daemon#KEPT_MARKER}) or by {@code cohort tune} stay kept; knobs
 * left to someone else are reported once. A dry run refuses to start over knobs of cohort's still applied, since it
 * cannot restore them.
 */
final class Leftover {
    private final List<SavedKnob> ours;
    private final List<SavedKnob> theirs;
    private final Path marker;
    private final boolean kept;

    private Leftover(List<SavedKnob> all, Path marker) {
        this.ours = all.stream().filter(k -> !k.isLeft()).toList();
        this.theirs = all.stream().filter(SavedKnob::isLeft).toList();
        this.marker = marker;
        this.kept = Files.exists(marker);
    }

    /** Reads the state file strictly (a bad one is one line naming the file and the key; nothing is written). */
    static Leftover read(DaemonConfig cfg) {
        try {
            return new Leftover(new StateFile(cfg.stateFile()).load(), cfg.stateDir().resolve(Daemon.KEPT_MARKER));
        } catch (IOException e) {
            throw new CohortException(e.getMessage());
        }
    }

    void refuseDryRunOverOurs(DaemonConfig cfg) {
        if (!ours.isEmpty() && !kept && cfg.dryRun() && cfg.linux()) {
            throw new CohortException("the state file " + cfg.stateFile() + " holds " + ours.size() + " knob(s) changed by a run"
                    + " that did not stop cleanly; a dry run writes nothing, so run cohort restore first");
        }
    }

    /** Restores or reports as the class comment says; returns the lines for the start's notes. */
    List<String> restore(DaemonConfig cfg, Backend backend) {
        List<String> notes = new ArrayList<>();
        if (backend.durable() && !(ours.isEmpty() && theirs.isEmpty())) {
            if (kept || ours.isEmpty() || cfg.dryRun()) {
                if (!ours.isEmpty()) {
                    notes.add("state file " + cfg.stateFile() + " holds " + ours.size() + " original(s) kept by the last stop "
                            + "(restore_on_exit " + readMarker() + "); they stay the originals cohort restores later");
                }
                theirs.forEach(k -> notes.add("left " + k.id() + ": someone else set it to '" + k.left() + "' (original '"
                        + k.original() + "'); it stays theirs (cohort restore --force writes the original, --forget drops it)"));
            } else {
                notes.add("state file " + cfg.stateFile() + " holds " + ours.size()
                        + " knob(s) left by a run that did not stop cleanly: restoring them first");
                RestoreReport r = backend.platform().restore(false);
                notes.addAll(RestoreLines.of(r));
            }
        }
        try {
            Files.deleteIfExists(marker);
        } catch (IOException ignored) {
            // harmless: it only changes what the next start says
        }
        return notes;
    }

    private String readMarker() {
        try {
            return Files.readString(marker).strip();
        } catch (IOException e) {
            return "?";
        }
    }
}
