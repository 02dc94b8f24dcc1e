package dev.cohort.policy;

/**
 * A model's input built from this build's observation of its role: the model reads its features by name, so a model
 * trained before this build added a feature is given the columns it knows, in its own order. Not thread-safe: one
 * control loop owns it.
 */
final class FeatureColumns {
    private final int[] columns;
    private final int buildWidth;
    private final boolean identity;
    private float[] scratch = new float[0];

    /**
     * @param contract the model's contract, already accepted by {@link ModelContract#validate}
     * @param spec     this build's observation spec of the role
     */
    FeatureColumns(ModelContract contract, ObservationSpec spec) {
        columns = contract.columns(spec);
        buildWidth = spec.size();
        boolean same = columns.length == buildWidth;
        for (int i = 0; same && i < columns.length; i++) {
            same = columns[i] == i;
        }
        identity = same;
    }

    /**
     * The model's input for {@code agents} rows of the build's observation, row-major: {@code data} itself when the
     * model reads every feature in the build's order, else a buffer reused from tick to tick.
     */
    float[] select(float[] data, int agents) {
        if (identity) {
            return data;
        }
        int width = columns.length;
        if (scratch.length < agents * width) {
            scratch = new float[agents * width];
        }
        for (int a = 0; a < agents; a++) {
            for (int i = 0; i < width; i++) {
                scratch[a * width + i] = data[a * buildWidth + columns[i]];
            }
        }
        return scratch;
    }
}
