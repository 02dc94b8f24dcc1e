package dev.cohort.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.control.JsonLinesJournal;
import dev.cohort.platform.CpuSet;
import dev.cohort.platform.Topology;
import dev.cohort.service.status.StatusClient;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal's {@code seq} never restarts within its file set (not at a reload, not at a restart, not at a
 * rotation); rotated files are gzip-compressed, bounded in number and in total size, and {@code cohort journal}
 * reads them.
 */
class JournalRotationTest {
    @TempDir
    Path dir;

    static final Topology T = new Topology(List.of(new Topology.Cpu(0, 0, 0, 0)), 1,
            List.of(new Topology.FrequencyDomain("policy0", CpuSet.of(0), 800_000, 3_900_000, List.of())),
            List.of(new Topology.MemoryDomain(0, 0, CpuSet.of(0), Optional.empty())), List.of(), CpuSet.empty());

    static List<Long> seqs(List<JsonNode> lines) {
        List<Long> out = new ArrayList<>();
        for (JsonNode n : lines) {
            assertTrue(n.has("seq"), "every line has a seq: " + n);
            out.add(n.path("seq").asLong());
        }
        return out;
    }

    static void assertConsecutive(List<Long> s) {
        for (int i = 1; i < s.size(); i++) {
            assertEquals(s.get(i - 1) + 1, (long) s.get(i), "seq at line " + i + " of " + s);
        }
    }

    @Test
    void seqRunsOnAcrossAReloadAndARestart() throws Exception {
        Path cfg = dir.resolve("sim.yaml");
        Path journal = dir.resolve("journal.jsonl");
        Files.writeString(cfg, """
                backend: sim
                period: 20ms
                sim: {scenario: steady, seed: 3}
                paths: {state_dir: %s, journal: %s}
                metrics: {enabled: false}
                """.formatted(dir.resolve("run"), journal));
        Path socket = dir.resolve("run/cohort.sock");
        for (int run = 0; run < 2; run++) {
            try (InProcessDaemon d = InProcessDaemon.start(cfg, socket)) {
                d.awaitStatus(x -> x.path("ticks").path("count").asLong() >= 5, 60_000);
                assertTrue(StatusClient.ask(socket, StatusClient.request("reload")).orElseThrow().path("ok").asBoolean());
                long after = d.awaitStatus(x -> true, 10_000).path("ticks").path("count").asLong();
                d.awaitStatus(x -> x.path("ticks").path("count").asLong() >= after + 5, 60_000);
                assertEquals(0, d.stop(), d.log());
            }
        }
        List<JsonNode> lines = JournalReader.read(journal, null, true, Integer.MAX_VALUE);
        List<Long> ticks = lines.stream().filter(n -> n.has("tick")).map(n -> n.path("tick").asLong()).toList();
        assertTrue(ticks.stream().filter(t -> t == 1).count() >= 4, "the loop's tick restarts at each reload and start: " + ticks);
        List<Long> s = seqs(lines);
        assertEquals(1L, s.getFirst());
        assertConsecutive(s);
        assertEquals(4, lines.stream().filter(n -> n.path("event").asText().equals("start") || n.path("event").asText().equals("stop"))
                .count());
    }

    @Test
    void rotatedFilesAreCompressedBoundedAndReadBack() throws Exception {
        Path j = dir.resolve("j.jsonl");
        String note = "x".repeat(200);
        try (JsonLinesJournal w = new JsonLinesJournal(j, 8_192, 5, 16_000, T)) {
            for (int i = 0; i < 2_000; i++) {
                w.event("note", List.of(note + i));
            }
            assertEquals(2_000, w.seq());
        }
        try (var s = Files.list(dir)) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertTrue(names.contains("j.jsonl.1.gz"), names.toString());
            assertFalse(names.stream().anyMatch(n -> n.matches("j\\.jsonl\\.\\d+")), "no plain rotated file stays: " + names);
            assertFalse(names.contains("j.jsonl.6.gz"), "at most keep files: " + names);
            long total = 0;
            for (String n : names) {
                total += Files.size(dir.resolve(n));
            }
            assertTrue(total <= 16_000, "within max_total: " + total + " " + names);
        }
        List<JsonNode> lines = JournalReader.read(j, null, true, Integer.MAX_VALUE);
        List<Long> s = seqs(lines);
        assertEquals(2_000L, s.getLast(), "the newest line is last");
        assertConsecutive(s);
        assertTrue(s.size() > 8_192 / 240, "rotated files were read too: " + s.size());
        assertEquals(note + "1999", lines.getLast().path("notes").get(0).asText());

        // a new journal continues the numbering from the newest rotated file when the current one is empty
        Files.writeString(j, "");
        long lastKept = seqs(JournalReader.read(j, null, true, 1)).getLast();
        assertTrue(lastKept > 1_900, "the newest rotated file ends near the end: " + lastKept);
        try (JsonLinesJournal w = new JsonLinesJournal(j, 8_192, 5, T)) {
            w.event("start", List.of("again"));
            assertEquals(lastKept + 1, w.seq());
        }
    }

    @Test
    void plainRotatedFilesFromOlderRunsAreReadAndCompressedAtTheNextRotation() throws Exception {
        Path j = dir.resolve("j.jsonl");
        Files.writeString(dir.resolve("j.jsonl.2"), "{\"seq\":1,\"event\":\"start\",\"ts\":\"2026-01-01T00:00:00Z\",\"notes\":[]}\n");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(dir.resolve("j.jsonl.1.gz")))) {
            o.write("{\"seq\":2,\"event\":\"a\",\"ts\":\"2026-01-01T00:00:01Z\",\"notes\":[]}\n".getBytes());
        }
        Files.writeString(j, "{\"seq\":3,\"event\":\"b\",\"ts\":\"2026-01-01T00:00:02Z\",\"notes\":[]}\n");
        assertEquals(List.of(1L, 2L, 3L), seqs(JournalReader.read(j, null, true, 100)));
        try (JsonLinesJournal w = new JsonLinesJournal(j, 4_096, 3, T)) {
            for (int i = 0; i < 40; i++) {
                w.event("note", List.of("y".repeat(200)));
            }
        }
        try (var s = Files.list(dir)) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of("j.jsonl", "j.jsonl.1.gz", "j.jsonl.2.gz", "j.jsonl.3.gz"), names);
        }
        List<Long> s = seqs(JournalReader.read(j, null, true, 1000));
        assertEquals(43L, s.getLast());
        assertConsecutive(s);
    }
}
