package dev.cohort.learn.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.platform.CohortException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * {@value #FILE} in a sweep's directory: every run of the sweep (name, configuration and a digest of its text, seed)
 * and the budget the command line gave. Every shard writes the same file (whole, by rename), so shards of one sweep may
 * share the directory; a shard of another sweep is refused, and the merge knows which runs to expect.
 */
final class SweepManifest {
    static final String FILE = "sweep.json";
    private static final String FORMAT = "cohort train sweep 1";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SweepManifest() {
    }

    /** The manifest of {@code sweep} run with these budget overrides (null: the configurations' own). */
    static JsonNode of(Sweep sweep, Long envSteps, Double wallMinutes) {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", FORMAT);
        if (envSteps == null) {
            o.putNull("env_steps");
        } else {
            o.put("env_steps", envSteps);
        }
        if (wallMinutes == null) {
            o.putNull("wall_minutes");
        } else {
            o.put("wall_minutes", wallMinutes);
        }
        var runs = o.putArray("runs");
        for (Sweep.Run r : sweep.runs()) {
            runs.addObject().put("name", r.name()).put("config", r.config().toString()).put("config_sha256", digest(r.config()))
                    .put("seed", r.seed());
        }
        try {
            return JSON.readTree(JSON.writeValueAsString(o)); // as read back from the file, so the two compare equal
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Writes {@code manifest} into {@code dir}, or checks that the one there is the same.
     *
     * @throws CohortException when {@code dir} holds another sweep's manifest
     */
    static void claim(Path dir, JsonNode manifest) {
        Path f = dir.resolve(FILE);
        try {
            Files.createDirectories(dir);
            if (Files.isRegularFile(f)) {
                if (!read(dir).equals(manifest)) {
                    throw new CohortException(f + " describes another sweep (other configurations, seeds or budget); give this "
                            + "sweep another out: directory (--out), or remove that one");
                }
                return;
            }
            dev.cohort.platform.AtomicFiles.write(f, t -> JSON.writeValue(t.toFile(), manifest));
        } catch (IOException e) {
            throw new CohortException(f + ": cannot write the sweep's manifest: " + e.getMessage(), e);
        }
    }

    /**
     * The manifest in {@code dir}.
     *
     * @throws CohortException when there is none or it cannot be read
     */
    static JsonNode read(Path dir) {
        Path f = dir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            throw new CohortException(dir + " holds no " + FILE + "; give the out directories of cohort train --sweep runs");
        }
        try {
            JsonNode n = JSON.readTree(f.toFile());
            if (n == null || !FORMAT.equals(n.path("format").asText())) {
                throw new CohortException(f + " is not a sweep manifest of this cohort; run the sweep again");
            }
            return n;
        } catch (IOException e) {
            throw new CohortException(f + ": cannot read the sweep's manifest (" + String.valueOf(e.getMessage()).lines().findFirst()
                    .orElse("") + "); run a shard of the sweep again to rewrite it", e);
        }
    }

    private static String digest(Path config) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(Files.readString(config, StandardCharsets.UTF_8)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (IOException e) {
            throw new CohortException(config + ": cannot read the training configuration: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
