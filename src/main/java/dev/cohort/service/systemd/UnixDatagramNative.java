package dev.cohort.service.systemd;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.cohort.platform.Libc;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * AF_UNIX datagram sockets through the FFM API and {@link Libc}, which the JDK lacks (its Unix-domain channels are
 * stream-only and path-only): {@code socket}, {@code sendto}, {@code bind}, {@code recv}, {@code setsockopt} and
 * {@code close} from libc, each capturing {@code errno}. Addresses are filesystem paths or, when they start with {@code @},
 * abstract names (the {@code @} becomes a NUL byte and the address length counts only the name, as libsystemd
 * does). Only this class touches FFM types.
 *
 * <pre>
 * struct sockaddr_un {            offset size
 *     sa_family_t sun_family;          0    2   AF_UNIX = 1
 *     char        sun_path[108];       2  108   path, NUL-terminated; abstract: NUL then the name
 * };                                        110
 * struct timeval { long tv_sec; long tv_usec; }  16 bytes (SO_RCVTIMEO)
 * </pre>
 */
public final class UnixDatagramNative {
    static final int AF_UNIX = 1;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int MSG_NOSIGNAL = 0x4000;
    /** Never wait for room in the receiver's queue: a notification must not stall the control loop. */
    static final int MSG_DONTWAIT = 0x40;
    static final int SOL_SOCKET = 1;
    static final int SO_RCVTIMEO = 20;
    static final int PATH_MAX_BYTES = 108;
    private static final StructLayout SOCKADDR_UN = MemoryLayout.structLayout(JAVA_SHORT.withName("sun_family"),
            MemoryLayout.sequenceLayout(PATH_MAX_BYTES, JAVA_BYTE).withName("sun_path"));

    private static final MethodHandle SOCKET;
    private static final MethodHandle SENDTO;
    private static final MethodHandle BIND;
    private static final MethodHandle RECV;
    private static final MethodHandle SETSOCKOPT;
    private static final Throwable LINK_ERROR;

    static {
        MethodHandle so = null, se = null, bi = null, rc = null, ss = null;
        Throwable linkError = null;
        try {
            so = Libc.downcall("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
            se = Libc.downcall("sendto", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
            bi = Libc.downcall("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
            rc = Libc.downcall("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
            ss = Libc.downcall("setsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
        } catch (Throwable t) {
            linkError = t;
        }
        SOCKET = so;
        SENDTO = se;
        BIND = bi;
        RECV = rc;
        SETSOCKOPT = ss;
        LINK_ERROR = linkError;
    }

    private UnixDatagramNative() {
    }

    /** Why native calls are unavailable, or null when they work. */
    static String unavailableReason() {
        if (Libc.unavailableReason() != null) {
            return Libc.unavailableReason();
        }
        return LINK_ERROR == null ? null : "cannot bind libc through FFM: " + LINK_ERROR;
    }

    private static void checkLinked() throws IOException {
        if (unavailableReason() != null) {
            throw new IOException(unavailableReason());
        }
    }

    /** socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0). */
    public static int open() throws IOException {
        checkLinked();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cs = a.allocate(Libc.captureLayout());
            int fd = (int) SOCKET.invokeExact(cs, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw error("socket(AF_UNIX, SOCK_DGRAM)", cs);
            }
            return fd;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("socket call failed: " + t, t);
        }
    }

    /**
     * sendto(fd, payload, MSG_NOSIGNAL | MSG_DONTWAIT, address): one datagram, whole or not at all; a receiver whose
     * queue is full (net.unix.max_dgram_qlen unread datagrams) makes it fail with EAGAIN instead of blocking the caller.
     */
    public static void send(int fd, String address, byte[] payload) throws IOException {
        checkLinked();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cs = a.allocate(Libc.captureLayout());
            MemorySegment addr = a.allocate(SOCKADDR_UN);
            int len = fill(addr, address);
            MemorySegment buf = a.allocate(Math.max(1, payload.length));
            MemorySegment.copy(payload, 0, buf, JAVA_BYTE, 0, payload.length);
            long n = (long) SENDTO.invokeExact(cs, fd, buf, (long) payload.length, MSG_NOSIGNAL | MSG_DONTWAIT, addr, len);
            if (n < 0) {
                throw error("sendto " + address, cs);
            }
            if (n != payload.length) {
                throw new IOException("sendto " + address + ": sent " + n + " of " + payload.length + " bytes");
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("sendto call failed: " + t, t);
        }
    }

    /** bind(fd, address). */
    public static void bind(int fd, String address) throws IOException {
        checkLinked();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cs = a.allocate(Libc.captureLayout());
            MemorySegment addr = a.allocate(SOCKADDR_UN);
            int len = fill(addr, address);
            int r = (int) BIND.invokeExact(cs, fd, addr, len);
            if (r < 0) {
                throw error("bind " + address, cs);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("bind call failed: " + t, t);
        }
    }

    /** Sets a receive timeout (SO_RCVTIMEO) so {@link #receive} gives up. */
    public static void receiveTimeout(int fd, long millis) throws IOException {
        checkLinked();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cs = a.allocate(Libc.captureLayout());
            MemorySegment tv = a.allocate(16, 8);
            tv.set(JAVA_LONG, 0, millis / 1000);
            tv.set(JAVA_LONG, 8, (millis % 1000) * 1000);
            int r = (int) SETSOCKOPT.invokeExact(cs, fd, SOL_SOCKET, SO_RCVTIMEO, tv, 16);
            if (r < 0) {
                throw error("setsockopt SO_RCVTIMEO", cs);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("setsockopt call failed: " + t, t);
        }
    }

    /** Receives one datagram (at most 4096 bytes); null when the receive timeout passed with none. */
    public static byte[] receive(int fd) throws IOException {
        checkLinked();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cs = a.allocate(Libc.captureLayout());
            MemorySegment buf = a.allocate(4096);
            long n = (long) RECV.invokeExact(cs, fd, buf, 4096L, 0);
            if (n < 0) {
                int errno = Libc.errno(cs);
                if (errno == 11 || errno == 4) { // EAGAIN (timeout), EINTR
                    return null;
                }
                throw error("recv", cs);
            }
            return Arrays.copyOf(buf.toArray(JAVA_BYTE), (int) n);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("recv call failed: " + t, t);
        }
    }

    /** close(fd); errors ignored. */
    public static void close(int fd) {
        if (unavailableReason() != null) {
            return;
        }
        Libc.close(fd);
    }

    /** Writes the sockaddr_un for {@code address} and returns the address length to pass. */
    private static int fill(MemorySegment addr, String address) throws IOException {
        byte[] b = address.getBytes(StandardCharsets.UTF_8);
        boolean isAbstract = address.startsWith("@");
        if (!isAbstract && !address.startsWith("/")) {
            throw new IOException("socket address '" + address + "' is neither a path (/...) nor abstract (@...)");
        }
        if (b.length >= PATH_MAX_BYTES) {
            throw new IOException("socket address '" + address + "' is longer than " + (PATH_MAX_BYTES - 1) + " bytes");
        }
        addr.set(JAVA_SHORT, 0, (short) AF_UNIX);
        MemorySegment.copy(b, 0, addr, JAVA_BYTE, 2, b.length);
        if (isAbstract) {
            addr.set(JAVA_BYTE, 2, (byte) 0);
            return 2 + b.length; // offsetof(sun_path) + name length, no terminating NUL
        }
        addr.set(JAVA_BYTE, 2 + b.length, (byte) 0);
        return 2 + b.length + 1;
    }

    private static IOException error(String op, MemorySegment cs) {
        return new IOException(op + ": " + Libc.describe(Libc.errno(cs)));
    }
}
