package dev.cohort.learn.train;

import dev.cohort.harness.LevelValues;
import dev.cohort.harness.SimHarness;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.policy.Policies;
import java.util.List;
import java.util.Locale;

/**
 * The training report's check that the exported agents' values answer the state ({@link LevelValues}): on each
 * validation scenario, the share of each role's level differences that is one constant per level, and the level held
 * most. A run whose agents rank their levels alike everywhere plays constants, whatever its reward says.
 */
final class ValueCheck {
    /** Simulated seconds per scenario, at most (the validation's own length when shorter). */
    static final double SECONDS = 30;

    private ValueCheck() {
    }

    /** The report's section for the models in {@code cfg}'s export directory, on {@code scenarios} at {@code seed}. */
    static String markdown(TrainConfig cfg, List<Scenario> scenarios, long seed) {
        StringBuilder b = new StringBuilder("\n## Do the agents' values answer the state?\n\n");
        b.append(String.format(Locale.ROOT, "`cohort model values` on seed %d: per role, the share of its values' differences "
                + "between levels that is one constant per level (near 100%%: the same ranking in every state), and the greedy "
                + "level held most.%n%n| scenario | role | one constant per level | level held most |%n|---|---|---|---|%n", seed));
        double seconds = cfg.evalSeconds() > 0 ? Math.min(SECONDS, cfg.evalSeconds()) : SECONDS;
        for (Scenario sc : scenarios) {
            long ticks = SimHarness.ticks(sc, (long) (seconds * 1e9));
            try (var p = Policies.create("onnx:" + cfg.exportDir(), SimHarness.machine(sc, seed).topology())) {
                for (LevelValues.Figures f : LevelValues.measure(sc, seed, p, ticks)) {
                    b.append(String.format(Locale.ROOT, "| %s | %s | %.1f%% | %d (%.0f%% of agent-ticks) |%n", sc.name(),
                            f.role().id(), 100 * f.constantShare(), f.modeLevel(), 100 * f.modeShare()));
                }
            } catch (RuntimeException e) { // a diagnostic: it must not cost a finished run its report and result.json
                b.append("| ").append(sc.name()).append(" | – | not measured: ").append(e.getMessage()).append(" | |\n");
            }
        }
        return b.toString();
    }
}
