package dev.cohort.harness.beststatic;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where best-static results are kept: one JSON file per scenario and key, {@code <scenario>-<first 16 hex digits of
 * the key>.json}, in a cache directory, and the results shipped for the built-in scenarios under
 * {@code configs/best-static/} (on the class path), looked up after the cache. Files are written whole to a temporary
 * file and renamed over the old one, so a reader never sees half a file and two concurrent writers leave one whole
 * result. A file that cannot be read as a result is reported in one line and searched again.
 */
public final class Store {
    /** The environment variable that moves the cache directory (CI, shared machines). */
    public static final String ENV = "COHORT_BEST_STATIC_CACHE";
    /** The class-path folder of the results shipped with cohort. */
    static final String SHIPPED = "/configs/best-static/";

    private final Path dir;
    private final boolean shipped;

    /**
     * @param dir     the cache directory (created on the first write)
     * @param shipped also look in the shipped results
     */
    public Store(Path dir, boolean shipped) {
        this.dir = dir;
        this.shipped = shipped;
    }

    /**
     * The cache directory when none is named: {@value #ENV}, else {@code $XDG_CACHE_HOME/cohort/best-static}, else
     * {@code ~/.cache/cohort/best-static}.
     */
    public static Path defaultDir(Map<String, String> env, String userHome) {
        String own = env.get(ENV);
        if (own != null && !own.isBlank()) {
            return Path.of(own);
        }
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg) : Path.of(userHome, ".cache");
        return base.resolve("cohort").resolve("best-static");
    }

    /** The cache directory. */
    public Path dir() {
        return dir;
    }

    /** The file a result for {@code scenario} under {@code key} is kept in. */
    public Path file(String scenario, String key) {
        return dir.resolve(fileName(scenario, key));
    }

    static String fileName(String scenario, String key) {
        return scenario.replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + key.substring(0, 16) + ".json";
    }

    /**
     * A result found where it was kept.
     *
     * @param found  the result
     * @param source the file or class-path resource it came from
     */
    public record Hit(Found found, String source) {
    }

    /**
     * The kept result for {@code scenario} under {@code key}: the cache's, else the shipped one. A cache file that is
     * there but is not a result for this key is passed to {@code warn} in one line, with what happens instead: the
     * shipped result is used and written over it, or (none shipped) the caller searches again and its
     * {@link #save} replaces it.
     */
    public Optional<Hit> lookup(String scenario, String key, Consumer<String> warn) {
        Path f = file(scenario, key);
        String broken = null;
        if (Files.isRegularFile(f)) {
            try {
                return Optional.of(new Hit(FoundJson.read(Files.readString(f, StandardCharsets.UTF_8), key), f.toString()));
            } catch (IOException | FoundJson.Invalid e) {
                broken = f + " is not a usable best-static result (" + reason(e) + ")";
            }
        }
        Optional<Hit> hit = shipped ? shipped(scenario, key, warn) : Optional.empty();
        if (broken != null) {
            warn.accept(broken + (hit.isPresent() ? "; using the shipped result, and writing it there" : "; searching again"));
            if (hit.isPresent()) {
                try {
                    save(hit.get().found());
                } catch (IOException e) {
                    // the shipped result is used all the same; the warning comes back next time
                }
            }
        }
        return hit;
    }

    private static Optional<Hit> shipped(String scenario, String key, Consumer<String> warn) {
        String res = SHIPPED + fileName(scenario, key);
        try (InputStream in = Store.class.getResourceAsStream(res)) {
            if (in == null) {
                return Optional.empty();
            }
            return Optional.of(new Hit(FoundJson.read(new String(in.readAllBytes(), StandardCharsets.UTF_8), key), "classpath:" + res));
        } catch (IOException | FoundJson.Invalid e) {
            warn.accept("classpath:" + res + " is not a usable best-static result (" + reason(e) + "); searching again");
            return Optional.empty();
        }
    }

    /**
     * Writes {@code f} to its file: whole, to a temporary file in the same directory, then renamed over the old one.
     *
     * @return the file written
     * @throws IOException when the directory or the file cannot be written
     */
    public Path save(Found f) throws IOException {
        Files.createDirectories(dir);
        Path target = file(f.scenario(), f.key());
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, FoundJson.write(f), StandardCharsets.UTF_8);
            readableByAll(tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                // a file system without atomic rename in one directory: still whole, if not atomic
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A temporary file is private to its owner; a kept result is not secret, and a shared cache (CI) is read by others. */
    private static void readableByAll(Path p) {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException | IOException e) {
            // a file system without POSIX permissions: whatever it grants
        }
    }

    private static String reason(Exception e) {
        String m = e instanceof java.nio.file.NoSuchFileException ? "vanished" : e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.replaceAll("\\s+", " ").strip();
    }
}
