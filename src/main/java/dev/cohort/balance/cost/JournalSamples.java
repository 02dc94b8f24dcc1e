package dev.cohort.balance.cost;

import dev.cohort.platform.CohortException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads estimator samples from a host's journal (see {@code read}). */
public final class JournalSamples {
    private JournalSamples() {
    }

    /** The samples in {@code files}. */
    public static List<CostSample> read(List<Path> files) {
        List<CostSample> out = new ArrayList<>();
        if (out.isEmpty()) {
            throw new CohortException("journal training is not built yet");
        }
        return out;
    }
}
