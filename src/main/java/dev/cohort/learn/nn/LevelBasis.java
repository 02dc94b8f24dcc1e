package dev.cohort.learn.nn;

/**
 * Values that are a polynomial of the action level: the projection of a head's rows onto the polynomials of degree
 * ≤ d over the levels {@code 0 .. L − 1}. A role's levels are ordered (frequencies, bandwidth shares, quotas) and what
 * they cost and buy moves smoothly with them, so a value of degree d in the level, with state-dependent coefficients,
 * loses little; what it removes is a separate value per level, each fitted from only the few samples that took that
 * level, which is where the learned agents' per-level constants come from ({@code docs/results.md}, "The agents'
 * values do not answer the state"). A sample of any level now moves the coefficients every level shares.
 *
 * <p>Applied as a projection of the head's weights and biases after every optimiser step (and at initialisation), so
 * the network, the acting pass, checkpoints and the exported file keep their shapes: the head stays one
 * {@code Linear(hidden, levels)} whose columns happen to be polynomials in the level. The basis is orthonormal (Gram–
 * Schmidt on {@code 1, x, x², …} with {@code x} the level centred and scaled to [−1, 1]), so the projection is
 * {@code P = B·Bᵀ}.
 */
public final class LevelBasis {
    private final int levels;
    private final int degree;
    /** {@code P[a][b]}: level a's projected value from level b's. */
    private final double[][] projection;

    /**
     * @param levels the role's action levels (at least 1)
     * @param degree the polynomial degree, at least 0; at {@code levels − 1} or above the projection is the identity
     */
    public LevelBasis(int levels, int degree) {
        if (levels < 1 || degree < 0) {
            throw new IllegalArgumentException("a level basis needs levels ≥ 1 and degree ≥ 0, got " + levels + ", " + degree);
        }
        this.levels = levels;
        this.degree = Math.min(degree, levels - 1);
        double[][] basis = orthonormal(levels, this.degree);
        projection = new double[levels][levels];
        for (double[] v : basis) {
            for (int a = 0; a < levels; a++) {
                for (int b = 0; b < levels; b++) {
                    projection[a][b] += v[a] * v[b];
                }
            }
        }
    }

    /** The degree in use (at most {@code levels − 1}). */
    public int degree() {
        return degree;
    }

    /** True when the projection changes something (the degree is below {@code levels − 1}). */
    public boolean restricts() {
        return degree < levels - 1;
    }

    /** Gram–Schmidt in double on the monomials of the centred, scaled level: {@code degree + 1} orthonormal vectors. */
    private static double[][] orthonormal(int levels, int degree) {
        double[][] out = new double[degree + 1][levels];
        for (int k = 0; k <= degree; k++) {
            double[] v = out[k];
            for (int a = 0; a < levels; a++) {
                double x = levels == 1 ? 0 : 2.0 * a / (levels - 1) - 1;
                v[a] = Math.pow(x, k);
            }
            for (int pass = 0; pass < 2; pass++) { // twice: classical Gram–Schmidt loses orthogonality on monomials
                for (int j = 0; j < k; j++) {
                    double dot = 0;
                    for (int a = 0; a < levels; a++) {
                        dot += v[a] * out[j][a];
                    }
                    for (int a = 0; a < levels; a++) {
                        v[a] -= dot * out[j][a];
                    }
                }
            }
            double norm = 0;
            for (double x : v) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            for (int a = 0; a < levels; a++) {
                v[a] /= norm;
            }
        }
        return out;
    }

    /**
     * Projects, in place, a head's rows: {@code data} is {@code [blocks·levels, cols]} row-major (a weight, or a bias
     * with {@code cols} 1), each block of {@code levels} rows one head's values of every level.
     */
    public void project(float[] data, int cols) {
        if (data.length % (levels * cols) != 0) {
            throw new IllegalArgumentException(data.length + " values are not blocks of " + levels + " levels × " + cols);
        }
        if (!restricts()) {
            return;
        }
        double[] column = new double[levels];
        for (int block = 0; block < data.length / (levels * cols); block++) {
            int base = block * levels * cols;
            for (int c = 0; c < cols; c++) {
                for (int a = 0; a < levels; a++) {
                    column[a] = data[base + a * cols + c];
                }
                for (int a = 0; a < levels; a++) {
                    double s = 0;
                    for (int b = 0; b < levels; b++) {
                        s += projection[a][b] * column[b];
                    }
                    data[base + a * cols + c] = (float) s;
                }
            }
        }
    }

    /** Projects the head {@code prefix.head} (weight {@code [blocks·levels, hidden]} and bias) of {@code ps} in place. */
    public void projectHead(ParamSet ps, String prefix) {
        String w = prefix + ".head.weight";
        project(ps.get(w), ps.shape(w)[1]);
        project(ps.get(prefix + ".head.bias"), 1);
    }
}
