package dev.cohort.service.systemd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The systemd notification protocol ({@code sd_notify(3)}) without libsystemd: one datagram per message, newline-
 * separated {@code KEY=VALUE} lines, sent to the AF_UNIX datagram socket named by {@code NOTIFY_SOCKET} (a path, or
 * an abstract name when it starts with {@code @}). With {@code NOTIFY_SOCKET} unset (not started by systemd, or not
 * {@code Type=notify}) every call does nothing. A send that fails is reported once on stderr and never stops the daemon.
 *
 * <p>The watchdog: systemd exports {@code WATCHDOG_USEC} (and {@code WATCHDOG_PID}) when the unit has
 * {@code WatchdogSec=}; the watchdog applies to us only when {@code WATCHDOG_PID} is unset or is our PID.
 * {@link #watchdogIntervalNanos} is half the timeout, as {@code sd_watchdog_enabled(3)} advises. Thread-safe.
 */
public final class SdNotify implements AutoCloseable {
    private final String address;
    private final long watchdogIntervalNanos;
    private int fd = -1;
    private boolean warned;

    private SdNotify(String address, long watchdogIntervalNanos) {
        this.address = address;
        this.watchdogIntervalNanos = watchdogIntervalNanos;
    }

    /** From this process's environment. */
    public static SdNotify fromEnvironment() {
        return from(System.getenv());
    }

    /** From the given environment (tests). */
    public static SdNotify from(Map<String, String> env) {
        String addr = env.get("NOTIFY_SOCKET");
        long interval = 0;
        String usec = env.get("WATCHDOG_USEC");
        String pid = env.get("WATCHDOG_PID");
        boolean ours = pid == null || pid.isBlank() || pid.strip().equals(Long.toString(ProcessHandle.current().pid()));
        if (usec != null && ours) {
            try {
                long u = Long.parseLong(usec.strip());
                interval = u > 0 ? u * 1000 / 2 : 0;
            } catch (NumberFormatException e) {
                interval = 0;
            }
        }
        return new SdNotify(addr == null || addr.isBlank() ? null : addr.strip(), interval);
    }

    /** True when a notification socket is configured. */
    public boolean enabled() {
        return address != null;
    }

    /** The socket address, or null. */
    public String address() {
        return address;
    }

    /** How often to send {@code WATCHDOG=1}, ns; 0 when no watchdog applies to this process. */
    public long watchdogIntervalNanos() {
        return watchdogIntervalNanos;
    }

    /** {@code READY=1} with a status line. */
    public void ready(String status) {
        send("READY=1\nSTATUS=" + oneLine(status) + "\nMAINPID=" + ProcessHandle.current().pid());
    }

    /** {@code STATUS=...}: one line shown by {@code systemctl status}. */
    public void status(String status) {
        send("STATUS=" + oneLine(status));
    }

    /** {@code WATCHDOG=1}: the keep-alive. */
    public void watchdog() {
        send("WATCHDOG=1");
    }

    /** {@code RELOADING=1}, to be followed by {@link #ready}. */
    public void reloading() {
        send("RELOADING=1");
    }

    /** {@code STOPPING=1} with a status line. */
    public void stopping(String status) {
        send("STOPPING=1\nSTATUS=" + oneLine(status));
    }

    /**
     * Sends one message; false when it could not be sent (or nothing is configured).
     */
    public synchronized boolean send(String message) {
        if (address == null) {
            return false;
        }
        try {
            if (fd < 0) {
                fd = UnixDatagramNative.open();
            }
            UnixDatagramNative.send(fd, address, message.getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (IOException e) {
            if (!warned) {
                warned = true;
                System.err.println("cohort: sd_notify to " + address + " failed: " + e.getMessage()
                        + " (systemd will not see READY/WATCHDOG; further failures not printed)");
            }
            return false;
        }
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ').strip();
    }

    @Override
    public synchronized void close() {
        if (fd >= 0) {
            UnixDatagramNative.close(fd);
            fd = -1;
        }
    }
}
