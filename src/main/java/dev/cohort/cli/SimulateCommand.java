package dev.cohort.cli;

import dev.cohort.control.Journal;
import dev.cohort.control.JsonLinesJournal;
import dev.cohort.eval.RunReport;
import dev.cohort.eval.RunResult;
import dev.cohort.eval.SimPolicies;
import dev.cohort.eval.SimRunner;
import dev.cohort.harness.beststatic.SearchSettings;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.Scenarios;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cohort simulate}: one scenario, one policy, on the simulated machine. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Runs one scenario on the simulated machine under one policy and prints its results.",
                "The run takes the same control tick as the daemon; it prints energy, power, latency against the SLO, "
                        + "best-effort throughput and fairness, utilisation, energy-delay product and mean reward."})
public final class SimulateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--scenario", required = true, paramLabel = "NAME|FILE",
            description = "A built-in scenario (steady, colocation, membw, diurnal, trace, large) or a scenario YAML file.")
    String scenario;

    @Option(names = "--policy", required = true, paramLabel = "NAME",
            description = "performance, powersave, ondemand, schedutil, static[:core=F,memory=F,quota=F], slo-guard, learned or onnx:DIR; "
                    + "best-static: the best static levels for the scenario (searched on training seeds when not kept; see cohort best-static); "
                    + "headroom: a reference rule fitted to the simulator (see docs/results/frontier); oracle: the hindsight "
                    + "oracle, which tries candidate actions on copies of the simulator's state each tick (see --oracle-*).")
    String policy;

    @Mixin
    OracleMixin oracle;

    @Mixin
    BestStaticOptions bestStatic;

    @Option(names = "--duration", paramLabel = "TIME", converter = DurationConverter.class,
            description = "Simulated time to run, e.g. 10m (default: the scenario's).")
    Long durationNanos;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "Simulator seed, a whole number (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--timeline", paramLabel = "FILE", description = "Write per-tick power, latency and reward as CSV.")
    Path timeline;

    @Option(names = "--journal", paramLabel = "FILE", description = "Write every tick's decisions as JSON Lines.")
    Path journal;

    @Option(names = "--slo-override", description = "Let the safety governor override the policy when a service breaches its SLO (the daemon's default; off when comparing policies).")
    boolean sloOverride;

    @Option(names = "--json", description = "Print the metrics as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (timeline != null) {
            OutputPaths.file("--timeline", timeline);
        }
        if (journal != null) {
            OutputPaths.file("--journal", journal);
        }
        Scenario sc = Scenarios.resolve(scenario);
        var topo = new dev.cohort.platform.sim.SimMachine(sc, seed).topology();
        SimRunner.Options o = SimRunner.Options.defaults().withGovernor(SimRunner.EVALUATION_GOVERNOR.withSloOverride(sloOverride))
                .withOracle(oracle.options());
        if (durationNanos != null) {
            o = o.withDuration(durationNanos);
        }
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        SimPolicies resolved = SimPolicies.resolve(List.of(sc), List.of(policy), bestStatic.finder(
                SearchSettings.DEFAULT.withGovernor(o.governor()), Runtime.getRuntime().availableProcessors(), err, true));
        try (Journal j = journal == null ? Journal.NONE : new JsonLinesJournal(journal, Long.MAX_VALUE, 0, topo)) {
            RunResult r = SimRunner.run(sc, resolved.spec(sc, policy), seed, o.withOracle(resolved.oracleOn(sc, o.oracle()))
                    .withJournal(j)).withPolicy(policy);
            if (timeline != null) {
                r.timeline().writeCsv(timeline);
            }
            if (json) {
                out.println(RunReport.json(r));
            } else {
                out.print(RunReport.text(r, topo));
            }
            // with --json, stdout stays one JSON document
            resolved.notes().forEach(json ? err::println : out::println);
        }
        return 0;
    }
}
