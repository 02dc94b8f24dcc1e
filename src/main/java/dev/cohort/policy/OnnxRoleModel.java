package dev.cohort.policy;

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
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One role's network, loaded into ONNX Runtime through DJL (one intra-op and one inter-op thread), with its
 * contract read from the file's metadata and checked against the file's tensors at load: the named inputs
 * must be exactly the model's inputs, and a probe run on batches of 1 and 3 agents must give the named
 * outputs with the contract's widths (which also catches a batch dimension fixed at export). It carries the
 * hidden state of its agents between {@link #step} calls when the network is recurrent. Not thread-safe.
 */
public final class OnnxRoleModel implements AutoCloseable {
    private static final Map<String, String> SESSION_OPTIONS = Map.of("intraOpNumThreads", "1", "interOpNumThreads", "1");
    private final Path file;
    private final ModelContract contract;
    private final Model model;
    private final Predictor<NDList, NDList> predictor;
    private float[] hidden = new float[0];

    /**
     * What one batched call returned.
     *
     * @param values   row-major {@code agents × outputWidth}
     * @param stateOut row-major {@code agents × hiddenSize}, null when feed-forward
     */
    public record Outputs(float[] values, float[] stateOut) {
    }

    private OnnxRoleModel(Path file, ModelContract contract, Model model) {
        this.file = file;
        this.contract = contract;
        this.model = model;
        this.predictor = model.newPredictor(new NoopTranslator());
    }

    /**
     * Loads a model file and checks its contract against its own tensors (not against this build's spec:
     * that is {@link ModelContract#validate}).
     *
     * @throws CohortException naming the file and what is wrong
     */
    public static OnnxRoleModel open(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CohortException(file + ": no such model file");
        }
        DjlRuntime.onnxRuntime();
        Model model = Model.newInstance(file.getFileName().toString(), Device.cpu(), DjlRuntime.ONNX_RUNTIME);
        OnnxRoleModel m = null;
        try {
            model.load(file, null, SESSION_OPTIONS);
            var contract = ModelContract.fromMetadata(model.getBlock().getCustomMetadata(), file.toString());
            m = new OnnxRoleModel(file, contract, model);
            m.checkTensors(model.getBlock().describeInput().keys());
            return m;
        } catch (IOException | MalformedModelException e) {
            model.close();
            throw new CohortException(file + ": ONNX Runtime cannot load it: " + rootMessage(e), e);
        } catch (RuntimeException e) {
            if (m != null) {
                m.close();
            } else {
                model.close();
            }
            throw e;
        }
    }

    /** The contract from the file's metadata. */
    public ModelContract contract() {
        return contract;
    }

    /** The file this model came from. */
    public Path file() {
        return file;
    }

    /**
     * Runs the agents' observations through the network in one call, carrying the hidden state: the state
     * advances only when every output is finite.
     *
     * @param obs    row-major {@code agents × features}
     * @param agents number of agents (a change of count starts their hidden state from zero)
     * @return row-major {@code agents × outputWidth} values
     * @throws CohortException when inference fails or an output is NaN or infinite
     */
    public float[] step(float[] obs, int agents) {
        if (contract.recurrent() && hidden.length != agents * contract.hiddenSize()) {
            hidden = new float[agents * contract.hiddenSize()];
        }
        Outputs out = infer(obs, agents, hidden);
        checkFinite(out.values(), contract.outputName(), contract.outputWidth());
        if (contract.recurrent()) {
            checkFinite(out.stateOut(), contract.stateOutName(), contract.hiddenSize());
            hidden = out.stateOut();
        }
        return out.values();
    }

    /** A copy of the hidden state carried to the next step (empty before the first or for a feed-forward network). */
    public float[] hiddenState() {
        return hidden.clone();
    }

    /** Carries {@code state}, a copy of what {@link #hiddenState} returned, to the next step. */
    public void setHiddenState(float[] state) {
        hidden = state.clone();
    }

    /** Forgets the hidden state: the next step starts from zeros. */
    public void reset() {
        hidden = new float[0];
    }

    /**
     * One batched call with an explicit hidden state, leaving the carried state alone (exporters verify with it).
     *
     * @param obs     row-major {@code agents × features}
     * @param agents  number of agents
     * @param stateIn row-major {@code agents × hiddenSize} (ignored when feed-forward)
     * @throws CohortException when inference fails or an output is missing or of the wrong size
     */
    public Outputs infer(float[] obs, int agents, float[] stateIn) {
        int features = contract.features().size();
        if (obs.length < agents * features) {
            throw new IllegalArgumentException("observation has " + obs.length + " values, need " + agents * features);
        }
        try (NDManager tick = model.getNDManager().newSubManager()) {
            NDList in = new NDList();
            in.add(named(tick.create(FloatBuffer.wrap(obs, 0, agents * features), new Shape(agents, features)),
                    contract.inputName()));
            if (contract.recurrent()) {
                in.add(named(tick.create(FloatBuffer.wrap(stateIn), new Shape(agents, contract.hiddenSize())),
                        contract.stateInName()));
            }
            NDList out = predictor.predict(in);
            float[] values = output(out, contract.outputName(), agents * contract.outputWidth());
            float[] state = contract.recurrent() ? output(out, contract.stateOutName(), agents * contract.hiddenSize()) : null;
            out.close();
            return new Outputs(values, state);
        } catch (TranslateException | ai.djl.engine.EngineException e) {
            throw new CohortException(file.getFileName() + ": inference failed: " + rootMessage(e), e);
        }
    }

    private float[] output(NDList out, String name, int expected) {
        NDArray a = out.get(name);
        if (a == null) {
            var names = new TreeSet<String>();
            out.forEach(x -> names.add(x.getName()));
            throw new CohortException(file + ": the model has no output '" + name + "' (its outputs: " + names + ")");
        }
        float[] v;
        try {
            v = a.toFloatArray();
        } catch (IllegalStateException e) {
            throw new CohortException(file + ": output '" + name + "' is " + a.getDataType() + ", not float32");
        }
        if (v.length != expected) {
            throw new CohortException(file + ": output '" + name + "' has shape " + a.getShape() + ", the contract needs "
                    + expected + " values for this batch");
        }
        return v;
    }

    private void checkTensors(List<String> inputs) {
        Set<String> want = new TreeSet<>(List.of(contract.inputName()));
        if (contract.recurrent()) {
            want.add(contract.stateInName());
        }
        if (!new TreeSet<>(inputs).equals(want)) {
            throw new CohortException(file + ": the model's inputs are " + new TreeSet<>(inputs) + ", its contract names " + want);
        }
        int features = contract.features().size();
        for (int agents : new int[]{1, 3}) {
            try {
                infer(new float[agents * features], agents, new float[agents * contract.hiddenSize()]);
            } catch (CohortException e) {
                if (e.getMessage().startsWith(file.toString())) {
                    throw e;
                }
                String ort = rootMessage(e);
                String hint = ort.contains("index: 0") ? " (its batch dimension is fixed: export it with a dynamic first axis)"
                        : ort.contains("index: 1") ? " (the network does not take the contract's " + features + " features)" : "";
                throw new CohortException(file + ": does not run on " + agents + " agents × " + features + " features"
                        + hint + ": " + ort, e);
            }
        }
    }

    private void checkFinite(float[] v, String name, int width) {
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new CohortException(file.getFileName() + ": output '" + name + "' of agent " + i / width + " is " + v[i]);
            }
        }
    }

    private static NDArray named(NDArray a, String name) {
        a.setName(name);
        return a;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.toString() : t.getMessage();
        return String.join(" ", m.lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }
}
