package dev.cohort.balance.cost;

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
import dev.cohort.control.AgentLayout;
import dev.cohort.control.PowerEstimator;
import dev.cohort.platform.CohortException;
import dev.cohort.policy.Decision;
import dev.cohort.policy.DjlRuntime;
import dev.cohort.policy.Observations;
import dev.cohort.policy.Role;
import dev.cohort.policy.RoleObservations;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The cost (power) estimator at run time: the exported MMoE-DCN ({@link CostNet}) in ONNX Runtime through DJL, one
 * thread, as the policies run. It predicts each package's power over the next tick from one tick's observations and a
 * candidate joint action: one row per frequency domain ({@link CostFeatures}), each row's normalised power scaled by its
 * share of the package's TDP ({@link HostFacts}) and summed per package. It needs the host's facts once
 * ({@link #bind}); after that each call needs only the tick's {@link Observations}. Not thread-safe.
 */
public final class CostModel implements AutoCloseable, PowerEstimator, dev.cohort.balance.LevelCost {
    /** The model file in a cost model directory. */
    public static final String FILE = "cost.onnx";
    private static final Map<String, String> SESSION_OPTIONS = Map.of("intraOpNumThreads", "1", "interOpNumThreads", "1");
    private final Path file;
    private final CostContract contract;
    private final Model model;
    private final Predictor<NDList, NDList> predictor;
    private HostFacts facts;
    private CostModel interval; // the observed-interval model beside this one, or null

    private CostModel(Path file, CostContract contract, Model model) {
        this.file = file;
        this.contract = contract;
        this.model = model;
        this.predictor = model.newPredictor(new NoopTranslator());
    }

    /** Where the shipped cost model lives: {@code models/cost/} under {@code cohort.home} (the working directory when unset). */
    public static Path defaultDir() {
        return Path.of(System.getProperty("cohort.home", ".")).resolve("models").resolve("cost");
    }

    /**
     * Loads {@code dir/cost.onnx} and checks its contract against this build; with it {@code dir/interval.onnx} where
     * {@code cost train} wrote one (directories from before it have none: the controller then stands in for RAPL with the
     * next-tick model, as before).
     *
     * @throws CohortException one line naming the file and the fix when it is missing, unreadable or of another contract
     */
    public static CostModel load(Path dir) {
        Path f = dir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            throw new CohortException(f + ": no cost model there: train one with cohort cost train --out " + dir
                    + ", or name the shipped one (models/cost)");
        }
        CostModel cm = loadFile(f, CostContract.Target.NEXT_TICK);
        Path i = dir.resolve(CostContract.Target.INTERVAL.file());
        if (Files.isRegularFile(i)) {
            try {
                cm.interval = loadFile(i, CostContract.Target.INTERVAL);
            } catch (RuntimeException e) {
                cm.close();
                throw e;
            }
        }
        return cm;
    }

    /** Loads one model file, which must be of {@code target}. */
    static CostModel loadFile(Path f, CostContract.Target target) {
        DjlRuntime.onnxRuntime();
        Model m = Model.newInstance(f.getFileName().toString(), Device.cpu(), DjlRuntime.ONNX_RUNTIME);
        CostModel cm = null;
        try {
            m.load(f, null, SESSION_OPTIONS);
            CostContract c = CostContract.fromMetadata(m.getBlock().getCustomMetadata(), f.toString());
            c.requireThisBuild(f.toString());
            if (c.target() != target) {
                throw new CohortException(f + ": holds a " + c.target().id() + " cost model, where the " + target.id()
                        + " model belongs: retrain the directory with cohort cost train");
            }
            cm = new CostModel(f, c, m);
            cm.infer(new float[CostFeatures.WIDTH * 3], 3); // probe: runs, dynamic rows, the contract's widths
            return cm;
        } catch (IOException | MalformedModelException e) {
            m.close();
            throw new CohortException(f + ": ONNX Runtime cannot load it: " + e.getMessage() + ": retrain it with cohort cost train", e);
        } catch (RuntimeException e) {
            if (cm != null) {
                cm.close();
            } else {
                m.close();
            }
            throw e;
        }
    }

    /** Loads and binds in one call. */
    public static CostModel load(Path dir, HostFacts facts) {
        return load(dir).bind(facts);
    }

    /** Binds the host's facts (once per layout); returns this. */
    public CostModel bind(HostFacts facts) {
        this.facts = facts;
        if (interval != null) {
            interval.bind(facts);
        }
        return this;
    }

    /** The interval model loaded beside this one, or null. */
    CostModel intervalModel() {
        return interval;
    }

    /** Whether the directory held an interval model ({@link #observedWatts} then estimates; else it returns null). */
    public boolean hasIntervalModel() {
        return interval != null;
    }

    /**
     * Per package, W, over the interval {@code obs} describes, from its own counters at the levels held in it (the interval
     * model); null without one.
     */
    @Override
    public double[] observedWatts(Observations obs) {
        return interval == null ? null : interval.packageWatts(obs, null);
    }

    /** Binds the facts of the host {@code layout} describes, with the controller's TDP. */
    public CostModel bind(AgentLayout layout, double tdpWatts) {
        return bind(HostFacts.of(layout, tdpWatts));
    }

    /** The facts bound, or null. */
    public HostFacts facts() {
        return facts;
    }

    public CostContract contract() {
        return contract;
    }

    public Path file() {
        return file;
    }

    /** Per package, W, over the next tick with the agents at {@code candidate}'s levels (NO_CHANGE or null: where they are). */
    @Override
    public double[] packageWatts(Observations obs, Decision candidate) {
        HostFacts f = requireFacts(obs);
        float[] y = infer(CostFeatures.rows(obs, f, CostFeatures.held(obs, candidate)), f.rows());
        double[] w = new double[f.packages()];
        for (int r = 0; r < f.rows(); r++) {
            w[f.rowPackage()[r]] += rowWatts(f, r, y[r * CostNet.TASKS]);
        }
        for (int p : f.packagesWithoutRows()) {
            w[p] = Double.NaN;
        }
        return w;
    }

    /** Total package power, W (the sum of {@link #packageWatts}). */
    public double totalWatts(Observations obs, Decision candidate) {
        double s = 0;
        for (double w : packageWatts(obs, candidate)) {
            s += w;
        }
        return s;
    }

    /**
     * For MaRCA's split: the predicted total package power, W, if agent {@code a} of {@code role} alone moved to each
     * level while every other agent holds {@code base} (NO_CHANGE: its current level); {@code [agent][level]}. One batched
     * ONNX call: rows are independent, so each move changes only the rows of the domains that agent acts on.
     */
    public double[][] levelWatts(Observations obs, Role role, Decision base) {
        HostFacts f = requireFacts(obs);
        int[][] held = CostFeatures.held(obs, base);
        RoleObservations ro = obs.role(role);
        int agents = ro.agents();
        int levels = ro.actions().levels();
        int[][] affected = new int[agents][];
        int extra = 0;
        for (int a = 0; a < agents; a++) {
            affected[a] = affectedRows(f, role, a);
            extra += affected[a].length * levels;
        }
        int n = f.rows() + extra;
        float[] x = new float[n * CostFeatures.WIDTH];
        for (int r = 0; r < f.rows(); r++) {
            CostFeatures.row(x, r * CostFeatures.WIDTH, obs, f, r, held);
        }
        int at = f.rows();
        int[] mine = held[role.ordinal()];
        for (int a = 0; a < agents; a++) {
            int keep = mine[a];
            for (int l = 0; l < levels; l++) {
                mine[a] = l;
                for (int r : affected[a]) {
                    CostFeatures.row(x, at++ * CostFeatures.WIDTH, obs, f, r, held);
                }
            }
            mine[a] = keep;
        }
        float[] y = infer(x, n);
        double total = 0;
        double[] baseRow = new double[f.rows()];
        for (int r = 0; r < f.rows(); r++) {
            baseRow[r] = rowWatts(f, r, y[r * CostNet.TASKS]);
            total += baseRow[r];
        }
        double[][] out = new double[agents][levels];
        at = f.rows();
        for (int a = 0; a < agents; a++) {
            for (int l = 0; l < levels; l++) {
                double t = total;
                for (int r : affected[a]) {
                    t += rowWatts(f, r, y[at++ * CostNet.TASKS]) - baseRow[r];
                }
                out[a][l] = t;
            }
        }
        return out;
    }

    private static int[] affectedRows(HostFacts f, Role role, int a) {
        return switch (role) {
            case CORE -> a < f.rows() ? new int[]{a} : new int[0];
            case QUOTA -> java.util.stream.IntStream.range(0, f.rows()).filter(r -> contains(f.rowQuota()[r], a)).toArray();
            case MEMORY -> java.util.stream.IntStream.range(0, f.rows()).filter(r -> contains(f.rowMemory()[r], a)).toArray();
        };
    }

    private static boolean contains(int[] xs, int v) {
        for (int x : xs) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    private static double rowWatts(HostFacts f, int r, float norm) {
        return Math.max(0, norm) * f.rowScaleWatts(r);
    }

    @Override
    public String source() {
        return "estimated (cost model " + contract.provenance().getOrDefault("commit", "?") + ", "
                + contract.provenance().getOrDefault("config", "?") + (interval == null ? ", next-tick model" : ", interval model")
                + ")";
    }

    /**
     * Runs {@code rows} rows through the network in one call.
     *
     * @return row-major {@code rows × TASKS}
     * @throws CohortException when inference fails or gives a value that is not finite
     */
    public float[] infer(float[] x, int rows) {
        try (NDManager tick = model.getNDManager().newSubManager()) {
            NDArray in = tick.create(FloatBuffer.wrap(x, 0, rows * CostFeatures.WIDTH), new Shape(rows, CostFeatures.WIDTH));
            in.setName(CostContract.INPUT);
            NDList out = predictor.predict(new NDList(in));
            NDArray y = out.get(CostContract.OUTPUT);
            if (y == null) {
                y = out.singletonOrThrow();
            }
            float[] v = y.toFloatArray();
            out.close();
            if (v.length != rows * CostNet.TASKS) {
                throw new CohortException(file + ": output '" + CostContract.OUTPUT + "' has " + v.length + " values for " + rows
                        + " rows, the contract needs " + rows * CostNet.TASKS + ": retrain it with cohort cost train");
            }
            for (float a : v) {
                if (!Float.isFinite(a)) {
                    throw new CohortException(file.getFileName() + ": the cost model gave " + a);
                }
            }
            return v;
        } catch (TranslateException | ai.djl.engine.EngineException e) {
            throw new CohortException(file.getFileName() + ": cost model inference failed: " + e.getMessage(), e);
        }
    }

    private HostFacts requireFacts(Observations obs) {
        if (facts == null) {
            throw new IllegalStateException("cost model: bind the host's facts before asking for power (CostModel.bind)");
        }
        if (obs.role(Role.CORE).agents() != facts.rows()) {
            throw new IllegalArgumentException("cost model bound to " + facts.rows() + " frequency domains, the observations have "
                    + obs.role(Role.CORE).agents() + " core agents");
        }
        return facts;
    }

    @Override
    public void close() {
        if (interval != null) {
            interval.close();
        }
        predictor.close();
        model.close();
    }

    @Override
    public String toString() {
        return "CostModel{" + file + ", " + Arrays.toString(new int[]{facts == null ? -1 : facts.rows()}) + " rows}";
    }
}
