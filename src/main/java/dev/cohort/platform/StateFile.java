package dev.cohort.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The saved-knob state as a JSON file, replaced atomically: write a temp file beside it, fsync, rename
 * over, fsync the directory. An empty list removes the file, so "no file" means "nothing to restore".
 *
 * <pre>{"version":1,"pid":1234,"knobs":[{"id":"/sys/.../scaling_max_freq","description":"...",
 *   "original":"3900000","lastWritten":"2400000"}]}</pre>
 */
public final class StateFile implements StateStore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Path path;

    /** On-disk form. */
    record Content(int version, long pid, List<SavedKnob> knobs) {
    }

    public StateFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
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
        try {
            Content c = JSON.readValue(bytes, Content.class);
            if (c.version() != 1) {
                throw new IOException("state file " + path + " has version " + c.version() + "; this build reads version 1");
            }
            return c.knobs() == null ? List.of() : List.copyOf(c.knobs());
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException("state file " + path + " is not valid JSON (" + e.getOriginalMessage()
                    + "); move it aside and restore its knobs by hand", e);
        }
    }

    @Override
    public void save(List<SavedKnob> knobs) throws IOException {
        if (knobs.isEmpty()) {
            Files.deleteIfExists(path);
            return;
        }
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(path.getFileName() + ".tmp");
        byte[] bytes = JSON.writeValueAsBytes(new Content(1, ProcessHandle.current().pid(), knobs));
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            var buf = java.nio.ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("state file " + path + ": the filesystem cannot rename atomically", e);
        }
        syncDirectory(dir);
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
