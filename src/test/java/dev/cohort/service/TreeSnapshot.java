package dev.cohort.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every directory, file (its bytes) and symbolic link (its target) under a root, to compare a fake host tree byte
 * for byte before and after the daemon ran.
 */
record TreeSnapshot(Map<String, byte[]> files, Map<String, String> links, List<String> dirs) {

    static TreeSnapshot of(Path root) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        Map<String, String> links = new TreeMap<>();
        List<String> dirs = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted().toList()) {
                String rel = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    links.put(rel, Files.readSymbolicLink(p).toString());
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    dirs.add(rel);
                } else {
                    files.put(rel, Files.readAllBytes(p));
                }
            }
        }
        return new TreeSnapshot(files, links, dirs);
    }

    /** The differences from {@code other}, one line each (empty when byte for byte equal). */
    List<String> diff(TreeSnapshot other) {
        List<String> out = new ArrayList<>();
        for (var e : files.entrySet()) {
            byte[] b = other.files.get(e.getKey());
            if (b == null) {
                out.add("missing file " + e.getKey());
            } else if (!Arrays.equals(e.getValue(), b)) {
                out.add("changed " + e.getKey() + ": '" + new String(e.getValue()).replace("\n", "\\n") + "' -> '"
                        + new String(b).replace("\n", "\\n") + "'");
            }
        }
        other.files.keySet().stream().filter(k -> !files.containsKey(k)).forEach(k -> out.add("new file " + k));
        if (!links.equals(other.links)) {
            out.add("symlinks differ");
        }
        dirs.stream().filter(d -> !other.dirs.contains(d)).forEach(d -> out.add("missing dir " + d));
        other.dirs.stream().filter(d -> !dirs.contains(d)).forEach(d -> out.add("new dir " + d));
        return out;
    }
}
