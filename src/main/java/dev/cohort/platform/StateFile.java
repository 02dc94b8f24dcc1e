package dev.cohort.platform;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The saved-knob state as a JSON file, replaced atomically: write a temp file beside it, fsync, rename over, fsync
 * the directory. An empty list removes the file, so "no file" means "nothing to restore". The file and the directory
 * it creates are private to the owner (0600, 0700), wherever cohort runs.
 *
 * <pre>{"version":2,"pid":1234,"knobs":[{"id":"/sys/.../scaling_max_freq","description":"...",
 *   "original":"3900000","lastWritten":"2400000","intended":["2000000"],"left":null}]}</pre>
 *
 * Values announced before a write ({@link #intend}) are appended to a sidecar, {@code state.json.intents}, one JSON
 * line each and fsynced, instead of rewriting the whole file per write; the next full save folds them in and removes
 * the sidecar. A torn last line (a crash mid-append) is ignored: that value was never written.
 *
 * <p>A state file is data, not authority: it is read strictly (every key known, every value of its type, nothing
 * after the document), and any problem is one line naming the file and the key, before anything is written.
 * Version 1 files (without {@code intended} and {@code left}) are read as well.
 */
public final class StateFile implements StateStore {
    /** The version this build writes. */
    public static final int VERSION = 2;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final ObjectMapper LINE = new ObjectMapper();
    private static final Set<String> TOP_KEYS = Set.of("version", "pid", "knobs");
    private static final Set<String> KNOB_KEYS = Set.of("id", "description", "original", "lastWritten", "intended", "left");
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private final Path path;

    public StateFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    /** The sidecar holding values announced since the last full save. */
    public Path intentsPath() {
        return path.resolveSibling(path.getFileName() + ".intents");
    }

    @Override
    public String location() {
        return path.toString();
    }

    @Override
    public List<SavedKnob> load() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JacksonException e) {
            throw bad("is not valid JSON (" + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
        } catch (java.io.CharConversionException e) { // first bytes that look like a UTF-32 order Jackson does not read
            throw bad("is not valid JSON (" + e.getMessage() + ")");
        }
        List<SavedKnob> knobs = parse(root);
        return withIntents(knobs);
    }

    private List<SavedKnob> parse(JsonNode root) throws IOException {
        if (root == null || !root.isObject()) {
            throw bad("is not a JSON object with version, pid and knobs");
        }
        unknownKeys(root, TOP_KEYS, "");
        JsonNode v = root.get("version");
        if (v == null || !v.isInt()) {
            throw bad("version is missing or not a whole number");
        }
        if (v.intValue() > VERSION) {
            throw new IOException("state file " + path + " has version " + v.intValue() + ", written by a newer cohort (this "
                    + "build reads versions 1.." + VERSION + "): restore with that version's cohort restore, or move the file"
                    + " aside and restore its knobs by hand");
        }
        if (v.intValue() < 1) {
            throw bad("version " + v.intValue() + " is not a state file version (1.." + VERSION + ")");
        }
        JsonNode pid = root.get("pid");
        if (pid != null && !pid.isIntegralNumber()) {
            throw bad("pid is not a whole number");
        }
        JsonNode arr = root.get("knobs");
        if (arr == null || arr.isNull()) {
            return List.of();
        }
        if (!arr.isArray()) {
            throw bad("knobs is not a list");
        }
        List<SavedKnob> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < arr.size(); i++) {
            SavedKnob k = knob(arr.get(i), "knobs[" + i + "]");
            if (!ids.add(k.id())) {
                throw bad("knobs[" + i + "].id '" + k.id() + "' appears twice");
            }
            out.add(k);
        }
        return out;
    }

    private SavedKnob knob(JsonNode n, String at) throws IOException {
        if (!n.isObject()) {
            throw bad(at + " is not an object");
        }
        unknownKeys(n, KNOB_KEYS, at + ".");
        String id = text(n, at, "id", true);
        if (id.isBlank()) {
            throw bad(at + ".id is empty");
        }
        String original = text(n, at, "original", true);
        List<String> intended = new ArrayList<>();
        JsonNode in = n.get("intended");
        if (in != null && !in.isNull()) {
            if (!in.isArray()) {
                throw bad(at + ".intended is not a list of strings");
            }
            for (JsonNode x : in) {
                if (!x.isTextual()) {
                    throw bad(at + ".intended holds a value that is not a string");
                }
                intended.add(x.textValue());
            }
        }
        String desc = text(n, at, "description", false);
        return new SavedKnob(id, desc == null ? "" : desc, original, text(n, at, "lastWritten", false), intended,
                text(n, at, "left", false));
    }

    private String text(JsonNode n, String at, String key, boolean required) throws IOException {
        JsonNode x = n.get(key);
        if (x == null || x.isNull()) {
            if (required) {
                throw bad(at + "." + key + " is missing");
            }
            return null;
        }
        if (!x.isTextual()) {
            throw bad(at + "." + key + " is not a string");
        }
        return x.textValue();
    }

    private void unknownKeys(JsonNode n, Set<String> known, String prefix) throws IOException {
        for (var it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!known.contains(k)) {
                throw bad(prefix + k + " is not a key of a state file (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private IOException bad(String what) {
        return new IOException("state file " + path + ": " + what + "; nothing was written: fix it, or move it aside and "
                + "restore its knobs by hand");
    }

    /** The state with the sidecar's announcements folded in; lines that do not parse (a torn last one) are skipped. */
    private List<SavedKnob> withIntents(List<SavedKnob> knobs) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(intentsPath(), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return knobs;
        } catch (java.nio.charset.MalformedInputException e) {
            return knobs;
        }
        Map<String, SavedKnob> byId = new LinkedHashMap<>();
        knobs.forEach(k -> byId.put(k.id(), k));
        for (String line : lines) {
            try {
                JsonNode n = LINE.readTree(line);
                if (n != null && n.path("id").isTextual() && n.path("value").isTextual()) {
                    byId.computeIfPresent(n.get("id").textValue(), (id, k) -> k.withIntended(n.get("value").textValue()));
                }
            } catch (JacksonException ignored) {
                // a torn line from a crash mid-append: its value was never written
            }
        }
        return List.copyOf(byId.values());
    }

    @Override
    public void intend(List<SavedKnob> all, SavedKnob knob, String value) throws IOException {
        if (!Files.exists(path)) {
            save(all);
            return;
        }
        ObjectNode line = LINE.createObjectNode();
        line.put("id", knob.id());
        line.put("value", value);
        CrashPoints.hit("before-save");
        // READ to see the last byte; the end is found by hand, as APPEND excludes READ (one writer: cohort holds the lock)
        Set<StandardOpenOption> rw = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        try (FileChannel ch = FileChannel.open(intentsPath(), rw, privateFile())) {
            // after a torn last line (a crash mid-append), start a line of our own, or the reader would skip both
            String text = LINE.writeValueAsString(line) + "\n";
            byte[] bytes = ((endsTorn(ch) ? "\n" : "") + text).getBytes(StandardCharsets.UTF_8);
            ch.position(ch.size());
            writeAll(ch, bytes);
            ch.force(false);
        }
        CrashPoints.hit("after-save");
    }

    @Override
    public void save(List<SavedKnob> knobs) throws IOException {
        CrashPoints.hit("before-save");
        if (knobs.isEmpty()) {
            Files.deleteIfExists(path);
            Files.deleteIfExists(intentsPath());
            CrashPoints.hit("after-save");
            return;
        }
        Path dir = path.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            if (POSIX) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        }
        Path tmp = dir.resolve(path.getFileName() + ".tmp");
        Files.deleteIfExists(tmp); // a stale one would keep its old mode
        byte[] bytes = JSON.writeValueAsBytes(document(knobs));
        try (FileChannel ch = FileChannel.open(tmp, openOptions(StandardOpenOption.TRUNCATE_EXISTING), privateFile())) {
            writeAll(ch, bytes);
            ch.force(true);
        }
        try {
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("state file " + path + ": the filesystem cannot rename atomically", e);
        }
        syncDirectory(dir);
        Files.deleteIfExists(intentsPath()); // folded into the file just written
        CrashPoints.hit("after-save");
    }

    private static ObjectNode document(List<SavedKnob> knobs) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", VERSION);
        root.put("pid", ProcessHandle.current().pid());
        ArrayNode arr = root.putArray("knobs");
        for (SavedKnob k : knobs) {
            ObjectNode n = arr.addObject();
            n.put("id", k.id());
            n.put("description", k.description());
            n.put("original", k.original());
            n.put("lastWritten", k.lastWritten());
            ArrayNode in = n.putArray("intended");
            k.intended().forEach(in::add);
            n.put("left", k.left());
        }
        return root;
    }

    /** True when the file is not empty and its last byte is not a newline. */
    private static boolean endsTorn(FileChannel ch) throws IOException {
        long size = ch.size();
        if (size == 0) {
            return false;
        }
        ByteBuffer last = ByteBuffer.allocate(1);
        ch.read(last, size - 1);
        return last.get(0) != '\n';
    }

    private static Set<StandardOpenOption> openOptions(StandardOpenOption mode) {
        return Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode);
    }

    private static FileAttribute<?>[] privateFile() {
        return POSIX ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
    }

    private static void writeAll(FileChannel ch, byte[] bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    private static void syncDirectory(Path dir) {
        // Makes the rename durable; some filesystems refuse to open a directory, and then there is nothing to do.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
