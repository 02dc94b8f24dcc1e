package dev.cohort.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.platform.CohortException;
import dev.cohort.service.status.StatusClient;
import dev.cohort.service.status.StatusServer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The status socket removes only the socket it created: never a file that happens to be at the configured path. */
class StatusSocketTest {
    @TempDir
    Path dir;

    static final StatusServer.Handler ECHO = req -> req;

    @Test
    void aRegularFileAtThePathIsRefusedAndKept() throws Exception {
        Path f = dir.resolve("precious.txt");
        Files.writeString(f, "keep me\n");
        CohortException e = assertThrows(CohortException.class, () -> StatusServer.start(f, ECHO));
        assertEquals("paths.status_socket " + f + " is a regular file, not a socket; cohort removes only the socket it created,"
                + " so it leaves it as it is: move it away or set paths.status_socket to another path", e.getMessage());
        assertEquals("keep me\n", Files.readString(f));
        Path d = Files.createDirectory(dir.resolve("adir"));
        assertTrue(assertThrows(CohortException.class, () -> StatusServer.start(d, ECHO)).getMessage().contains(" is a directory"));
        Path link = Files.createSymbolicLink(dir.resolve("link.sock"), f);
        assertTrue(assertThrows(CohortException.class, () -> StatusServer.start(link, ECHO)).getMessage().contains("symbolic link"));
        assertEquals("keep me\n", Files.readString(f));
        assertTrue(Files.isSymbolicLink(link));
    }

    @Test
    void aStaleSocketIsReplacedALiveOneIsNot() throws Exception {
        Path p = dir.resolve("cohort.sock");
        ServerSocketChannel old = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        old.bind(UnixDomainSocketAddress.of(p));
        assertTrue(assertThrows(CohortException.class, () -> StatusServer.start(p, ECHO)).getMessage()
                .contains("is a socket some process still answers on"));
        old.close(); // the file stays, as after a crash
        assertTrue(Files.exists(p));
        try (StatusServer s = StatusServer.start(p, ECHO)) {
            assertTrue(StatusServer.isSocket(p));
            assertTrue(StatusClient.ask(p, StatusClient.request("status")).isPresent());
        }
        assertTrue(Files.notExists(p), "its own socket is removed at exit");
    }

    @Test
    void atExitAFilePutInPlaceOfTheSocketStays() throws Exception {
        Path p = dir.resolve("cohort.sock");
        StatusServer s = StatusServer.start(p, ECHO);
        Files.delete(p);
        Files.writeString(p, "someone else's\n");
        s.close();
        assertEquals("someone else's\n", Files.readString(p));

        StatusServer s2 = StatusServer.start(dir.resolve("b.sock"), ECHO);
        Files.delete(dir.resolve("b.sock"));
        ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        other.bind(UnixDomainSocketAddress.of(dir.resolve("b.sock")));
        s2.close();
        assertTrue(Files.exists(dir.resolve("b.sock")), "another process's socket (another inode) is not removed");
        other.close();
    }

    @Test
    void theDaemonRefusesToStartOnARegularFileAndLeavesIt() throws Exception {
        Path f = dir.resolve("notes.txt");
        Files.writeString(f, "keep me\n");
        Path cfg = dir.resolve("c.yaml");
        Files.writeString(cfg, """
                backend: sim
                period: 50ms
                sim: {scenario: steady, seed: 1}
                paths: {state_dir: %s, journal: %s, status_socket: %s}
                metrics: {enabled: false}
                """.formatted(dir.resolve("run"), dir.resolve("journal.jsonl"), f));
        try (InProcessDaemon d = InProcessDaemon.start(cfg, f)) {
            RuntimeException e = d.failure();
            assertInstanceOf(CohortException.class, e, d.log());
            assertTrue(e.getMessage().startsWith("paths.status_socket " + f + " is a regular file, not a socket"), e.getMessage());
        }
        assertEquals("keep me\n", Files.readString(f), "kept at start and at exit");
    }
}
