package dev.cohort.policy;

/**
 * The keys of the model contract in an ONNX file's {@code metadata_props} (string to string). Any exporter
 * that writes these keys produces a model the agent runs: see {@code src/test/resources/interop/export_torch_agent.py}
 * for one written with PyTorch's {@code torch.onnx.export}. Lists are comma-separated, with no spaces.
 */
public final class ModelMetadata {
    /** Contract format version, an integer; this build reads {@link ModelContract#FORMAT_VERSION} and older. */
    public static final String FORMAT = "cohort.format";
    /** The role: {@code core}, {@code memory} or {@code quota}. */
    public static final String ROLE = "cohort.role";
    /** Observation feature names in input column order, comma-separated (see {@link ObservationSpec}). */
    public static final String FEATURES = "cohort.features";
    /** Number of action levels, an integer of at least 2 (see {@link ActionSpace}). */
    public static final String ACTION_LEVELS = "cohort.action.levels";
    /** What the levels mean, free text (informative; not checked). Optional. */
    public static final String ACTION_MEANING = "cohort.action.meaning";
    /** How outputs become levels: {@code argmax} (one value per level) or {@code fraction}. Optional, default argmax. */
    public static final String ACTION_DECODING = "cohort.action.decoding";
    /** {@code true} when the network carries a hidden state between ticks, else {@code false}. */
    public static final String RECURRENT = "cohort.recurrent";
    /** Width of the hidden state per agent; required when recurrent. */
    public static final String HIDDEN_SIZE = "cohort.hidden_size";
    /** Name of the observation input, shape {@code [agents, features]}, float32. */
    public static final String INPUT = "cohort.input";
    /** Name of the action output, shape {@code [agents, levels]} (argmax) or {@code [agents, 1]} (fraction). */
    public static final String OUTPUT = "cohort.output";
    /** Name of the hidden-state input, shape {@code [agents, hidden_size]}; required when recurrent. */
    public static final String STATE_IN = "cohort.state_in";
    /** Name of the hidden-state output, shape {@code [agents, hidden_size]}; required when recurrent. */
    public static final String STATE_OUT = "cohort.state_out";
    /** The training algorithm, e.g. {@code qmix}. */
    public static final String ALGORITHM = "cohort.algorithm";
    /** The control tick period the model was trained at, ms. Optional (absent in models from before it was recorded). */
    public static final String TICK_MS = "cohort.tick_ms";
    /**
     * The energy weights λ its training episodes were drawn from, {@code low,high} ({@code 1,1}: trained at λ = 1).
     * Optional (absent in models from before it was recorded).
     */
    public static final String LAMBDA_RANGE = "cohort.lambda_range";
    /** Provenance: scenario names trained on, comma-separated. Optional. */
    public static final String SCENARIOS = "cohort.provenance.scenarios";
    /** Provenance: training seed. Optional. */
    public static final String SEED = "cohort.provenance.seed";
    /** Provenance: code commit of the trainer. Optional. */
    public static final String COMMIT = "cohort.provenance.commit";
    /** Provenance: export time, ISO-8601 UTC. Optional. */
    public static final String TRAINED_AT = "cohort.provenance.trained_at";
    /** Provenance: the exporting program and its version. Optional. */
    public static final String PRODUCER = "cohort.provenance.producer";
    /** Provenance: the trainer's Java version. Optional. */
    public static final String JAVA = "cohort.provenance.java";
    /** Provenance: the trainer's operating system. Optional. */
    public static final String OS = "cohort.provenance.os";
    /** Provenance: the trainer's CPU architecture. Optional. */
    public static final String ARCH = "cohort.provenance.arch";
    /** Provenance: the reward weights trained with, e.g. {@code alpha=30,beta=1,gamma=0.1,delta=2}. Optional. */
    public static final String REWARD = "cohort.provenance.reward";
    /** Provenance: how the training ran (simulator seeds, variation, budget), free text. Optional. */
    public static final String TRAINING = "cohort.provenance.training";

    private ModelMetadata() {
    }
}
