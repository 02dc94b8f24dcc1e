package dev.cohort.learn.train;

import dev.cohort.learn.env.ScenarioSampler;
import dev.cohort.platform.CohortException;
import dev.cohort.platform.ConfigNode;
import dev.cohort.platform.sim.ArrivalSpec;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.Scenarios;
import dev.cohort.platform.sim.ServiceSpec;
import java.nio.file.Path;
import java.util.List;

/**
 * Keeps what is held out of training out of it and of the validation that chooses its weights
 * ({@code docs/training.md}, "Held-out scenarios"): {@code large} (128 CPUs, the test of scale), the files under
 * {@code configs/scenarios/heldout/}, any scenario named {@code heldout-...}, a machine of {@value #HELD_OUT_CPUS} CPUs or
 * of more than {@value #MAX_CPUS}, and the Azure LLM code trace. Names are checked as the configuration is read,
 * the loaded scenarios (a copy of a held-out file elsewhere keeps its name) before the run starts.
 */
final class TrainingScenarios {
    /** The held-out machine size (two sockets of 12). */
    static final int HELD_OUT_CPUS = 24;
    /** The largest machine training runs. */
    static final int MAX_CPUS = 32;
    /** The trace training never replays. */
    static final String HELD_OUT_TRACE = "azure-llm-code-2023.csv";

    private TrainingScenarios() {
    }

    /** Refuses held-out names among {@code names}, the value of {@code key} in {@code n}; {@code use} says what for. */
    static void checkNames(ConfigNode n, String key, List<String> names, Use use) {
        for (String name : names) {
            String why = heldOutName(name);
            if (why != null) {
                throw n.error(key, "'" + name + "' " + why + ": " + use.fix);
            }
        }
    }

    /** Why {@code nameOrPath} is held out by its name, or null. */
    static String heldOutName(String nameOrPath) {
        Path p;
        try {
            p = Path.of(nameOrPath).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
        String file = p.getFileName() == null ? nameOrPath : p.getFileName().toString();
        String stem = file.replaceFirst("\\.ya?ml$", "");
        if (stem.equals("large")) {
            return "is large, 128 CPUs, held out of training as the test of scale";
        }
        for (Path part : p) {
            if (part.toString().equals("heldout")) {
                return "is a held-out scenario (configs/scenarios/heldout/, docs/training.md)";
            }
        }
        if (stem.startsWith("heldout-")) {
            return "is a held-out scenario (its name starts with heldout-)";
        }
        return null;
    }

    /** What a scenario list is for, and the fix its error names. */
    enum Use {
        TRAINING("remove it from the training scenarios"),
        VALIDATION("in-training validation chooses the weights and must not see it: remove it (evaluate it after training "
                + "with cohort evaluate)");

        final String fix;

        Use(String fix) {
            this.fix = fix;
        }
    }

    /** The training scenarios, loaded and checked: nothing held out, one tick period, every one fits a drawn size. */
    static List<Scenario> training(TrainConfig cfg) {
        List<String> names = List.copyOf(cfg.scenarios().keySet());
        List<Scenario> bases = load(cfg, names, "scenarios", Use.TRAINING);
        if (bases.stream().map(Scenario::tickNanos).distinct().count() > 1) {
            throw new CohortException(cfg.source() + ": scenarios: training scenarios must share one tick period (a model "
                    + "acts as trained only at the period it learned); found " + bases.stream()
                    .map(b -> b.name() + " " + b.tickNanos() / 1_000_000 + " ms").toList());
        }
        for (int i = 0; i < bases.size(); i++) {
            if (!cfg.variation().machineSizes().isEmpty() && ScenarioSampler.sizesFor(bases.get(i), cfg.variation()).isEmpty()) {
                Scenario b = bases.get(i);
                throw new CohortException(cfg.source().getFileName() + ": variation.machineSizes: '" + names.get(i) + "' ("
                        + b.machine().sockets() + "x" + b.machine().coresPerSocket() + ") fits none of " + cfg.variation().machineSizes()
                        + " (sockets must be a multiple of the file's, with a core per group of CPUs it uses): add a size it fits");
            }
        }
        return bases;
    }

    /** The in-training validation scenarios, loaded and checked. */
    static List<Scenario> validation(TrainConfig cfg) {
        return load(cfg, cfg.evalScenarios(), "evaluation.scenarios", Use.VALIDATION);
    }

    private static List<Scenario> load(TrainConfig cfg, List<String> names, String key, Use use) {
        return names.stream().map(name -> {
            Scenario s = Scenarios.resolve(name);
            String why = heldOut(s);
            if (why != null) {
                throw new CohortException(cfg.source().getFileName() + ": " + key + ": '" + name + "' " + why + ": " + use.fix);
            }
            return s;
        }).toList();
    }

    /** Why a loaded scenario is held out, or null. */
    static String heldOut(Scenario s) {
        if (s.name().equals("large") || s.name().startsWith("heldout-")) {
            return "is named " + s.name() + ", a held-out scenario";
        }
        int cpus = s.machine().cpuCount();
        if (cpus == HELD_OUT_CPUS || cpus > MAX_CPUS) {
            return "has " + cpus + " CPUs; training and its validation run at most " + MAX_CPUS + " and never " + HELD_OUT_CPUS
                    + " (the held-out size)";
        }
        for (ServiceSpec v : s.services()) {
            if (v.arrivals() instanceof ArrivalSpec.Trace t && t.source().replace('\\', '/').endsWith("/" + HELD_OUT_TRACE)) {
                return "replays the held-out Azure LLM code trace (service " + v.name() + ")";
            }
        }
        return null;
    }
}
