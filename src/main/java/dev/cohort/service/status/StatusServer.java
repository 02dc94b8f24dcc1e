package dev.cohort.service.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.platform.CohortException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The daemon's local control socket: a Unix stream socket (mode 0600, so only root talks to it) where a client
 * writes one JSON request line and reads one JSON answer line. Requests:
 * <ul>
 *   <li>{@code {"cmd":"status"}}: the status document ({@link StatusSnapshot})</li>
 *   <li>{@code {"cmd":"tune","kind":"freq","target":"0","value":"2.4GHz"}}: a manual override the daemon applies and
 *       holds; answer {@code {"ok":true,"results":[...]}} or {@code {"ok":false,"error":"..."}}</li>
 *   <li>{@code {"cmd":"release","kind":"freq","target":"0"}} or {@code {"cmd":"release","all":true}}</li>
 *   <li>{@code {"cmd":"reload"}}: as SIGHUP</li>
 * </ul>
 * Each connection is served on its own virtual thread; the handler passes the request to the control loop, which
 * answers between ticks, so the socket never touches the platform from another thread.
 */
public final class StatusServer implements AutoCloseable {
    private static final int MAX_REQUEST = 64 * 1024;

    /** Answers one request. */
    @FunctionalInterface
    public interface Handler {
        JsonNode handle(JsonNode request);
    }

    private final Path path;
    private final ServerSocketChannel server;
    private final Thread acceptor;
    /** The socket file this process bound (device and inode): the only file {@link #close} removes. */
    private final Object fileKey;

    private StatusServer(Path path, ServerSocketChannel server, Object fileKey, Handler handler) {
        this.path = path;
        this.server = server;
        this.fileKey = fileKey;
        this.acceptor = Thread.ofPlatform().daemon().name("cohort-status").start(() -> accept(handler));
    }

    /**
     * Binds {@code path} and starts serving. Only a socket is ever removed: a stale socket nobody answers on (left by a
     * run that crashed; the caller holds the lock) is replaced; anything else at the path (a regular file, a directory,
     * a symbolic link) or a socket some process still answers on is refused, and nothing is deleted.
     *
     * @throws CohortException naming the path, what is there and what to do
     */
    public static StatusServer start(Path path, Handler handler) throws IOException {
        Files.createDirectories(path.toAbsolutePath().getParent());
        removeStale(path);
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        Object key;
        try {
            ch.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            key = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return new StatusServer(path, ch, key, handler);
    }

    /** True when {@code path} itself (not what a link points to) is a Unix socket. */
    public static boolean isSocket(Path path) throws IOException {
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        return (mode & S_IFMT) == S_IFSOCK;
    }

    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private static void removeStale(Path path) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if (!isSocket(path)) {
            String what = a.isSymbolicLink() ? "a symbolic link" : a.isDirectory() ? "a directory" : a.isRegularFile()
                    ? "a regular file" : "not a socket";
            throw new CohortException("paths.status_socket " + path + " is " + what + ", not a socket; cohort removes only"
                    + " the socket it created, so it leaves it as it is: move it away or set paths.status_socket to another path");
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
            throw new CohortException("paths.status_socket " + path + " is a socket some process still answers on"
                    + " (another cohort with another lock file?); stop it, or set paths.status_socket to another path");
        } catch (java.net.ConnectException e) {
            // nobody listens: a socket left by a run that did not stop cleanly
        }
        Files.deleteIfExists(path);
    }

    private void accept(Handler handler) {
        while (server.isOpen()) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                continue;
            }
            Thread.ofVirtual().name("cohort-status-conn").start(() -> serve(c, handler));
        }
    }

    private static void serve(SocketChannel c, Handler handler) {
        try (c) {
            byte[] req = readLine(c);
            JsonNode answer;
            try {
                answer = handler.handle(StatusSnapshot.JSON.readTree(req));
            } catch (IOException e) {
                answer = error("the request is not JSON: " + e.getMessage());
            } catch (RuntimeException e) {
                answer = error(e.getMessage());
            }
            byte[] out = (StatusSnapshot.JSON.writeValueAsString(answer) + "\n").getBytes(StandardCharsets.UTF_8);
            ByteBuffer b = ByteBuffer.wrap(out);
            while (b.hasRemaining()) {
                c.write(b);
            }
        } catch (IOException ignored) {
            // the client went away
        }
    }

    static byte[] readLine(SocketChannel c) throws IOException {
        ByteArrayOutputStream acc = new ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(4096);
        while (acc.size() < MAX_REQUEST) {
            b.clear();
            int n = c.read(b);
            if (n < 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                byte x = b.get(i);
                if (x == '\n') {
                    return acc.toByteArray();
                }
                acc.write(x);
            }
        }
        return acc.toByteArray();
    }

    /** An error answer. */
    public static ObjectNode error(String message) {
        ObjectNode o = StatusSnapshot.JSON.createObjectNode();
        o.put("ok", false);
        o.put("error", message == null ? "internal error" : message);
        return o;
    }

    /** The socket's path. */
    public Path path() {
        return path;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            // remove the socket only while it is still the one this process bound: never a file put there since
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (isSocket(path) && java.util.Objects.equals(a.fileKey(), fileKey) && fileKey != null) {
                Files.delete(path);
            }
        } catch (IOException ignored) {
            // gone already, or not ours; a stale socket of ours is replaced at the next start
        }
        acceptor.interrupt();
    }
}
