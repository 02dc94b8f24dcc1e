package dev.cohort.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock file is 0600 and the directories made for it 0700, whoever starts cohort (not only systemd). */
class DaemonLockModeTest {
    @TempDir
    Path dir;

    static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void theLockFileIsPrivateAndSoAreTheDirectoriesMadeForIt() throws Exception {
        Path lock = dir.resolve("a/run/cohort.lock");
        try (DaemonLock l = DaemonLock.acquire(lock, "the test")) {
            assertEquals("rw-------", mode(lock));
            assertEquals("rwx------", mode(dir.resolve("a/run")));
            assertEquals("rwx------", mode(dir.resolve("a")));
        }
        assertEquals("rwx------", mode(dir), "an existing directory is left as it is");
    }

    @Test
    void aLockFileLeftWiderIsTightened() throws Exception {
        Path lock = dir.resolve("cohort.lock");
        Files.writeString(lock, "1\n");
        Files.setPosixFilePermissions(lock, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (DaemonLock l = DaemonLock.acquire(lock, "the test")) {
            assertEquals("rw-------", mode(lock));
        }
        assertEquals("rwxr-xr-x", mode(dir), "a directory cohort did not make is not changed");
    }
}
