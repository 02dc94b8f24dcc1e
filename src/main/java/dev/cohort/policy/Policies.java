package dev.cohort.policy;

import dev.cohort.platform.CohortException;
import dev.cohort.platform.Topology;
import dev.cohort.policy.baseline.Baselines;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Creates a policy from its name as users write it:
 * <ul>
 *   <li>a baseline ({@link Baselines#NAMES}, e.g. {@code schedutil}, {@code static:core=0.5});</li>
 *   <li>{@code onnx:DIR}: the learned models in {@code DIR} ({@code core.onnx}, {@code memory.onnx},
 *       {@code quota.onnx}; see {@link OnnxPolicy});</li>
 *   <li>{@code learned}: the models shipped with cohort, in {@code models/default/} under the installation
 *       ({@code cohort.home}): the best of the trained models ({@code docs/results.md}). Where the directory is empty
 *       {@code learned} says so.</li>
 * </ul>
 * A learned policy may name the baseline that decides roles without a model and stands in when a model fails:
 * {@code onnx:DIR,fallback=schedutil} (default {@value #DEFAULT_FALLBACK}).
 */
public final class Policies {
    /** The baseline behind learned policies unless another is named. */
    public static final String DEFAULT_FALLBACK = "slo-guard";
    private static final String FALLBACK_OPTION = ",fallback=";

    private Policies() {
    }

    /**
     * Creates the named policy for a host of the given topology; learned models are checked against this build's
     * observation spec now and against the host's action levels when their first observations arrive.
     *
     * @throws CohortException naming the accepted names when the name is unknown, or what is wrong with a model
     */
    public static Policy create(String spec, Topology topology) {
        return create(spec, topology, Map.of());
    }

    /** The policy only the simulator can run: {@code simulate} and {@code evaluate} resolve it, everything else refuses it. */
    public static final String ORACLE = "oracle";

    /** Why {@value #ORACLE} is refused outside the simulator, one line. */
    public static final String ORACLE_NEEDS_SIMULATOR = "policy 'oracle' needs the simulator: it searches copies of the "
            + "simulated machine's state, so only cohort simulate and cohort evaluate can run it";

    /**
     * Policies that exist only on the simulated machine: {@code simulate} and {@code evaluate} resolve them per scenario
     * before runs start ({@code best-static}: the best fixed levels, searched on the scenario). Anywhere else they are
     * refused with {@link #simulatorOnly}.
     */
    public static final List<String> SIMULATOR_ONLY = List.of("best-static");

    /** Why a simulator-only policy cannot run here, in one line. */
    public static CohortException simulatorOnly(String spec) {
        return new CohortException("policy '" + spec.strip() + "' exists only on the simulated machine (cohort simulate, "
                + "cohort evaluate), where it is searched per scenario; elsewhere name its levels, "
                + "e.g. static:core=0.9,quota=0.1 (cohort best-static prints them)");
    }

    /** Every policy name this build accepts, as one line for messages. */
    public static final String ACCEPTED = "baselines: " + String.join(", ", Baselines.NAMES)
            + "; learned: learned (the shipped models) or onnx:DIR; reference rules: " + String.join(", ", Baselines.REFERENCES);

    /** True when {@code spec} names learned models ({@code learned}, {@code onnx:DIR}, with or without a fallback). */
    public static boolean isLearned(String spec) {
        String s = spec.strip();
        return s.startsWith("onnx:") || s.equals("learned") || s.startsWith("learned,");
    }

    /**
     * Creates the named policy, checking learned models against the host's action spaces now.
     *
     * @param hostActions the host's action space per role (roles left out are checked at their first tick)
     * @throws CohortException naming the accepted names when the name is unknown, or what is wrong with a model
     */
    public static Policy create(String spec, Topology topology, Map<Role, ActionSpace> hostActions) {
        String s = spec.strip();
        if (s.equals(ORACLE)) {
            throw new CohortException(ORACLE_NEEDS_SIMULATOR);
        }
        if (SIMULATOR_ONLY.contains(s)) {
            throw simulatorOnly(s);
        }
        if (!isLearned(s)) {
            String name = s.indexOf(':') >= 0 ? s.substring(0, s.indexOf(':')) : s;
            if (!Baselines.NAMES.contains(name) && !Baselines.REFERENCES.contains(name)) {
                throw new CohortException("unknown policy '" + spec + "' (" + ACCEPTED + ")");
            }
            return Baselines.create(s);
        }
        String fallback = DEFAULT_FALLBACK;
        int opt = s.indexOf(FALLBACK_OPTION);
        if (opt >= 0) {
            fallback = s.substring(opt + FALLBACK_OPTION.length());
            s = s.substring(0, opt);
        }
        if (!Baselines.isBaseline(fallback)) {
            throw new CohortException("fallback '" + fallback + "' of policy '" + spec + "' is not a baseline (baselines: "
                    + String.join(", ", Baselines.NAMES) + ")");
        }
        Path dir = s.equals("learned") ? defaultModelsDir() : Path.of(s.substring("onnx:".length()));
        if (s.equals("onnx:")) {
            throw new CohortException("policy 'onnx:' needs a models directory, e.g. onnx:/var/lib/cohort/models");
        }
        if (s.equals("learned") && java.util.stream.Stream.of(Role.values())
                .noneMatch(r -> java.nio.file.Files.isRegularFile(dir.resolve(OnnxPolicy.fileName(r))))) {
            throw new CohortException("policy 'learned': no shipped models in " + dir
                    + " (the repository ships them there; train your own with cohort train, or name a directory with onnx:DIR)");
        }
        return OnnxPolicy.load(s, dir, Baselines.create(fallback), hostActions);
    }

    /** Where the shipped models live: {@code models/default/} under {@code cohort.home} (the working directory when unset). */
    public static Path defaultModelsDir() {
        return Path.of(System.getProperty("cohort.home", ".")).resolve("models").resolve("default");
    }
}
