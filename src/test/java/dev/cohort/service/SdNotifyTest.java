package dev.cohort.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.service.systemd.SdNotify;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sd_notify through FFM datagrams to a path socket and an abstract one; the watchdog interval; no socket, no-op. */
class SdNotifyTest {
    @TempDir
    Path dir;

    @Test
    void messagesArriveOnAPathSocket() throws Exception {
        String path = dir.resolve("notify").toString();
        try (NotifyReceiver r = NotifyReceiver.bind(path); SdNotify sd = SdNotify.from(Map.of("NOTIFY_SOCKET", path))) {
            assertTrue(sd.enabled());
            sd.ready("ticking");
            sd.status("tick 10");
            sd.watchdog();
            sd.stopping("restoring");
            assertEquals("READY=1\nSTATUS=ticking\nMAINPID=" + ProcessHandle.current().pid(), new String(r.receive(1000)));
            assertEquals("STATUS=tick 10", new String(r.receive(1000)));
            assertEquals("WATCHDOG=1", new String(r.receive(1000)));
            assertEquals("STOPPING=1\nSTATUS=restoring", new String(r.receive(1000)));
            assertNull(r.receive(50));
        }
    }

    /** A receiver that reads nothing fills its queue (net.unix.max_dgram_qlen); the sender must go on, not wait. */
    @Test
    void aFullReceiverQueueNeverBlocksTheSender() throws Exception {
        String name = "@cohort-sd-full-" + System.nanoTime();
        try (NotifyReceiver r = NotifyReceiver.bind(name); SdNotify sd = SdNotify.from(Map.of("NOTIFY_SOCKET", name))) {
            Thread t = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 2000; i++) {
                    sd.watchdog();
                }
            });
            t.join(20_000);
            assertFalse(t.isAlive(), "2000 pings into a queue nobody reads returned (the surplus is dropped)");
            assertEquals("WATCHDOG=1", new String(r.receive(1000)), "the first ones arrived");
        }
    }

    @Test
    void messagesArriveOnAnAbstractSocket() throws Exception {
        String name = "@cohort-sd-test-" + System.nanoTime();
        try (NotifyReceiver r = NotifyReceiver.bind(name); SdNotify sd = SdNotify.from(Map.of("NOTIFY_SOCKET", name))) {
            sd.status("multi\nline");
            assertEquals("STATUS=multi line", new String(r.receive(1000)), "STATUS is one line");
        }
    }

    @Test
    void withoutNotifySocketNothingIsSentAndTheWatchdogFollowsWatchdogPid() {
        SdNotify none = SdNotify.from(Map.of());
        assertFalse(none.enabled());
        assertFalse(none.send("READY=1"));
        assertEquals(15_000_000_000L, SdNotify.from(Map.of("WATCHDOG_USEC", "30000000")).watchdogIntervalNanos(), "half the timeout");
        assertEquals(0, SdNotify.from(Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "1")).watchdogIntervalNanos(),
                "the watchdog is another process's");
        SdNotify nobody = SdNotify.from(Map.of("NOTIFY_SOCKET", dir.resolve("absent").toString()));
        assertFalse(nobody.send("READY=1"), "a send that fails is reported, not thrown");
    }
}
