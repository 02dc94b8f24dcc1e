package dev.cohort.platform.linux.faketree;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the files of one fake tree under its root: ASCII text, parent directories created. */
final class TreeFiles {
    private final Path root;

    TreeFiles(Path root) {
        this.root = root;
    }

    /** The tree's root. */
    Path root() {
        return root;
    }

    /** Writes {@code content} to {@code rel} under the root. */
    void w(String rel, String content) throws IOException {
        put(root, rel, content);
    }

    /** Writes a file under {@code root}, creating its directories. */
    static void put(Path root, String rel, String content) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.US_ASCII);
    }
}
