package dev.cohort.control;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.platform.sim.Scenarios;
import dev.cohort.platform.sim.SimMachine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTimestampTest {
    @Test
    void entriesAreStampedToTheMillisecondNotTheNanosecond(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("journal.jsonl");
        try (JsonLinesJournal j = new JsonLinesJournal(file, 1 << 20, 1, new SimMachine(Scenarios.resolve("steady"), 1).topology())) {
            j.event("start", List.of("test"));
        }
        String ts = new ObjectMapper().readTree(Files.readAllLines(file).getFirst()).path("ts").asText();
        assertTrue(ts.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{3})?Z"), ts);
    }
}
