package dev.cohort.learn.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link ParamSet} copied into engine arrays for one update, in that update's manager, so that every array
 * the update creates (parameters, activations, gradients) is freed when the manager closes. With gradients on,
 * {@link #gradients} reads them back in the set's order after {@code backward}.
 */
public final class Bound {
    private final ParamSet params;
    private final Map<String, NDArray> arrays = new LinkedHashMap<>();
    private final boolean grad;

    public Bound(NDManager manager, ParamSet params, boolean grad) {
        this.params = params;
        this.grad = grad;
        for (int i = 0; i < params.size(); i++) {
            int[] s = params.shapeOf(i);
            long[] dims = new long[s.length];
            for (int d = 0; d < s.length; d++) {
                dims[d] = s[d];
            }
            NDArray a = manager.create(params.value(i), new Shape(dims));
            if (grad) {
                a.setRequiresGradient(true);
            }
            arrays.put(params.nameOf(i), a);
        }
    }

    /** The array of parameter {@code name}. */
    public NDArray p(String name) {
        NDArray a = arrays.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no parameter '" + name + "' bound (have " + arrays.keySet() + ")");
        }
        return a;
    }

    public ParamSet params() {
        return params;
    }

    /**
     * The gradients after backward, in the set's order; null for the parameters whose name starts with one of
     * {@code unused} (parts of the model the batch did not use, e.g. the network of a role no sampled scenario has).
     */
    public float[][] gradients(java.util.Collection<String> unused) {
        if (!grad) {
            throw new IllegalStateException("bound without gradients");
        }
        float[][] g = new float[params.size()][];
        int i = 0;
        for (var e : arrays.entrySet()) {
            String name = e.getKey();
            if (unused.stream().noneMatch(name::startsWith)) {
                try (NDArray ga = e.getValue().getGradient()) {
                    g[i] = ga.toFloatArray();
                }
            }
            i++;
        }
        return g;
    }
}
