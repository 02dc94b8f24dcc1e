package dev.cohort.balance.cost;

import dev.cohort.platform.CohortException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The comparison baseline, after Kepler: package power as a linear function of per-domain counter features (utilisation
 * times frequency, a voltage-squared-times-frequency proxy, the frequency alone for leakage, memory stalls, memory
 * traffic and its limit, best-effort quota), summed over the package's domains with their share of its TDP. Fitted by
 * least squares on the same samples as the network (each equation weighted by 1/truth, so it minimises relative error
 * as the network's loss does), with a small ridge. Kept beside the network as {@code linear.txt}.
 *
 * @param weights one per {@link #TERMS}
 */
public record LinearCostModel(double[] weights) {
    /** The terms, in order. */
    public static final List<String> TERMS = List.of("bias", "util_x_freq", "util_x_ghz3", "ghz", "stall_x_util", "mem_bw",
            "mem_bw_x_mba", "quota_x_be_util");
    /** The file beside {@code cost.onnx}. */
    public static final String FILE = "linear.txt";
    private static final int UTIL_NEXT = CostFeatures.NAMES.indexOf("util_at_next");
    private static final int FREQ_NEXT = CostFeatures.NAMES.indexOf("freq_next");
    private static final int GHZ_NEXT = CostFeatures.NAMES.indexOf("ghz_next");
    private static final int STALL = CostFeatures.NAMES.indexOf("stall");
    private static final int MEM_BW = CostFeatures.NAMES.indexOf("mem_bw");
    private static final int MBA_NEXT = CostFeatures.NAMES.indexOf("mba_next");
    private static final int QUOTA_NEXT = CostFeatures.NAMES.indexOf("quota_next");
    private static final int BE_SHARE = CostFeatures.NAMES.indexOf("be_share");

    /** The terms of one row. */
    static void terms(float[] rows, int off, double[] t) {
        terms(rows, off, t, rows[off + UTIL_NEXT]);
    }

    /** The terms of one row with its next-tick utilisation {@code u}. */
    static void terms(float[] rows, int off, double[] t, double u) {
        double g = rows[off + GHZ_NEXT];
        t[0] = 1;
        t[1] = u * rows[off + FREQ_NEXT];
        t[2] = u * g * g * g;
        t[3] = g;
        t[4] = rows[off + STALL] * u;
        t[5] = rows[off + MEM_BW];
        t[6] = rows[off + MEM_BW] * rows[off + MBA_NEXT];
        t[7] = rows[off + QUOTA_NEXT] * rows[off + BE_SHARE] * u;
    }

    /** Per package of {@code s}, the predicted power, W. */
    public double[] packageWatts(CostSample s) {
        return packageWatts(s, false);
    }

    /**
     * The same with the measured next-tick utilisation in place of the one the features imply ({@code trueUtil}): not an
     * estimator (that utilisation is known only afterwards), a bound on what knowing the coming load would give.
     */
    public double[] packageWatts(CostSample s, boolean trueUtil) {
        double[] out = new double[s.packageWatts().length];
        double[] t = new double[TERMS.size()];
        for (int r = 0; r < s.rowCount(); r++) {
            if (trueUtil) {
                terms(s.rows(), r * CostFeatures.WIDTH, t, s.utilNext()[r]);
            } else {
                terms(s.rows(), r * CostFeatures.WIDTH, t);
            }
            double y = 0;
            for (int i = 0; i < t.length; i++) {
                y += weights[i] * t[i];
            }
            out[s.rowPackage()[r]] += Math.max(0, y) * s.rowScale()[r];
        }
        return out;
    }

    /** Least squares on {@code samples}. */
    public static LinearCostModel fit(List<CostSample> samples) {
        return fit(samples, false);
    }

    /** Least squares on {@code samples}, with the measured next-tick utilisation when {@code trueUtil}. */
    public static LinearCostModel fit(List<CostSample> samples, boolean trueUtil) {
        int k = TERMS.size();
        double[][] ata = new double[k][k];
        double[] atb = new double[k];
        double[] t = new double[k];
        for (CostSample s : samples) {
            double[][] agg = new double[s.packageWatts().length][k];
            for (int r = 0; r < s.rowCount(); r++) {
                if (trueUtil) {
                    terms(s.rows(), r * CostFeatures.WIDTH, t, s.utilNext()[r]);
                } else {
                    terms(s.rows(), r * CostFeatures.WIDTH, t);
                }
                double w = s.rowScale()[r] / s.packageTdp();
                for (int i = 0; i < k; i++) {
                    agg[s.rowPackage()[r]][i] += w * t[i];
                }
            }
            for (int p = 0; p < agg.length; p++) {
                double truth = s.packageWatts()[p] / s.packageTdp();
                if (!(truth > 0)) {
                    continue;
                }
                double wt = 1 / (truth * truth);
                for (int i = 0; i < k; i++) {
                    atb[i] += wt * agg[p][i] * truth;
                    for (int j = 0; j < k; j++) {
                        ata[i][j] += wt * agg[p][i] * agg[p][j];
                    }
                }
            }
        }
        for (int i = 0; i < k; i++) {
            ata[i][i] += 1e-6 * (1 + ata[i][i]);
        }
        return new LinearCostModel(solve(ata, atb));
    }

    /** Gaussian elimination with partial pivoting. */
    private static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) {
                    piv = r;
                }
            }
            double[] tr = a[c];
            a[c] = a[piv];
            a[piv] = tr;
            double tb = b[c];
            b[c] = b[piv];
            b[piv] = tb;
            for (int r = c + 1; r < n; r++) {
                double f = a[r][c] / a[c][c];
                for (int j = c; j < n; j++) {
                    a[r][j] -= f * a[c][j];
                }
                b[r] -= f * b[c];
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = b[r];
            for (int j = r + 1; j < n; j++) {
                s -= a[r][j] * x[j];
            }
            x[r] = s / a[r][r];
        }
        return x;
    }

    /** The file of the linear model fitted on the interval samples (the interval model's baseline). */
    public static final String INTERVAL_FILE = "linear-interval.txt";

    /** Writes {@code term weight} lines to {@link #FILE}. */
    public void write(Path dir) {
        write(dir, FILE);
    }

    /** Writes {@code term weight} lines to {@code dir/name}. */
    public void write(Path dir, String name) {
        var sb = new StringBuilder("# linear counter model (Kepler's approach), the cost estimator's baseline: term weight\n");
        for (int i = 0; i < weights.length; i++) {
            sb.append(TERMS.get(i)).append(' ').append(String.format(Locale.ROOT, "%.9g", weights[i])).append('\n');
        }
        try {
            Files.writeString(dir.resolve(name), sb.toString());
        } catch (IOException e) {
            throw new CohortException(dir.resolve(name) + ": cannot write: " + e.getMessage());
        }
    }

    /** Reads what {@link #write} wrote to {@link #FILE}. */
    public static LinearCostModel read(Path dir) {
        return read(dir, FILE);
    }

    /** Reads {@code dir/name}. */
    public static LinearCostModel read(Path dir, String name) {
        Path f = dir.resolve(name);
        double[] w = new double[TERMS.size()];
        try {
            for (String line : Files.readAllLines(f)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] p = line.strip().split("\\s+");
                int i = TERMS.indexOf(p[0]);
                if (i < 0 || p.length != 2) {
                    throw new CohortException(f + ": unknown line '" + line + "' (terms: " + TERMS + "): retrain with cohort cost train");
                }
                w[i] = Double.parseDouble(p[1]);
            }
        } catch (IOException | NumberFormatException e) {
            throw new CohortException(f + ": cannot read the linear model: " + e.getMessage() + ": retrain with cohort cost train");
        }
        return new LinearCostModel(w);
    }
}
