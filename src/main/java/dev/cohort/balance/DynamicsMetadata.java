package dev.cohort.balance;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The dynamics model's contract and provenance as ONNX metadata keys. */
final class DynamicsMetadata {
    static final String KIND = "cohort.kind";
    static final String FORMAT = "cohort.format";
    static final String INPUTS = "cohort.inputs";
    static final String OUTPUTS = "cohort.outputs";
    static final String WINDOW_MS = "cohort.window_ms";
    static final String LAMBDA_MAX = "cohort.lambda_max";
    /** The price scale κ the policy was priced at in the rollouts (absent in models from before it was recorded). */
    static final String PRICE_SCALE = "cohort.price_scale";
    static final String SCENARIOS = "cohort.scenarios";
    static final String SEEDS = "cohort.seeds";
    static final String COMMIT = "cohort.commit";
    static final String TRAINED_AT = "cohort.trained_at";
    static final String POLICY = "cohort.policy";
    static final String FORECAST = "cohort.forecast";

    private DynamicsMetadata() {
    }

    /** {@link #of(long, double, double, Map)} at the default price scale. */
    static Map<String, String> of(long windowMillis, double lambdaMax, Map<String, String> provenance) {
        return of(windowMillis, lambdaMax, PricedPolicy.DEFAULT_PRICE_SCALE, provenance);
    }

    /**
     * The contract's keys for a model trained at {@code windowMillis} over λ in [0, lambdaMax] from a policy priced at
     * {@code priceScale}, then provenance.
     */
    static Map<String, String> of(long windowMillis, double lambdaMax, double priceScale, Map<String, String> provenance) {
        var m = new LinkedHashMap<String, String>();
        m.put(KIND, DynamicsModel.KIND);
        m.put(FORMAT, Long.toString(DynamicsModel.FORMAT));
        m.put(INPUTS, String.join(",", DynamicsFeatures.INPUTS));
        m.put(OUTPUTS, String.join(",", DynamicsFeatures.OUTPUTS));
        m.put(WINDOW_MS, Long.toString(windowMillis));
        m.put(LAMBDA_MAX, Double.toString(lambdaMax));
        m.put(PRICE_SCALE, Double.toString(priceScale));
        m.putAll(provenance);
        return m;
    }

    /** What is wrong with {@code md} as this build's dynamics contract, or null. */
    static String problem(Map<String, String> md) {
        if (!DynamicsModel.KIND.equals(md.get(KIND))) {
            return "its kind is " + md.getOrDefault(KIND, "missing") + ", not " + DynamicsModel.KIND;
        }
        if (!Long.toString(DynamicsModel.FORMAT).equals(md.get(FORMAT))) {
            return "format " + md.get(FORMAT) + ", this build reads " + DynamicsModel.FORMAT;
        }
        if (!String.join(",", DynamicsFeatures.INPUTS).equals(md.get(INPUTS))) {
            return "inputs " + md.get(INPUTS) + ", this build gives " + String.join(",", DynamicsFeatures.INPUTS);
        }
        if (!String.join(",", DynamicsFeatures.OUTPUTS).equals(md.get(OUTPUTS))) {
            return "outputs " + md.get(OUTPUTS) + ", this build reads " + String.join(",", DynamicsFeatures.OUTPUTS);
        }
        for (String k : List.of(WINDOW_MS, LAMBDA_MAX)) {
            try {
                Double.parseDouble(md.getOrDefault(k, ""));
            } catch (NumberFormatException e) {
                return k + " is " + md.get(k);
            }
        }
        return null;
    }
}
