package dev.cohort.learn.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The run's {@code train.jsonl}: read back up to a checkpoint on resume, and rewritten to match it. */
final class TrainingLog {
    private TrainingLog() {
    }

    /** The lines of iterations before {@code iterations} (a resume drops what came after its checkpoint). */
    @SuppressWarnings("unchecked")
    static List<IterationLog> read(Path file, long iterations) throws IOException {
        List<IterationLog> out = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            IterationLog l = IterationLog.fromJson(json.readValue(line, Map.class));
            if (l.iteration() < iterations) {
                out.add(l);
            }
        }
        return out;
    }

    static void rewrite(Path file, List<IterationLog> lines) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> text = new ArrayList<>();
        for (IterationLog l : lines) {
            text.add(json.writeValueAsString(l.toJson()));
        }
        Files.write(file, text, StandardCharsets.UTF_8);
    }
}
