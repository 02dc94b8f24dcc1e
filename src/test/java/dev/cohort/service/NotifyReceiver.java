package dev.cohort.service;

import dev.cohort.service.systemd.UnixDatagramNative;
import java.io.IOException;

/** A test's end of the sd_notify socket: a bound AF_UNIX datagram socket (a path, or abstract with '@'). */
final class NotifyReceiver implements AutoCloseable {
    private final int fd;

    private NotifyReceiver(int fd) {
        this.fd = fd;
    }

    static NotifyReceiver bind(String address) throws IOException {
        int fd = UnixDatagramNative.open();
        try {
            UnixDatagramNative.bind(fd, address);
        } catch (IOException e) {
            UnixDatagramNative.close(fd);
            throw e;
        }
        return new NotifyReceiver(fd);
    }

    /** The next datagram, or null when none arrives within {@code millis}. */
    byte[] receive(long millis) throws IOException {
        UnixDatagramNative.receiveTimeout(fd, millis);
        return UnixDatagramNative.receive(fd);
    }

    /**
     * Reads every datagram on a thread of its own into {@code into} until closed, as systemd drains its notification
     * socket (a kernel queue of unread datagrams is short: net.unix.max_dgram_qlen, 10 by default).
     */
    Thread drainInto(java.util.List<String> into) {
        return Thread.ofPlatform().daemon().name("notify-drain").start(() -> {
            try {
                while (true) {
                    byte[] m = receive(100);
                    if (m != null) {
                        synchronized (into) {
                            into.add(new String(m, java.nio.charset.StandardCharsets.UTF_8));
                        }
                    }
                }
            } catch (IOException e) {
                // closed: done
            }
        });
    }

    @Override
    public void close() {
        UnixDatagramNative.close(fd);
    }
}
