package dev.cohort.learn.train;

import dev.cohort.harness.beststatic.BestStatic;
import dev.cohort.harness.beststatic.SearchSettings;
import dev.cohort.harness.beststatic.Store;
import dev.cohort.platform.sim.Scenario;
import java.util.Map;
import java.util.function.Function;

/**
 * The rivals training's bar names beside the baselines: best-static, the best fixed levels of each validation
 * scenario under the run's judging reward ({@code evaluation.reward}), kept or searched as {@code cohort best-static} does (the same store, so a search
 * made here serves {@code evaluate} too, and the shipped results serve the built-in scenarios at once).
 */
final class TrainingRivals {
    private TrainingRivals() {
    }

    /** Per scenario, best-static's spec under the run's judging reward; none when {@code evaluation.bestStatic} is off. */
    static Function<Scenario, Map<String, String>> of(TrainConfig cfg, Trainer.Listener listener) {
        if (!cfg.evalBestStatic()) {
            return sc -> Map.of();
        }
        SearchSettings settings = SearchSettings.DEFAULT.withReward(cfg.evalReward());
        Store store = new Store(Store.defaultDir(System.getenv(), System.getProperty("user.home")), true);
        BestStatic bs = new BestStatic(store, settings, Math.max(1, Runtime.getRuntime().availableProcessors()), false);
        BestStatic.Listener l = new BestStatic.Listener() {
            @Override
            public void warn(String line) {
                listener.message("best-static: " + line);
            }

            @Override
            public BestStatic.Progress searching(String scenario, long ticks) {
                listener.message("best-static: searching " + scenario + " under the run's judging reward (" + ticks + " ticks; kept for "
                        + "later runs)");
                return BestStatic.Progress.NONE;
            }
        };
        return sc -> Map.of(Bar.BEST_STATIC, bs.find(sc, l).found().spec());
    }
}
