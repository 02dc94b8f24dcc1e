package dev.cohort.cli;

import dev.cohort.harness.beststatic.BestStatic;
import dev.cohort.harness.beststatic.Found;
import dev.cohort.harness.beststatic.SearchSettings;
import dev.cohort.harness.beststatic.Store;
import dev.cohort.platform.sim.Scenario;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.Function;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Option;

/** Where best-static results are kept, and its searches drawn on stderr: shared by simulate, evaluate and best-static. */
final class BestStaticOptions {
    @Option(names = "--best-static-cache", paramLabel = "DIR",
            description = "Where best-static results are kept (default: $" + Store.ENV + ", else $XDG_CACHE_HOME/cohort/best-static "
                    + "or ~/.cache/cohort/best-static); the results shipped for the built-in scenarios are read after it.")
    Path cacheDir;

    /** The store: the named directory or the default one, then the shipped results. */
    Store store() {
        return new Store(cacheDir != null ? cacheDir : Store.defaultDir(System.getenv(), System.getProperty("user.home")), true);
    }

    /** Finds best-static in the store with {@code settings}; {@code refresh} searches even where a result is kept. */
    BestStatic bestStatic(SearchSettings settings, int threads, boolean refresh) {
        return new BestStatic(store(), settings, threads, refresh);
    }

    /** Warnings and search progress on {@code err} and stderr. */
    static BestStatic.Listener listener(PrintWriter err, boolean progress) {
        return new BestStatic.Listener() {
            @Override
            public void warn(String line) {
                err.println("best-static: " + line);
                err.flush();
            }

            @Override
            public BestStatic.Progress searching(String scenario, long ticks) {
                err.println("best-static: searching " + scenario + " (no kept result for its content and settings)");
                err.flush();
                if (!progress) {
                    return BestStatic.Progress.NONE;
                }
                ProgressBar bar = ProgressBars.ticks("best-static " + scenario, ticks);
                return new BestStatic.Progress() {
                    @Override
                    public void accept(long done) {
                        bar.stepTo(done);
                    }

                    @Override
                    public void close() {
                        bar.close();
                    }
                };
            }
        };
    }

    /** For {@code SimPolicies.resolve}: the found levels of each scenario, kept or searched. */
    Function<Scenario, Found> finder(SearchSettings settings, int threads, PrintWriter err, boolean progress) {
        BestStatic b = bestStatic(settings, threads, false);
        BestStatic.Listener l = listener(err, progress);
        return sc -> b.find(sc, l).found();
    }
}
