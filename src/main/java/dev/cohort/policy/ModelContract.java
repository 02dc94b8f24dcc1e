package dev.cohort.policy;

import static dev.cohort.policy.ModelMetadata.*;

import dev.cohort.platform.CohortException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What an exported policy promises, read from and written to its ONNX metadata ({@link ModelMetadata}): the
 * role, the observation features in input order, the action levels and how outputs decode to them, the
 * recurrent state, the tensor names, the algorithm and the training provenance. The agent runs a model only
 * when {@link #validate} finds every feature it names in this build's spec and its action levels in the host's.
 *
 * @param formatVersion contract format ({@link #FORMAT_VERSION} when written by this build)
 * @param role          the role the network acts for
 * @param features      observation feature names in input column order
 * @param actionLevels  number of action levels
 * @param actionMeaning what the levels mean (informative)
 * @param decoding      how outputs become levels
 * @param recurrent     true when the hidden state is an explicit input and output
 * @param hiddenSize    hidden-state width per agent (0 when not recurrent)
 * @param inputName     observation input tensor, {@code [agents, features]}
 * @param outputName    action output tensor, {@code [agents, levels]} or {@code [agents, 1]}
 * @param stateInName   hidden-state input tensor ({@code ""} when not recurrent)
 * @param stateOutName  hidden-state output tensor ({@code ""} when not recurrent)
 * @param algorithm     training algorithm, e.g. {@code qmix}
 * @param provenance    where the model came from
 * @param tickMillis    the control tick period the model was trained at, ms (0 when not recorded): its observations
 *                      are rates over one tick and its recurrent state and step limits count ticks, so it acts as
 *                      trained only at that period
 * @param lambdaLow     the lowest energy weight λ its training episodes drew (NaN when not recorded)
 * @param lambdaHigh    the highest (NaN when not recorded): the network has seen λ only within this range
 */
public record ModelContract(int formatVersion, Role role, List<String> features, int actionLevels, String actionMeaning,
                            Decoding decoding, boolean recurrent, int hiddenSize, String inputName, String outputName,
                            String stateInName, String stateOutName, String algorithm, ModelProvenance provenance,
                            long tickMillis, double lambdaLow, double lambdaHigh) {
    /** The contract format this build writes and the newest it reads. */
    public static final int FORMAT_VERSION = 1;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.]+");

    /** How a network's outputs become levels. */
    public enum Decoding {
        /** One value per level (Q-values or logits); the agent takes the highest (the lowest level on ties). */
        ARGMAX,
        /** One value per agent, a fraction of the range in [0, 1] (clipped); the agent takes the nearest level. */
        FRACTION;

        /** Lower-case name as written in metadata. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Output values per agent for a role with {@code levels} levels. */
        public int width(int levels) {
            return this == ARGMAX ? levels : 1;
        }
    }

    public ModelContract {
        features = List.copyOf(features);
        for (String f : features) {
            if (!NAME.matcher(f).matches()) {
                throw new IllegalArgumentException("feature name '" + f + "' must be letters, digits, '_' or '.'");
            }
        }
        if (actionLevels < 2) {
            throw new IllegalArgumentException("a model needs at least 2 action levels, got " + actionLevels);
        }
        if (recurrent && (hiddenSize < 1 || stateInName.isEmpty() || stateOutName.isEmpty())) {
            throw new IllegalArgumentException("a recurrent model needs a hidden size and state input and output names");
        }
        if (!recurrent && (hiddenSize != 0 || !stateInName.isEmpty() || !stateOutName.isEmpty())) {
            throw new IllegalArgumentException("a feed-forward model has no hidden state");
        }
        if (tickMillis < 0) {
            throw new IllegalArgumentException("tick period must be ≥ 0 ms (0: not recorded), got " + tickMillis);
        }
        if (Double.isNaN(lambdaLow) != Double.isNaN(lambdaHigh) || lambdaLow < 0 || lambdaHigh < lambdaLow
                || Double.isInfinite(lambdaHigh)) {
            throw new IllegalArgumentException("λ range must be two numbers 0 ≤ low ≤ high (or not recorded), got "
                    + lambdaLow + ", " + lambdaHigh);
        }
    }

    /** A contract without a recorded λ range. */
    public ModelContract(int formatVersion, Role role, List<String> features, int actionLevels, String actionMeaning,
                         Decoding decoding, boolean recurrent, int hiddenSize, String inputName, String outputName,
                         String stateInName, String stateOutName, String algorithm, ModelProvenance provenance,
                         long tickMillis) {
        this(formatVersion, role, features, actionLevels, actionMeaning, decoding, recurrent, hiddenSize, inputName, outputName,
                stateInName, stateOutName, algorithm, provenance, tickMillis, Double.NaN, Double.NaN);
    }

    /** True when the model records the λ range it was trained over. */
    public boolean hasLambdaRange() {
        return !Double.isNaN(lambdaHigh);
    }

    /** The same contract, trained over λ in [{@code low}, {@code high}]. */
    public ModelContract withLambdaRange(double low, double high) {
        return new ModelContract(formatVersion, role, features, actionLevels, actionMeaning, decoding, recurrent, hiddenSize,
                inputName, outputName, stateInName, stateOutName, algorithm, provenance, tickMillis, low, high);
    }

    /** A contract without a recorded tick period (models exported before it was recorded). */
    public ModelContract(int formatVersion, Role role, List<String> features, int actionLevels, String actionMeaning,
                         Decoding decoding, boolean recurrent, int hiddenSize, String inputName, String outputName,
                         String stateInName, String stateOutName, String algorithm, ModelProvenance provenance) {
        this(formatVersion, role, features, actionLevels, actionMeaning, decoding, recurrent, hiddenSize, inputName, outputName,
                stateInName, stateOutName, algorithm, provenance, 0);
    }

    /**
     * The contract of a network trained here for this build's spec of {@code space.role()}.
     *
     * @param space      the action space it was trained on
     * @param decoding   how its outputs become levels
     * @param hiddenSize hidden-state width, 0 for a feed-forward network
     * @param algorithm  training algorithm
     * @param provenance where it came from
     */
    public static ModelContract forSpec(ActionSpace space, Decoding decoding, int hiddenSize, String algorithm,
                                        ModelProvenance provenance) {
        return forSpec(space, decoding, hiddenSize, algorithm, provenance, 0);
    }

    /** The same, trained at a tick of {@code tickMillis} ms. */
    public static ModelContract forSpec(ActionSpace space, Decoding decoding, int hiddenSize, String algorithm,
                                        ModelProvenance provenance, long tickMillis) {
        boolean rec = hiddenSize > 0;
        return new ModelContract(FORMAT_VERSION, space.role(), ObservationSpec.of(space.role()).features(), space.levels(),
                space.meaning(), decoding, rec, hiddenSize, "obs", decoding == Decoding.ARGMAX ? "q" : "action",
                rec ? "h_in" : "", rec ? "h_out" : "", algorithm, provenance, tickMillis);
    }

    /**
     * Why this model should not run at a tick of {@code hostTickMillis} ms, as one line naming the fix; empty when
     * the periods agree or the model did not record its own.
     */
    public Optional<String> tickDifference(long hostTickMillis) {
        if (tickMillis == 0 || tickMillis == hostTickMillis) {
            return Optional.empty();
        }
        return Optional.of("the " + role.id() + " model was trained at a " + tickMillis + " ms tick, not " + hostTickMillis
                + " ms (its observations are per-tick rates and its memory counts ticks): set the tick to " + tickMillis
                + " ms or train a model at " + hostTickMillis + " ms");
    }

    /** Output values per agent. */
    public int outputWidth() {
        return decoding.width(actionLevels);
    }

    /**
     * What differs between this contract and this build's observation spec and the host's action space,
     * as one line (e.g. {@code feature 3 'busy' of the model is not in this build ...}); empty when the model runs here.
     *
     * @param spec  this build's observation spec of the role
     * @param space the host's action space of the role ({@code null} to check the features only)
     */
    public Optional<String> validate(ObservationSpec spec, ActionSpace space) {
        if (formatVersion > FORMAT_VERSION) {
            return Optional.of("contract format " + formatVersion + " is newer than this build reads (" + FORMAT_VERSION + ")");
        }
        if (role != spec.role()) {
            return Optional.of("the model is for role " + role.id() + ", not " + spec.role().id());
        }
        Optional<String> f = featureDifference(features, spec.features());
        if (f.isPresent()) {
            return f;
        }
        if (space != null && space.levels() != actionLevels) {
            return Optional.of("the model has " + actionLevels + " " + role.id() + " action levels, this host "
                    + space.levels());
        }
        return Optional.empty();
    }

    /**
     * Why the model's features cannot be read from this build's observation, as one line; empty when every feature the
     * model names is in this build, once. A model reads its features by name ({@link #columns}), so a model trained
     * before the build added a feature still runs: it is not given the new one.
     */
    static Optional<String> featureDifference(List<String> model, List<String> build) {
        for (int i = 0; i < model.size(); i++) {
            String f = model.get(i);
            if (!build.contains(f)) {
                return Optional.of("feature " + i + " '" + f + "' of the model is not in this build (its features: "
                        + String.join(", ", build) + ")");
            }
            if (model.indexOf(f) != i) {
                return Optional.of("feature " + i + " '" + f + "' of the model is listed twice (also feature "
                        + model.indexOf(f) + ")");
            }
        }
        return Optional.empty();
    }

    /**
     * Where each of the model's input columns is in this build's observation of the role: column {@code i} of the
     * model's input is feature {@code columns(spec)[i]} of the build's. Only for a contract {@link #validate} accepts.
     */
    public int[] columns(ObservationSpec spec) {
        return features.stream().mapToInt(spec::index).toArray();
    }

    /** This build's features of the role that the model was not trained on and so is not given. */
    public List<String> featuresNotRead(ObservationSpec spec) {
        return spec.features().stream().filter(f -> !features.contains(f)).toList();
    }

    /** The contract as ONNX metadata ({@link ModelMetadata} keys), in a stable order. */
    public Map<String, String> toMetadata() {
        var m = new LinkedHashMap<String, String>();
        m.put(FORMAT, Integer.toString(formatVersion));
        m.put(ROLE, role.id());
        m.put(FEATURES, String.join(",", features));
        m.put(ACTION_LEVELS, Integer.toString(actionLevels));
        m.put(ACTION_MEANING, actionMeaning);
        m.put(ACTION_DECODING, decoding.id());
        m.put(RECURRENT, Boolean.toString(recurrent));
        if (recurrent) {
            m.put(HIDDEN_SIZE, Integer.toString(hiddenSize));
            m.put(STATE_IN, stateInName);
            m.put(STATE_OUT, stateOutName);
        }
        m.put(INPUT, inputName);
        m.put(OUTPUT, outputName);
        m.put(ALGORITHM, algorithm);
        if (tickMillis > 0) {
            m.put(TICK_MS, Long.toString(tickMillis));
        }
        if (hasLambdaRange()) {
            m.put(LAMBDA_RANGE, number(lambdaLow) + "," + number(lambdaHigh));
        }
        m.put(SCENARIOS, String.join(",", provenance.scenarios()));
        m.put(SEED, provenance.seed());
        m.put(COMMIT, provenance.commit());
        m.put(TRAINED_AT, provenance.trainedAt());
        m.put(PRODUCER, provenance.producer());
        m.put(JAVA, provenance.java());
        m.put(OS, provenance.os());
        m.put(ARCH, provenance.arch());
        if (!ModelProvenance.UNKNOWN.equals(provenance.reward())) {
            m.put(REWARD, provenance.reward());
        }
        if (!ModelProvenance.UNKNOWN.equals(provenance.training())) {
            m.put(TRAINING, provenance.training());
        }
        return m;
    }

    /**
     * Reads a contract from ONNX metadata.
     *
     * @param md     the file's metadata
     * @param source the file, for messages
     * @throws CohortException naming the file and the key that is missing or malformed
     */
    public static ModelContract fromMetadata(Map<String, String> md, String source) {
        var r = new MetadataReader(md, source);
        if (!md.containsKey(FORMAT) && !md.containsKey(ROLE)) {
            throw new CohortException(source + ": no cohort model contract in the ONNX metadata (key " + ROLE
                    + " missing); export it with the contract (see ModelMetadata)");
        }
        int format = r.integer(FORMAT);
        Role role = r.parse(ROLE, Role::parse);
        List<String> features = Arrays.asList(r.required(FEATURES).split(",", -1));
        int levels = r.integer(ACTION_LEVELS);
        Decoding decoding = r.parse(ACTION_DECODING, "argmax", s -> Decoding.valueOf(s.strip().toUpperCase(Locale.ROOT)));
        boolean rec = r.parse(RECURRENT, MetadataReader::bool);
        int hidden = rec ? r.integer(HIDDEN_SIZE) : 0;
        var prov = new ModelProvenance(r.list(SCENARIOS), r.optional(SEED), r.optional(COMMIT), r.optional(TRAINED_AT),
                r.optional(PRODUCER), r.optional(JAVA), r.optional(OS), r.optional(ARCH), r.optional(REWARD), r.optional(TRAINING));
        try {
            double[] lambda = md.containsKey(LAMBDA_RANGE) ? lambdaRange(md.get(LAMBDA_RANGE)) : new double[]{Double.NaN, Double.NaN};
            return new ModelContract(format, role, features, levels, md.getOrDefault(ACTION_MEANING, ""), decoding, rec,
                    hidden, r.required(INPUT), r.required(OUTPUT), rec ? r.required(STATE_IN) : "",
                    rec ? r.required(STATE_OUT) : "", r.required(ALGORITHM), prov,
                    md.containsKey(TICK_MS) ? r.integer(TICK_MS) : 0, lambda[0], lambda[1]);
        } catch (IllegalArgumentException e) {
            throw new CohortException(source + ": malformed model contract: " + e.getMessage());
        }
    }

    private static double[] lambdaRange(String text) {
        String[] p = text.split(",", -1);
        if (p.length != 2) {
            throw new IllegalArgumentException(LAMBDA_RANGE + " must be 'low,high', got '" + text + "'");
        }
        try {
            return new double[]{Double.parseDouble(p[0].strip()), Double.parseDouble(p[1].strip())};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(LAMBDA_RANGE + " must be 'low,high', got '" + text + "'");
        }
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
