package dev.cohort.harness.beststatic;

import dev.cohort.platform.sim.ArrivalSpec;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.ServiceSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The key a best-static result is cached under: SHA-256 of the parsed scenario and the search settings (reward
 * weights, λ, action levels, governor, seeds, stages). The scenario counts by its parsed content, not its file's bytes:
 * every value the simulation uses (a trace by its rows), so comments, spacing, key order and where the files live do
 * not matter, while any changed value, name or description gives a new key.
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
     * {@code TraceData.toString}); where the scenario and its traces were found, paths, are blanked.
     */
    static String text(Scenario sc, SearchSettings s) {
        List<ServiceSpec> services = sc.services().stream().map(CacheKey::withoutTracePath).toList();
        Scenario content = new Scenario(sc.name(), sc.description(), sc.durationNanos(), sc.tickNanos(), sc.stepNanos(),
                sc.machine(), services, sc.batchJobs(), "");
        // A machine with RAPL prints as it did before machines could lack it, so the kept results stay valid; one
        // without (whose reward has no measured energy) keys apart.
        long range = sc.machine().raplRangeUj();
        String text = content.toString();
        if (sc.machine().rapl()) {
            text = text.replace("raplRangeUj=" + range + ", rapl=true]", "raplRangeUj=" + range + "]");
        }
        return FORMAT + "\nscenario=" + text + "\n" + s.keyText();
    }

    private static ServiceSpec withoutTracePath(ServiceSpec v) {
        if (!(v.arrivals() instanceof ArrivalSpec.Trace t)) {
            return v;
        }
        return new ServiceSpec(v.name(), v.cpus(), v.sloUsec(), v.sloQuantile(), v.cpuWeight(), v.quotaUsec(), v.periodUsec(),
                v.maxQueue(), v.request(), new ArrivalSpec.Trace("", t.trace(), t.timeScale(), t.loop(), t.phase()));
    }
}
