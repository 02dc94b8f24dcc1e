package dev.cohort.cli;

import dev.cohort.harness.beststatic.BestStatic;
import dev.cohort.harness.beststatic.FoundText;
import dev.cohort.harness.beststatic.SearchSettings;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.Scenarios;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cohort best-static}: finds (or shows) the best fixed levels of scenarios, the rival of every learned policy. */
@Command(name = "best-static", mixinStandardHelpOptions = true,
        description = {"Finds the best static levels for scenarios: best-static, the rival a learned policy must beat.",
                "Every level of each role the scenario has (core frequency, memory bandwidth, best-effort CPU quota) is tried, "
                        + "crossed, on training seeds 1000-1004 under the reward, and the highest mean reward wins. A large grid is "
                        + "screened first: every point runs 20 s of seed 1000, and the best 10 run the whole scenario on every seed.",
                "A result is kept by the scenario's content and the search settings, and used by simulate and evaluate "
                        + "--policy best-static; this command prints the kept result, or searches where there is none (--refresh: "
                        + "search again). It prints the chosen levels and the best finalists' mean rewards."})
public final class BestStaticCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--scenarios", required = true, split = ",", paramLabel = "A,B,...", description = "Built-in scenario names or YAML files.")
    List<String> scenarios;

    @Option(names = "--refresh", description = "Search again even where a result is kept, and keep the new one.")
    boolean refresh;

    @Option(names = "--top", defaultValue = "5", paramLabel = "N", description = "Finalists to list (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--threads", paramLabel = "N", description = "Runs in parallel (default: the number of CPUs).")
    Integer threads;

    @Option(names = "--slo-override", description = "Search with the governor's SLO override on (for evaluate --slo-override).")
    boolean sloOverride;

    @Option(names = "--no-progress", description = "Do not draw a progress bar.")
    boolean noProgress;

    @Mixin
    BestStaticOptions options;

    @Override
    public Integer call() {
        List<Scenario> scs = scenarios.stream().map(Scenarios::resolve).toList();
        SearchSettings s = SearchSettings.DEFAULT.withGovernor(SearchSettings.DEFAULT.governor().withSloOverride(sloOverride));
        BestStatic b = options.bestStatic(s, threads == null ? Runtime.getRuntime().availableProcessors() : threads, refresh);
        var out = spec.commandLine().getOut();
        BestStatic.Listener l = BestStaticOptions.listener(spec.commandLine().getErr(), !noProgress);
        for (Scenario sc : scs) {
            out.print(FoundText.of(sc.name(), b.find(sc, l), Math.max(1, top)));
            out.flush();
        }
        return 0;
    }
}
