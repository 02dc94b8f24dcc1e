package dev.cohort.harness.beststatic;

import dev.cohort.platform.Readable;
import java.util.Locale;
import java.util.stream.Collectors;

/** What {@code cohort best-static} prints for one scenario: the choice, how it was found, and the best finalists. */
public final class FoundText {
    private FoundText() {
    }

    /**
     * The block for one result.
     *
     * @param top how many finalists to list
     */
    public static String of(String scenario, BestStatic.Result r, int top) {
        Found f = r.found();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s: %s (%s), mean reward %s%n", scenario, f.spec(),
                Grid.describe(f.chosen().levels(), f.grid().counts()), num(f.chosen().meanReward())));
        String how = f.screenNanos() > 0
                ? String.format("%s points screened on %s of seed %d, the best %d run in full on seeds %s",
                Readable.count(f.grid().size()), Readable.seconds(f.screenNanos() / 1e9), f.seeds().getFirst(),
                f.finalists().size(), f.seedsText())
                : String.format("all %s points run in full on seeds %s", Readable.count(f.grid().size()), f.seedsText());
        sb.append("  ").append(r.searched() ? "searched now" : "searched " + f.searchedAt().toString().replaceFirst("\\.\\d+Z$", "Z"))
                .append(" in ").append(Readable.seconds(f.wallSeconds())).append(": ").append(how).append('\n');
        sb.append("  ").append(r.where().isEmpty() ? "not kept (see the warning above)"
                : (r.searched() ? "kept in " : "read from ") + r.where()).append('\n');
        if (!f.grid().collapsed().isEmpty()) {
            sb.append("  merged (same plan): ").append(String.join("; ", f.grid().collapsed())).append('\n');
        }
        sb.append(String.format(Locale.ROOT, "  %4s  %-40s %12s  %s%n", "rank", "policy", "mean reward", "per seed"));
        for (int i = 0; i < Math.min(top, f.finalists().size()); i++) {
            Found.Candidate c = f.finalists().get(i);
            sb.append(String.format(Locale.ROOT, "  %4d  %-40s %12s  %s%n", i + 1, c.spec(), num(c.meanReward()),
                    c.seedRewards().stream().map(FoundText::num).collect(Collectors.joining(" "))));
        }
        return sb.toString();
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
