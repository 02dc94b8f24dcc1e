package dev.cohort.eval.beststatic;

import dev.cohort.platform.sim.Scenario;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The key a best-static result is cached under: SHA-256 of the parsed scenario and the search settings (reward
 * weights, λ, action levels, governor, seeds, stages). The scenario counts by its parsed content, not its file's bytes:
 * every value the simulation uses (a trace by its rows), so comments, spacing and key order do not matter, while any
 * changed value, name or description gives a new key. Where it was loaded from does not count, except that a trace
 * is named by where it was found.
 */
public final class CacheKey {
    /**
     * Bumped when the simulator, the control tick or the search changes the rewards runs earn, so results cached by an
     * older build are searched again rather than trusted.
     */
    static final String FORMAT = "cohort best-static 1";

    private CacheKey() {
    }

    /** The key as 64 hex digits. */
    public static String of(Scenario sc, SearchSettings s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text(sc, s).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * The text hashed. The scenario's records print every component (a trace by a hash of its rows,
     * {@code TraceData.toString}); the origin, a path, is blanked.
     */
    static String text(Scenario sc, SearchSettings s) {
        Scenario content = new Scenario(sc.name(), sc.description(), sc.durationNanos(), sc.tickNanos(), sc.stepNanos(),
                sc.machine(), sc.services(), sc.batchJobs(), "");
        return FORMAT + "\nscenario=" + content + "\n" + s.keyText();
    }
}
