package dev.cohort.balance;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import dev.cohort.platform.CohortException;
import dev.cohort.policy.DjlRuntime;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The balancer's learned dynamics model, run in ONNX Runtime like the policies: from the last window and a sequence of
 * λ, it forecasts the next windows' package power (and latency penalty and best-effort progress), each step feeding the
 * last. Its contract is in the file's metadata: kind, format, input and output names in order, the window (balancer
 * step) it was trained at and the λ range its training covered. Not thread-safe.
 */
public final class DynamicsModel implements AutoCloseable {
    /** The file name in a model directory. */
    public static final String FILE = "dynamics.onnx";
    /** The contract's format version. */
    public static final long FORMAT = 1;
    static final String KIND = "balancer-dynamics";
    private static final Map<String, String> SESSION_OPTIONS = Map.of("intraOpNumThreads", "1", "interOpNumThreads", "1");

    private final Path file;
    private final Model model;
    private final Predictor<NDList, NDList> predictor;
    private final long windowMillis;
    private final double lambdaMax;
    private final Map<String, String> metadata;
    /** κ the policy in its rollouts was priced at (the default for a model from before it was recorded). */
    private final double priceScale;

    private DynamicsModel(Path file, Model model, Map<String, String> metadata) {
        this.file = file;
        this.model = model;
        this.metadata = metadata;
        this.predictor = model.newPredictor(new NoopTranslator());
        this.windowMillis = Long.parseLong(metadata.get(DynamicsMetadata.WINDOW_MS));
        this.lambdaMax = Double.parseDouble(metadata.get(DynamicsMetadata.LAMBDA_MAX));
        String kappa = metadata.get(DynamicsMetadata.PRICE_SCALE);
        this.priceScale = kappa == null ? PricedPolicy.DEFAULT_PRICE_SCALE : Double.parseDouble(kappa);
    }

    /**
     * Loads {@code dir/dynamics.onnx} (or a file) and checks its contract.
     *
     * @throws CohortException naming the file, what is wrong and the fix
     */
    public static DynamicsModel open(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve(FILE) : path;
        if (!Files.isRegularFile(file)) {
            throw new CohortException(file + ": no dynamics model (train one with `cohort dynamics train`, or choose"
                    + " another balancer)");
        }
        DjlRuntime.onnxRuntime();
        Model model = Model.newInstance(file.getFileName().toString(), Device.cpu(), DjlRuntime.ONNX_RUNTIME);
        try {
            model.load(file, null, SESSION_OPTIONS);
            Map<String, String> md = model.getBlock().getCustomMetadata();
            String problem = DynamicsMetadata.problem(md);
            if (problem != null) {
                throw new CohortException(file + ": not a cohort dynamics model of this build: " + problem
                        + " (retrain it with `cohort dynamics train`)");
            }
            var m = new DynamicsModel(file, model, Map.copyOf(md));
            m.forecast(new WindowState(0.5, 0, 0.5, 0, 1), new WindowState(0.5, 0, 0.5, 0, 1), new double[][] {{1, 1}});
            return m;
        } catch (IOException | MalformedModelException e) {
            model.close();
            throw new CohortException(file + ": ONNX Runtime cannot load it: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** The balancer step it was trained at, ms. */
    public long windowMillis() {
        return windowMillis;
    }

    /** The highest λ its training covered. */
    public double lambdaMax() {
        return lambdaMax;
    }

    /**
     * Why this model cannot plan for a policy priced at {@code kappa}, as one line naming the fix, or null when it can.
     *
     * @param option how the user sets κ where the model is used, e.g. {@code --price-scale} (null: κ is fixed there)
     */
    public String priceScaleDifference(double kappa, String option) {
        // Within 0.1% is the same price: the four digits printed below must be accepted when given back.
        if (Math.abs(kappa - priceScale) <= 1e-3 * Math.abs(priceScale)) {
            return null;
        }
        return file + " was trained from a policy priced at κ " + fourDigits(priceScale) + ", not " + fourDigits(kappa)
                + " (" + (option == null ? "" : "use " + option + " " + fourDigits(priceScale) + ", or ")
                + "train one with cohort dynamics train --price-scale " + fourDigits(kappa) + ")";
    }

    /** The file's metadata (its contract and provenance). */
    public Map<String, String> metadata() {
        return metadata;
    }

    public Path file() {
        return file;
    }

    /**
     * Forecasts each λ sequence from the same start, one batched call per step of the horizon.
     *
     * @param before  the window before {@code now}
     * @param now     the window just ended
     * @param lambdas {@code [sequence][step]}: the λ of each next window, all sequences of one length
     * @return the power share (W / TDP) of each forecast window, {@code [sequence][step]}
     * @throws CohortException when inference fails or gives a non-finite value
     */
    public double[][] forecast(WindowState before, WindowState now, double[][] lambdas) {
        int n = lambdas.length;
        int steps = n == 0 ? 0 : lambdas[0].length;
        double[][] power = new double[n][steps];
        WindowState[] prev = new WindowState[n];
        WindowState[] cur = new WindowState[n];
        java.util.Arrays.fill(prev, before);
        java.util.Arrays.fill(cur, now);
        float[] x = new float[n * DynamicsFeatures.IN];
        for (int s = 0; s < steps; s++) {
            for (int i = 0; i < n; i++) {
                DynamicsFeatures.encode(prev[i], cur[i], lambdas[i][s], lambdaMax, x, i * DynamicsFeatures.IN);
            }
            float[] y = run(x, n);
            for (int i = 0; i < n; i++) {
                WindowState next = DynamicsFeatures.next(cur[i], y, i * DynamicsFeatures.OUT, lambdas[i][s]);
                prev[i] = cur[i];
                cur[i] = next;
                power[i][s] = next.powerShare();
            }
        }
        return power;
    }

    /** One batched call: {@code rows} input rows to output rows. */
    float[] run(float[] x, int rows) {
        try (NDManager m = model.getNDManager().newSubManager()) {
            NDArray in = m.create(FloatBuffer.wrap(x, 0, rows * DynamicsFeatures.IN), new Shape(rows, DynamicsFeatures.IN));
            in.setName(DynamicsNet.INPUT);
            NDList out = predictor.predict(new NDList(in));
            float[] y = out.get(0).toFloatArray();
            out.close();
            if (y.length != rows * DynamicsFeatures.OUT) {
                throw new CohortException(file + ": output has " + y.length + " values, need " + rows * DynamicsFeatures.OUT);
            }
            for (float v : y) {
                if (!Float.isFinite(v)) {
                    throw new CohortException(file + ": the forecast is " + v);
                }
            }
            return y;
        } catch (TranslateException | ai.djl.engine.EngineException e) {
            throw new CohortException(file.getFileName() + ": inference failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }

    private static String fourDigits(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }
}
