package dev.cohort.balance.cost;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.cohort.learn.algo.Engines;
import dev.cohort.learn.nn.Bound;
import dev.cohort.learn.nn.ParamSet;
import dev.cohort.platform.CohortException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.SplittableRandom;

/**
 * Writes a trained cost network to {@code dir/cost.onnx} (or {@code interval.onnx}, as its contract's target says) with
 * its contract, and proves the file before it is put in
 * place: ONNX Runtime, through the loader the runtime uses ({@link CostModel}), must give the training forward pass's
 * outputs (DJL's PyTorch engine on the same weights) within {@link #TOLERANCE} on random rows and on the given real ones.
 * A file that fails is deleted and the export throws.
 */
public final class CostExport {
    /** Largest absolute difference allowed per output value. */
    public static final double TOLERANCE = 1e-4;

    private CostExport() {
    }

    /**
     * @param realRows row-major real rows to check besides random ones (may be empty)
     * @return the largest absolute difference seen
     */
    public static double export(CostNet net, ParamSet params, CostContract contract, Path dir, float[] realRows) {
        String name = contract.target().file();
        Path file = dir.resolve(name);
        Path tmpDir = dir.resolve(".cost-export.tmp");
        try {
            Files.createDirectories(tmpDir);
            Path tmp = tmpDir.resolve(name);
            try (OutputStream out = Files.newOutputStream(tmp)) {
                CostGraph.build(net, params, contract, version()).writeTo(out);
            }
            double diff;
            try (CostModel ort = CostModel.loadFile(tmp, contract.target())) {
                var rng = new SplittableRandom(20_251_205L);
                int n = 37;
                float[] x = new float[n * CostFeatures.WIDTH];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) rng.nextDouble(-0.5, 1.5);
                }
                diff = compare(ort, net, params, x, n);
                int real = realRows.length / CostFeatures.WIDTH;
                if (real > 0) {
                    diff = Math.max(diff, compare(ort, net, params, realRows, real));
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return diff;
        } catch (IOException e) {
            throw new CohortException(file + ": cannot write the cost model: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmpDir.resolve(name));
                Files.deleteIfExists(tmpDir);
            } catch (IOException ignored) {
                // moved, or never written
            }
        }
    }

    /** The training forward pass (DJL PyTorch) on {@code rows} rows. */
    public static float[] forward(CostNet net, ParamSet params, float[] x, int rows) {
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            Bound b = new Bound(m, params, false);
            return net.forward(b, m, m.create(java.util.Arrays.copyOf(x, rows * CostFeatures.WIDTH),
                    new Shape(rows, CostFeatures.WIDTH))).toFloatArray();
        }
    }

    private static double compare(CostModel ort, CostNet net, ParamSet params, float[] x, int rows) {
        float[] a = ort.infer(x, rows);
        float[] b = forward(net, params, x, rows);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs((double) a[i] - b[i]);
            if (!(d <= TOLERANCE)) {
                throw new CohortException(String.format(java.util.Locale.ROOT, "cost export check failed: ONNX Runtime's "
                        + "output %d of row %d is %.7g, the training forward gives %.7g (tolerance %.0e)", i % CostNet.TASKS,
                        i / CostNet.TASKS, a[i], b[i], TOLERANCE));
            }
            max = Math.max(max, d);
        }
        return max;
    }

    static String version() {
        String v = CostExport.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    /** {@code git describe --always --dirty} here, or {@code unknown}. */
    static String commit() {
        try {
            Process p = new ProcessBuilder("git", "describe", "--always", "--dirty").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            return p.waitFor() == 0 && !out.isEmpty() && !out.contains(" ") ? out : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
