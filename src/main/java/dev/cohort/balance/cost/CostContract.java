package dev.cohort.balance.cost;

import dev.cohort.platform.CohortException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an exported cost model promises, kept in its ONNX metadata: its kind ({@value #KIND}), the row features in order,
 * the outputs and their units, the network, and where it came from (configuration, scenarios, seeds, samples, commit).
 * The runtime refuses a file whose kind, features or outputs differ from this build's {@link CostFeatures}.
 *
 * @param features   row feature names in order
 * @param outputs    output names in order (one column each)
 * @param network    the network, one line
 * @param provenance where it came from: config, scenarios, seeds, samples, commit, trained_at, and the evaluation figures
 * @param target     what its power output is the power of (metadata {@code target}; files without it forecast)
 */
public record CostContract(List<String> features, List<String> outputs, String network, Map<String, String> provenance,
                           Target target) {
    /** What a cost model's power output is the power of. */
    public enum Target {
        /** The next tick's, with the agents at a candidate's levels: what a balancer and MaRCA's split price ({@code cost.onnx}). */
        NEXT_TICK("next-tick", "cost.onnx", "over the next tick"),
        /**
         * The tick the observation describes, its counters measured over it, at the levels held in it: what stands in for
         * a power meter (RAPL) where there is none, as Kepler estimates from counters ({@code interval.onnx}).
         */
        INTERVAL("observed-interval", "interval.onnx", "over the interval the observation describes");

        private final String id;
        private final String file;
        private final String over;

        Target(String id, String file, String over) {
            this.id = id;
            this.file = file;
            this.over = over;
        }

        public String id() {
            return id;
        }

        /** The file name of a model of this target in a cost model directory. */
        public String file() {
            return file;
        }

        static Target parse(String id, String file) {
            for (Target t : values()) {
                if (t.id.equals(id)) {
                    return t;
                }
            }
            throw new CohortException(file + ": cost model target '" + id + "' is not one this build reads (next-tick, "
                    + "observed-interval): retrain it with cohort cost train");
        }
    }

    /** The metadata {@code kind} of a cost model. */
    public static final String KIND = "cost-estimator";
    /** The contract format this build writes and reads. */
    public static final int FORMAT = 1;
    /** The input tensor: {@code [rows, features]}. */
    public static final String INPUT = "rows";
    /** The output tensor: {@code [rows, outputs]}. */
    public static final String OUTPUT = "y";
    /** What the outputs of a model of {@code target} mean. */
    static String units(Target target) {
        return "watts_norm: the row's share of package power over (package TDP × the row's share of the package's CPUs), "
                + target.over + "; util_next: the row's busy share over the next tick, 0..1"
                + (target == Target.INTERVAL ? " (not trained: the observation holds the interval's own)" : "");
    }
    private static final String PROV = "provenance.";

    public CostContract {
        features = List.copyOf(features);
        outputs = List.copyOf(outputs);
        provenance = Map.copyOf(provenance);
    }

    /** This build's contract with the given network and provenance, for a next-tick model. */
    public static CostContract of(CostNet net, Map<String, String> provenance) {
        return of(net, provenance, Target.NEXT_TICK);
    }

    /** This build's contract with the given network, provenance and target. */
    public static CostContract of(CostNet net, Map<String, String> provenance, Target target) {
        return new CostContract(CostFeatures.NAMES, CostFeatures.OUTPUTS, net.describe(), provenance, target);
    }

    /** The metadata entries. */
    public Map<String, String> toMetadata() {
        var m = new LinkedHashMap<String, String>();
        m.put("kind", KIND);
        m.put("format_version", Integer.toString(FORMAT));
        m.put("input", INPUT);
        m.put("output", OUTPUT);
        m.put("features", String.join(",", features));
        m.put("outputs", String.join(",", outputs));
        m.put("target", target.id());
        m.put("units", units(target));
        m.put("network", network);
        provenance.forEach((k, v) -> m.put(PROV + k, v));
        return m;
    }

    /** Reads a contract from metadata, naming {@code file} and what is missing or malformed. */
    public static CostContract fromMetadata(Map<String, String> md, String file) {
        String kind = md.get("kind");
        if (!KIND.equals(kind)) {
            throw new CohortException(file + ": not a cost model (metadata kind is " + (kind == null ? "missing" : "'" + kind + "'")
                    + ", want '" + KIND + "'): point at a directory holding a cost.onnx that cohort cost train wrote");
        }
        String fmt = md.getOrDefault("format_version", "");
        if (!Integer.toString(FORMAT).equals(fmt.strip())) {
            throw new CohortException(file + ": cost model format " + fmt + ", this build reads " + FORMAT
                    + ": retrain it with cohort cost train");
        }
        var prov = new LinkedHashMap<String, String>();
        md.forEach((k, v) -> {
            if (k.startsWith(PROV)) {
                prov.put(k.substring(PROV.length()), v);
            }
        });
        String target = md.get("target");
        return new CostContract(list(md.get("features")), list(md.get("outputs")), md.getOrDefault("network", ""), prov,
                target == null ? Target.NEXT_TICK : Target.parse(target.strip(), file));
    }

    /**
     * Checks this contract against the build's features and outputs.
     *
     * @throws CohortException one line naming the file, the first difference and the fix
     */
    public void requireThisBuild(String file) {
        String why = null;
        if (!features.equals(CostFeatures.NAMES)) {
            why = firstDifference("features", features, CostFeatures.NAMES);
        } else if (!outputs.equals(CostFeatures.OUTPUTS)) {
            why = firstDifference("outputs", outputs, CostFeatures.OUTPUTS);
        }
        if (why != null) {
            throw new CohortException(file + ": the cost model does not match this build (" + why + "): retrain it with "
                    + "cohort cost train, or use the model shipped with this build (models/cost)");
        }
    }

    private static String firstDifference(String what, List<String> have, List<String> want) {
        for (int i = 0; i < Math.min(have.size(), want.size()); i++) {
            if (!have.get(i).equals(want.get(i))) {
                return what + " #" + (i + 1) + " is '" + have.get(i) + "', this build's is '" + want.get(i) + "'";
            }
        }
        return what + ": the model has " + have.size() + ", this build " + want.size();
    }

    /** One line: where it came from. */
    public String describeProvenance() {
        return "config " + provenance.getOrDefault("config", "?") + ", scenarios " + provenance.getOrDefault("scenarios", "?")
                + ", seeds " + provenance.getOrDefault("seeds", "?") + ", commit " + provenance.getOrDefault("commit", "?");
    }

    private static List<String> list(String v) {
        return v == null || v.isBlank() ? List.of() : Arrays.stream(v.split(",")).map(String::strip).toList();
    }
}
