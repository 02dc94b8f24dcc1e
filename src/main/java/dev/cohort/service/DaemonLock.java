package dev.cohort.service;

import dev.cohort.platform.CohortException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.OptionalLong;

/**
 * The single-writer lock: an exclusive {@code fcntl} lock ({@link FileChannel#tryLock}) on a lock file that also
 * holds the holder's PID. The kernel drops the lock when the process dies, however it dies (kill -9 included), so
 * a stale lock file never blocks a restart; the PID in it only helps messages. The daemon, {@code cohort tune}
 * without a daemon and {@code cohort restore} all take it, so two of them never write knobs at once.
 */
public final class DaemonLock implements AutoCloseable {
    /**
     * Lock files this JVM holds. POSIX drops a process's lock when any of its descriptors of the file closes, so
     * this JVM must never open a file it holds the lock on: checks consult this set first.
     */
    private static final java.util.Set<Path> HELD = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** The lock file's mode: only root (its owner) reads it. */
    static final java.util.Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    /** The mode of the directories cohort creates for it. */
    static final java.util.Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;

    private DaemonLock(Path path, FileChannel channel, FileLock lock) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock or fails at once.
     *
     * @param what who wants it, for the message ("the daemon", "cohort restore")
     * @throws CohortException naming the holder's PID when another process holds it, or why the file cannot be opened
     */
    public static DaemonLock acquire(Path path, String what) {
        Path key = path.toAbsolutePath().normalize();
        if (HELD.contains(key)) {
            throw held(path, OptionalLong.of(ProcessHandle.current().pid()), what);
        }
        FileChannel ch = null;
        try {
            createPrivateDirectories(path.toAbsolutePath().getParent());
            ch = FileChannel.open(path, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(FILE_MODE));
            if (!Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS).equals(FILE_MODE)) {
                Files.setPosixFilePermissions(path, FILE_MODE); // left wider by an older run
            }
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null; // this JVM holds it already
            }
            if (l == null) {
                OptionalLong pid = holder(path);
                ch.close();
                throw held(path, pid, what);
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            ch.force(false);
            HELD.add(key);
            return new DaemonLock(path, ch, l);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new CohortException("cannot open the lock file " + path + ": " + e.getMessage()
                    + " (run as root, or set paths.state_dir to a writable directory)");
        }
    }

    private static CohortException held(Path path, OptionalLong pid, String what) {
        return new CohortException("another cohort" + (pid.isPresent() ? " (pid " + pid.getAsLong() + ")" : "")
                + " holds " + path + ", so " + what + " cannot write knobs; stop it first (systemctl stop cohort)"
                + " or, for a manual change while it runs, use cohort tune");
    }

    /** True when some process holds the lock (checked by trying to take it and letting go at once). */
    public static boolean isHeld(Path path) {
        if (HELD.contains(path.toAbsolutePath().normalize())) {
            return true;
        }
        if (!Files.exists(path)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock l = ch.tryLock();
            if (l == null) {
                return true;
            }
            l.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The PID written in the lock file, if it holds one. */
    public static OptionalLong holder(Path path) {
        if (HELD.contains(path.toAbsolutePath().normalize())) {
            return OptionalLong.of(ProcessHandle.current().pid());
        }
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(path).strip()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The lock file. */
    public Path path() {
        return path;
    }

    /** Lets go of the lock. The file stays (removing it would race with the next holder). */
    @Override
    public void close() {
        HELD.remove(path.toAbsolutePath().normalize());
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        closeQuietly(channel);
    }

    /**
     * Creates the missing directories of {@code dir} with mode 0700, however they are reached (systemd's
     * RuntimeDirectory, a shell, a test). A directory that exists already is left as it is: it may be shared.
     */
    static void createPrivateDirectories(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        java.util.ArrayDeque<Path> missing = new java.util.ArrayDeque<>();
        for (Path p = abs; p != null && !Files.exists(p); p = p.getParent()) {
            missing.push(p);
        }
        for (Path p : missing) {
            try {
                Files.createDirectory(p, PosixFilePermissions.asFileAttribute(DIR_MODE));
                Files.setPosixFilePermissions(p, DIR_MODE); // the umask may have narrowed it; never wider than 0700
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // made meanwhile by someone else
            }
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }
}
