package dev.cohort.control;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.platform.Topology;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The journal as JSON Lines, one object per tick, readable with {@code jq}. Bounded: when the file passes
 * {@code maxBytes} it is renamed to {@code <name>.1} and compressed to {@code <name>.1.gz} (gzip, readable with
 * {@code zcat} and {@code cohort journal}); older ones shift up to {@code <name>.<keep>.gz}, and the oldest go first
 * while all of them together pass {@code maxTotalBytes}. A write failure is counted and reported once on stderr,
 * never thrown into the control loop.
 *
 * <p>{@code seq} numbers every line, ticks and events alike, and never restarts within a journal's file set: a new
 * journal (a restart) continues after the last {@code seq} it finds in the current file or, when that is empty, the
 * newest rotated one. {@code tick} is the control loop's own count, which starts again at 1 when a reload (SIGHUP)
 * builds a new loop; {@code seq} is the id to use.
 *
 * <pre>{"seq":5012,"tick":12,"ts":"2025-11-21T06:04:00.123Z","t_s":1.2,"policy":"schedutil","fallback":false,"dry_run":false,
 *  "reward":{"r":-0.41,"latency":0,"energy":0.38,"stall":0.12,"progress":0.4},"power_w":57.1,"power_source":"measured",
 *  "services":[{"cgroup":"web","latency_us":812.5,"slo_us":5000}],"min_slack":0.84,
 *  "settings":[{"control":"FREQ_MAX_KHZ","target":"freq-domain 3","value":"2400000 kHz",
 *               "outcome":"APPLIED","requested":"2400000","applied":"2400000","detail":""}],"notes":[]}</pre>
 *
 * <p>{@code power_source} says where {@code power_w} comes from: {@code measured} (RAPL), {@code estimated} (the cost
 * estimator standing in for RAPL) or {@code none}; {@code predicted_w}, present when an estimator runs, is its
 * prediction for the same interval, also where RAPL measures.
 *
 * <p>{@code ts} is the wall-clock time the line was written (UTC, ISO-8601), for {@code cohort journal --since};
 * {@code t_s} is the sample's monotonic timestamp. Events that are not ticks ({@link #event}) are lines of their own:
 *
 * <pre>{"seq":5000,"event":"start","ts":"2025-11-21T06:04:00.001Z","notes":["competing tuner: tuned (pid 812) ..."]}</pre>
 */
public final class JsonLinesJournal implements Journal {
    private static final JsonFactory JSON = new JsonFactory();
    /** Writes the settings' trees ({@link SettingJson}) into a line. */
    private static final ObjectMapper TREES = new ObjectMapper();
    /** How far back from the end of a file the last {@code seq} is looked for. */
    private static final int TAIL_BYTES = 1 << 20;
    private static final Pattern SEQ = Pattern.compile("^\\{\"seq\":(\\d+)[,}]");
    private final Path path;
    private final long maxBytes;
    private final int keep;
    private final long maxTotalBytes;
    private final Topology topo;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
    private OutputStream out;
    private long written;
    private long failures;
    private long seq;
    private volatile boolean observations;

    /**
     * A journal without a bound on the rotated files' total size.
     *
     * @param path     the journal file (its directory is created)
     * @param maxBytes rotate when the file grows past this
     * @param keep     rotated (compressed) files to keep
     */
    public JsonLinesJournal(Path path, long maxBytes, int keep, Topology topo) throws IOException {
        this(path, maxBytes, keep, Long.MAX_VALUE, topo);
    }

    /**
     * @param path          the journal file (its directory is created)
     * @param maxBytes      rotate when the file grows past this
     * @param keep          rotated (compressed) files to keep
     * @param maxTotalBytes the current file and the rotated ones together stay under this: the oldest go first
     */
    public JsonLinesJournal(Path path, long maxBytes, int keep, long maxTotalBytes, Topology topo) throws IOException {
        this.path = path;
        this.maxBytes = maxBytes;
        this.keep = Math.max(0, keep);
        this.maxTotalBytes = maxTotalBytes;
        this.topo = topo;
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        seq = lastSeq(path);
        if (seq == 0) {
            seq = Math.max(lastSeq(rotated(1, "")), lastSeq(rotated(1, ".gz")));
        }
        open();
    }

    /** The {@code seq} of the last line written (0 before the first, in a new file set). */
    public synchronized long seq() {
        return seq;
    }

    /** The highest {@code seq} near the end of {@code file} (whole file when gzipped), 0 when none or no file. */
    static long lastSeq(Path file) {
        if (!Files.isRegularFile(file)) {
            return 0;
        }
        byte[] tail;
        try {
            if (file.getFileName().toString().endsWith(".gz")) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                    tail = lastBytes(in, TAIL_BYTES);
                }
            } else {
                try (var ch = Files.newByteChannel(file)) {
                    long size = ch.size();
                    ch.position(Math.max(0, size - TAIL_BYTES));
                    tail = lastBytes(Channels.newInputStream(ch), TAIL_BYTES);
                }
            }
        } catch (IOException e) {
            return 0; // unreadable or cut short: a new numbering is better than no journal
        }
        long best = 0;
        for (String l : new String(tail, StandardCharsets.UTF_8).split("\n")) {
            Matcher m = SEQ.matcher(l);
            if (m.find()) {
                try {
                    best = Math.max(best, Long.parseLong(m.group(1)));
                } catch (NumberFormatException ignored) {
                    // not ours
                }
            }
        }
        return best;
    }

    private static byte[] lastBytes(InputStream in, int n) throws IOException {
        byte[] ring = new byte[n];
        long total = 0;
        byte[] buf = new byte[64 * 1024];
        int r;
        while ((r = in.read(buf)) > 0) {
            for (int i = 0; i < r; ) {
                int at = (int) (total % n);
                int len = Math.min(r - i, n - at);
                System.arraycopy(buf, i, ring, at, len);
                i += len;
                total += len;
            }
        }
        if (total <= n) {
            return Arrays.copyOf(ring, (int) total);
        }
        int at = (int) (total % n);
        byte[] outb = new byte[n];
        System.arraycopy(ring, at, outb, 0, n - at);
        System.arraycopy(ring, 0, outb, n - at, at);
        return outb;
    }

    private void open() throws IOException {
        out = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        written = Files.size(path);
    }

    /** Number of ticks that could not be written. */
    public long failures() {
        return failures;
    }

    /**
     * Makes every tick line carry {@code obs}: the tick's observations, per-package measured power and the layout's facts,
     * what {@code cohort cost train --journal} trains the power estimator from (several kilobytes a line). Returns this.
     */
    public JsonLinesJournal recordingObservations() {
        observations = true;
        return this;
    }

    @Override
    public boolean recordsObservations() {
        return observations;
    }

    @Override
    public void record(TickRecord r) {
        record(r, java.util.Map.of());
    }

    @Override
    public synchronized void record(TickRecord r, java.util.Map<String, Double> extra) {
        try {
            line.reset();
            try (JsonGenerator g = JSON.createGenerator(line, JsonEncoding.UTF8)) {
                seq++;
                write(g, r, extra);
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
                g.writeNumberField("seq", ++seq);
                g.writeStringField("event", type);
                g.writeStringField("ts", now());
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

    private void write(JsonGenerator g, TickRecord r, java.util.Map<String, Double> extra) throws IOException {
        g.writeStartObject();
        g.writeNumberField("seq", seq);
        g.writeNumberField("tick", r.tick());
        g.writeStringField("ts", now());
        g.writeNumberField("t_s", r.timeNanos() / 1e9);
        g.writeStringField("policy", r.policy());
        g.writeBooleanField("fallback", r.fallback());
        g.writeBooleanField("dry_run", r.dryRun());
        g.writeObjectFieldStart("reward");
        num(g, "r", r.reward().reward());
        num(g, "latency", r.reward().latency());
        num(g, "energy", r.reward().energy());
        num(g, "stall", r.reward().stall());
        num(g, "progress", r.reward().progress());
        g.writeEndObject();
        num(g, "power_w", r.packageWatts());
        g.writeStringField("power_source", r.powerSource().id());
        if (!Double.isNaN(r.predictedWatts())) {
            num(g, "predicted_w", r.predictedWatts());
        }
        for (var e : extra.entrySet()) {
            num(g, e.getKey(), e.getValue());
        }
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
        if (r.observed() != null) {
            ObservedJson.write(g, r.observed());
        }
        g.writeFieldName("settings");
        TREES.writeTree(g, SettingJson.settings(r, SettingJson.Form.JOURNAL));
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

    /**
     * Shifts the rotated files up by one (dropping what passes {@code keep}), renames the current file to
     * {@code .1}, opens a new one, then compresses {@code .1} to {@code .1.gz}. A crash while compressing leaves a
     * plain rotated file, which readers take as it is and the next rotation compresses.
     */
    private void rotate() throws IOException {
        out.close();
        for (int i = keep; i < keep + 1000; i++) { // files past keep (keep lowered, or left by older runs)
            boolean any = Files.deleteIfExists(rotated(i, ".gz")) | Files.deleteIfExists(rotated(i, ""));
            if (!any && i > keep) {
                break;
            }
        }
        for (int i = keep - 1; i >= 1; i--) {
            for (String ext : new String[]{".gz", ""}) {
                if (Files.exists(rotated(i, ext))) {
                    Files.move(rotated(i, ext), rotated(i + 1, ext), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        if (keep == 0) {
            Files.deleteIfExists(path);
        } else {
            Files.move(path, rotated(1, ""), StandardCopyOption.REPLACE_EXISTING);
        }
        open();
        for (int i = 1; i <= keep; i++) {
            if (Files.exists(rotated(i, ""))) {
                compress(rotated(i, ""), rotated(i, ".gz"));
            }
        }
        trim();
    }

    private static void compress(Path plain, Path gz) throws IOException {
        Path tmp = gz.resolveSibling(gz.getFileName() + ".tmp");
        try (InputStream in = Files.newInputStream(plain);
             OutputStream o = new GZIPOutputStream(Files.newOutputStream(tmp), 64 * 1024)) {
            in.transferTo(o);
        }
        Files.move(tmp, gz, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.delete(plain);
    }

    /** Drops the oldest rotated files while the journal's files together pass {@code maxTotalBytes}. */
    private void trim() throws IOException {
        if (maxTotalBytes == Long.MAX_VALUE) {
            return;
        }
        long total = written;
        int last = 0;
        for (int i = 1; i <= keep; i++) {
            for (String ext : new String[]{".gz", ""}) {
                if (Files.exists(rotated(i, ext))) {
                    total += Files.size(rotated(i, ext));
                    last = i;
                }
            }
        }
        for (int i = last; i >= 1 && total > maxTotalBytes; i--) {
            for (String ext : new String[]{".gz", ""}) {
                Path f = rotated(i, ext);
                if (Files.exists(f)) {
                    total -= Files.size(f);
                    Files.delete(f);
                }
            }
        }
    }

    private Path rotated(int i, String ext) {
        return path.resolveSibling(path.getFileName() + "." + i + ext);
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException ignored) {
            // closing a journal must not fail shutdown
        }
    }

    /** The wall-clock time of an entry, to the millisecond as the format above shows (the clock's nanoseconds are noise to a reader). */
    static String now() {
        return java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
    }
}
