package dev.cohort.control;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.cohort.platform.Setting;
import dev.cohort.platform.SettingResult;
import dev.cohort.platform.Topology;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The journal as JSON Lines, one object per tick, readable with {@code jq}. Bounded: when the file passes
 * {@code maxBytes} it is renamed to {@code <name>.1} (older ones shift up to {@code keep}) and a new one begins.
 * A write failure is counted and reported once on stderr, never thrown into the control loop.
 *
 * <pre>{"tick":12,"ts":"2025-11-21T06:04:00.123Z","t_s":1.2,"policy":"schedutil","fallback":false,"dry_run":false,
 *  "reward":{"r":-0.41,"latency":0,"energy":0.38,"stall":0.12,"useful":0.4},"power_w":57.1,
 *  "services":[{"cgroup":"web","latency_us":812.5,"slo_us":5000}],"min_slack":0.84,
 *  "settings":[{"control":"FREQ_MAX_KHZ","target":"freq-domain 3","value":"2400000 kHz",
 *               "outcome":"APPLIED","requested":"2400000","applied":"2400000","detail":""}],"notes":[]}</pre>
 *
 * <p>{@code ts} is the wall-clock time the line was written (UTC, ISO-8601), for {@code cohort journal --since};
 * {@code t_s} is the sample's monotonic timestamp. Events that are not ticks ({@link #event}) are lines of their own:
 *
 * <pre>{"event":"start","ts":"2025-11-21T06:04:00.001Z","notes":["competing tuner: tuned (pid 812) ..."]}</pre>
 */
public final class JsonLinesJournal implements Journal {
    private static final JsonFactory JSON = new JsonFactory();
    private final Path path;
    private final long maxBytes;
    private final int keep;
    private final Topology topo;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
    private OutputStream out;
    private long written;
    private long failures;

    /**
     * @param path     the journal file (its directory is created)
     * @param maxBytes rotate when the file grows past this
     * @param keep     rotated files to keep
     */
    public JsonLinesJournal(Path path, long maxBytes, int keep, Topology topo) throws IOException {
        this.path = path;
        this.maxBytes = maxBytes;
        this.keep = Math.max(0, keep);
        this.topo = topo;
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        open();
    }

    private void open() throws IOException {
        out = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        written = Files.size(path);
    }

    /** Number of ticks that could not be written. */
    public long failures() {
        return failures;
    }

    @Override
    public synchronized void record(TickRecord r) {
        try {
            line.reset();
            try (JsonGenerator g = JSON.createGenerator(line, JsonEncoding.UTF8)) {
                write(g, r);
            }
            line.write('\n');
            if (written + line.size() > maxBytes && written > 0) {
                rotate();
            }
            line.writeTo(out);
            out.flush();
            written += line.size();
        } catch (IOException | RuntimeException e) {
            if (failures++ == 0) {
                System.err.println("cohort: journal " + path + ": " + e.getMessage() + " (further failures counted, not printed)");
            }
        }
    }

    @Override
    public synchronized void event(String type, java.util.List<String> notes) {
        try {
            line.reset();
            try (JsonGenerator g = JSON.createGenerator(line, JsonEncoding.UTF8)) {
                g.writeStartObject();
                g.writeStringField("event", type);
                g.writeStringField("ts", java.time.Instant.now().toString());
                g.writeArrayFieldStart("notes");
                for (String n : notes) {
                    g.writeString(n);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            line.write('\n');
            if (written + line.size() > maxBytes && written > 0) {
                rotate();
            }
            line.writeTo(out);
            out.flush();
            written += line.size();
        } catch (IOException | RuntimeException e) {
            if (failures++ == 0) {
                System.err.println("cohort: journal " + path + ": " + e.getMessage() + " (further failures counted, not printed)");
            }
        }
    }

    private void write(JsonGenerator g, TickRecord r) throws IOException {
        g.writeStartObject();
        g.writeNumberField("tick", r.tick());
        g.writeStringField("ts", java.time.Instant.now().toString());
        g.writeNumberField("t_s", r.timeNanos() / 1e9);
        g.writeStringField("policy", r.policy());
        g.writeBooleanField("fallback", r.fallback());
        g.writeBooleanField("dry_run", r.dryRun());
        g.writeObjectFieldStart("reward");
        num(g, "r", r.reward().reward());
        num(g, "latency", r.reward().latency());
        num(g, "energy", r.reward().energy());
        num(g, "stall", r.reward().stall());
        num(g, "useful", r.reward().useful());
        g.writeEndObject();
        num(g, "power_w", r.packageWatts());
        g.writeArrayFieldStart("services");
        for (int i = 0; i < topo.cgroups().size(); i++) {
            Topology.CgroupInfo c = topo.cgroups().get(i);
            if (c.role() == dev.cohort.platform.CgroupRole.LATENCY_CRITICAL) {
                g.writeStartObject();
                g.writeStringField("cgroup", c.name());
                num(g, "latency_us", r.latencyUsec()[i]);
                g.writeNumberField("slo_us", c.sloUsec());
                g.writeEndObject();
            }
        }
        g.writeEndArray();
        num(g, "min_slack", r.minSlack());
        g.writeArrayFieldStart("settings");
        for (int i = 0; i < r.plan().size(); i++) {
            Setting s = r.plan().get(i);
            SettingResult res = i < r.results().size() ? r.results().get(i) : null;
            g.writeStartObject();
            g.writeStringField("control", s.control().name());
            g.writeStringField("target", s.target());
            g.writeStringField("value", s.valueText());
            g.writeStringField("outcome", res == null ? (r.dryRun() ? "DRY_RUN" : "NOT_APPLIED") : res.outcome().name());
            if (res != null) {
                g.writeStringField("requested", res.requested());
                g.writeStringField("applied", res.applied());
                g.writeStringField("detail", res.detail());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("notes");
        for (String n : r.notes()) {
            g.writeString(n);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void num(JsonGenerator g, String name, double v) throws IOException {
        if (Double.isFinite(v)) {
            g.writeNumberField(name, v);
        } else {
            g.writeNullField(name);
        }
    }

    private void rotate() throws IOException {
        out.close();
        for (int i = keep; i >= 1; i--) {
            Path from = i == 1 ? path : rotated(i - 1);
            if (Files.exists(from)) {
                Files.move(from, rotated(i), StandardCopyOption.REPLACE_EXISTING); // the oldest is replaced
            }
        }
        if (keep == 0) {
            Files.deleteIfExists(path);
        }
        open();
    }

    private Path rotated(int i) {
        return path.resolveSibling(path.getFileName() + "." + i);
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException ignored) {
            // closing a journal must not fail shutdown
        }
    }
}
