package dev.cohort.service;

import dev.cohort.platform.Readable;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.platform.CohortException;
import dev.cohort.service.config.Units;
import dev.cohort.service.status.StatusSnapshot;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * {@code cohort journal}: the journal's lines (the rotated files oldest first, then the current one), filtered by
 * time and kind, as readable lines or as the JSON itself. By default only ticks that decided something (a setting or
 * a note) and events are shown; {@code all} shows every tick.
 */
public final class JournalReader {
    private JournalReader() {
    }

    /**
     * Parses {@code --since}: a duration back from {@code now} ({@code 10m}, {@code 2h}, {@code 30s}) or an instant
     * ({@code 2025-11-21T06:00:00Z}).
     */
    public static Instant since(String text, Instant now) {
        try {
            return now.minusNanos(Units.nanos(text));
        } catch (IllegalArgumentException e) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException x) {
                throw new CohortException("--since '" + text + "' is neither a duration back from now (10m, 2h) nor a UTC time (2025-11-21T06:00:00Z)");
            }
        }
    }

    /**
     * The last {@code limit} matching lines.
     *
     * @param since  oldest time shown, or null for no bound
     * @param all    include ticks that decided nothing
     */
    public static List<JsonNode> read(Path journal, Instant since, boolean all, int limit) {
        List<Path> files = rotated(journal);
        files.add(journal);
        ArrayDeque<JsonNode> out = new ArrayDeque<>();
        boolean any = false;
        for (Path f : files) {
            try (BufferedReader in = open(f)) {
                any = true;
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode n;
                    try {
                        n = StatusSnapshot.JSON.readTree(line);
                    } catch (IOException e) {
                        continue; // a line cut short by a crash
                    }
                    if (since != null && n.hasNonNull("ts") && Instant.parse(n.path("ts").asText()).isBefore(since)) {
                        continue;
                    }
                    boolean event = n.has("event");
                    boolean decided = n.path("settings").size() > 0 || n.path("notes").size() > 0;
                    if (event || all || decided) {
                        out.addLast(n);
                        if (out.size() > limit) {
                            out.removeFirst();
                        }
                    }
                }
            } catch (NoSuchFileException e) {
                // rotated away meanwhile
            } catch (EOFException e) {
                // a compressed file cut short (a crash while rotating): the lines read from it stand
            } catch (IOException e) {
                throw new CohortException("cannot read the journal " + f + ": " + e.getMessage());
            }
        }
        if (!any) {
            throw new CohortException("no journal at " + journal + " (the daemon writes it; set paths.journal if it lives elsewhere)");
        }
        return new ArrayList<>(out);
    }

    /**
     * The rotated files of {@code journal}, oldest first: {@code <name>.N.gz} (compressed at rotation) and
     * {@code <name>.N} (older runs, or a rotation cut short), highest N first.
     */
    static List<Path> rotated(Path journal) {
        java.util.TreeMap<Integer, Path> byIndex = new java.util.TreeMap<>(java.util.Comparator.reverseOrder());
        Path dir = journal.toAbsolutePath().getParent();
        String prefix = journal.getFileName() + ".";
        try (var s = Files.newDirectoryStream(dir, prefix + "*")) {
            for (Path p : s) {
                String rest = p.getFileName().toString().substring(prefix.length());
                boolean gz = rest.endsWith(".gz");
                String n = gz ? rest.substring(0, rest.length() - 3) : rest;
                if (n.matches("[1-9][0-9]{0,5}")) {
                    // both forms of one index: a compression cut short left the plain file; the .gz is then partial
                    byIndex.merge(Integer.parseInt(n), journal.resolveSibling(p.getFileName()), (a, b) -> a.toString().endsWith(".gz") ? b : a);
                }
            }
        } catch (NoSuchFileException e) {
            return new ArrayList<>();
        } catch (IOException e) {
            throw new CohortException("cannot list the journal's directory " + dir + ": " + e.getMessage());
        }
        return new ArrayList<>(byIndex.values());
    }

    private static BufferedReader open(Path f) throws IOException {
        InputStream in = Files.newInputStream(f);
        if (f.getFileName().toString().endsWith(".gz")) {
            try {
                in = new GZIPInputStream(in, 64 * 1024);
            } catch (IOException e) {
                in.close();
                throw e;
            }
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    /** One readable line for a journal entry. */
    /** Settings listed per line before the rest are counted (a 128-CPU tick may change 128 of them). */
    static final int MAX_SETTINGS_SHOWN = 8;

    /** An ISO timestamp cut to milliseconds (older journals hold nanoseconds); anything else as it is. */
    static String millis(String ts) {
        try {
            return java.time.Instant.parse(ts).truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
        } catch (java.time.format.DateTimeParseException e) {
            return ts;
        }
    }

    /** A setting's value in people's units where it is a frequency ({@code 2400000 kHz} reads {@code 2.4 GHz}). */
    static String value(String text) {
        if (text.endsWith(" kHz")) {
            try {
                return Readable.kilohertz(Double.parseDouble(text.substring(0, text.length() - 4)));
            } catch (NumberFormatException e) {
                return text;
            }
        }
        return text;
    }

    public static String format(JsonNode n) {
        String ts = millis(n.path("ts").asText("-"));
        if (n.has("event")) {
            List<String> notes = new ArrayList<>();
            n.path("notes").forEach(x -> notes.add(x.asText()));
            return ts + "  " + n.path("event").asText() + ": " + String.join(" | ", notes);
        }
        StringBuilder b = new StringBuilder();
        b.append(ts).append("  tick ").append(n.path("tick").asLong()).append("  ").append(n.path("policy").asText());
        if (n.path("fallback").asBoolean()) {
            b.append(" (fallback)");
        }
        if (n.path("dry_run").asBoolean()) {
            b.append(" [dry run]");
        }
        if (n.hasNonNull("power_w")) {
            b.append("  ").append(Readable.watts(n.path("power_w").asDouble()));
        }
        if (n.hasNonNull("min_slack")) {
            b.append(String.format(Locale.ROOT, "  slack %.2f", n.path("min_slack").asDouble()));
        }
        List<String> parts = new ArrayList<>();
        int shown = 0;
        for (JsonNode s : n.path("settings")) {
            if (shown++ == MAX_SETTINGS_SHOWN) {
                parts.add("… " + (n.path("settings").size() - MAX_SETTINGS_SHOWN) + " more settings (--json for all)");
                break;
            }
            String outcome = s.path("outcome").asText().toLowerCase(Locale.ROOT);
            String applied = s.path("applied").asText("");
            boolean khz = s.path("control").asText().endsWith("_KHZ");
            parts.add(s.path("target").asText() + " " + value(s.path("value").asText()) + " " + outcome
                    + (outcome.equals("clamped") ? " to " + (khz ? value(applied + " kHz") : applied) : ""));
        }
        for (JsonNode x : n.path("notes")) {
            parts.add(x.asText());
        }
        if (!parts.isEmpty()) {
            b.append("  ").append(String.join("; ", parts));
        }
        return b.toString();
    }
}
