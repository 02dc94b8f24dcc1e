package dev.cohort.policy;

import dev.cohort.platform.CohortException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Learned policies exported to ONNX, one file per role in a directory ({@code core.onnx}, {@code memory.onnx},
 * {@code quota.onnx}), run by ONNX Runtime through DJL: one batched call per role per tick over the role's
 * observation matrix, the recurrent state of every agent carried from tick to tick. Each contract is checked at
 * load against this build's {@link ObservationSpec} and, where given, the host's {@link ActionSpace}s; a
 * model that does not match is refused with the difference. A model reads its features by name, so one trained
 * before this build added a feature runs on the features it was trained on ({@link FeatureColumns}).
 *
 * <p>A role without a model file is decided by the baseline. A role whose model fails in a tick (an inference
 * error, a NaN or infinite output, or action levels that differ from the host's) is decided by the baseline
 * for that tick; each such fallback is counted and its reason kept ({@link #lastFallback},
 * {@link #lastTickFallbacks}) for the controller and the journal. Not thread-safe: one control loop owns it.
 */
public final class OnnxPolicy implements Policy {
    private final String name;
    private final EnumMap<Role, OnnxRoleModel> models;
    private final EnumMap<Role, FeatureColumns> columns = new EnumMap<>(Role.class);
    private final Policy baseline;
    private final List<ModelFallback> lastTick = new ArrayList<>();
    private final EnumMap<Role, float[]> lastOutputs = new EnumMap<>(Role.class);
    private long fallbackCount;
    private ModelFallback last;

    /**
     * One role's fallback to the baseline in one tick.
     *
     * @param role   the role whose model did not decide
     * @param tick   the tick ({@link Observations#tick})
     * @param reason one line: what failed
     */

    private OnnxPolicy(String name, EnumMap<Role, OnnxRoleModel> models, Policy baseline) {
        this.name = name;
        this.models = models;
        this.baseline = baseline;
        models.forEach((r, m) -> columns.put(r, new FeatureColumns(m.contract(), ObservationSpec.of(r))));
    }

    /** The file a role's model has in a models directory, e.g. {@code core.onnx}. */
    public static String fileName(Role r) {
        return r.id() + ".onnx";
    }

    /**
     * Loads the models of a directory.
     *
     * @param name        the policy's name in reports and the journal
     * @param dir         directory holding {@code <role>.onnx} files (at least one)
     * @param baseline    decides roles without a model, and roles whose model fails in a tick
     * @param hostActions the host's action space per role, checked against each model's levels now (a role
     *                    left out is checked when its first observations arrive)
     * @throws CohortException naming the file and what differs, when a model cannot be used
     */
    public static OnnxPolicy load(String name, Path dir, Policy baseline, Map<Role, ActionSpace> hostActions) {
        if (!Files.isDirectory(dir)) {
            throw new CohortException(dir + ": no such models directory");
        }
        rejectStrayModels(dir);
        var models = new EnumMap<Role, OnnxRoleModel>(Role.class);
        try {
            for (Role r : Role.values()) {
                Path f = dir.resolve(fileName(r));
                if (Files.isRegularFile(f)) {
                    OnnxRoleModel m = OnnxRoleModel.open(f);
                    models.put(r, m);
                    Optional<String> diff = m.contract().validate(ObservationSpec.of(r), hostActions.get(r));
                    if (diff.isPresent()) {
                        throw new CohortException(f + ": refused: " + diff.get());
                    }
                }
            }
        } catch (RuntimeException e) {
            models.values().forEach(OnnxRoleModel::close);
            throw e;
        }
        if (models.isEmpty()) {
            throw new CohortException(dir + ": no models in it (expected core.onnx, memory.onnx and/or quota.onnx)");
        }
        return new OnnxPolicy(name, models, baseline);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Decision decide(Observations obs) {
        lastTick.clear();
        Decision d = Decision.noChange(obs);
        Decision base = null;
        for (Role r : Role.values()) {
            RoleObservations ro = obs.role(r);
            OnnxRoleModel m = models.get(r);
            if (ro.agents() == 0) {
                continue;
            }
            lastOutputs.remove(r);
            if (m != null) {
                String reason = tryModel(m, columns.get(r), ro, d.levels(r), lastOutputs);
                if (reason == null) {
                    continue;
                }
                fallback(new ModelFallback(r, obs.tick(), baseline.name(), reason));
            }
            if (base == null) {
                base = baseline.decide(obs);
            }
            d.copyRole(r, base);
        }
        return d;
    }

    /** Runs a role's model into {@code out}; returns null on success, else why it could not decide. */
    private static String tryModel(OnnxRoleModel m, FeatureColumns in, RoleObservations ro, int[] out,
                                   EnumMap<Role, float[]> outputs) {
        ModelContract c = m.contract();
        if (c.actionLevels() != ro.actions().levels()) {
            return m.file().getFileName() + " refused: the model has " + c.actionLevels() + " " + c.role().id()
                    + " action levels, this host " + ro.actions().levels();
        }
        float[] v;
        try {
            v = m.step(in.select(ro.data(), ro.agents()), ro.agents());
        } catch (RuntimeException e) {
            return e.getMessage() == null ? m.file().getFileName() + ": " + e : e.getMessage();
        }
        decode(c, ro.actions(), v, ro.agents(), out);
        outputs.put(c.role(), v);
        return null;
    }

    /** Turns outputs into levels: the best level per agent, or the level nearest to a fraction. */
    static void decode(ModelContract c, ActionSpace space, float[] v, int agents, int[] out) {
        int w = c.outputWidth();
        for (int a = 0; a < agents; a++) {
            if (c.decoding() == ModelContract.Decoding.FRACTION) {
                out[a] = space.nearestLevel(v[a]);
                continue;
            }
            int best = 0;
            for (int l = 1; l < w; l++) {
                if (v[a * w + l] > v[a * w + best]) {
                    best = l;
                }
            }
            out[a] = best;
        }
    }

    private void fallback(ModelFallback f) {
        fallbackCount++;
        last = f;
        lastTick.add(f);
    }

    /** The roles decided by a model (the others always by the baseline). */
    public Set<Role> modelRoles() {
        return Collections.unmodifiableSet(models.keySet());
    }

    @Override
    public Optional<String> tickDifference(long tickMillis) {
        return models.values().stream().map(m -> m.contract().tickDifference(tickMillis)).flatMap(Optional::stream)
                .findFirst().map(why -> name() + ": " + why);
    }

    /** The contract of a role's model, if it has one. */
    public Optional<ModelContract> contract(Role r) {
        return Optional.ofNullable(models.get(r)).map(OnnxRoleModel::contract);
    }

    /**
     * The raw outputs a role's model gave in the last tick (Q-values or logits per level, or fractions), row-major
     * {@code agents × outputWidth}; empty when the model did not decide that tick.
     */
    public float[] lastOutputs(Role r) {
        float[] v = lastOutputs.get(r);
        return v == null ? new float[0] : v.clone();
    }

    /** The baseline that stands in for failed or missing models. */
    public Policy baseline() {
        return baseline;
    }

    /** Role-ticks in which a model failed and the baseline decided, since load. */
    public long fallbackCount() {
        return fallbackCount;
    }

    /** The most recent fallback, if any. */
    public Optional<ModelFallback> lastFallback() {
        return Optional.ofNullable(last);
    }

    /** The fallbacks of the last {@link #decide} (empty when every model decided). */
    @Override
    public List<ModelFallback> lastTickFallbacks() {
        return List.copyOf(lastTick);
    }

    /** Every role model's hidden state, the baseline's state and the fallback count. */
    private record State(EnumMap<Role, float[]> hidden, Object baseline, long fallbackCount, ModelFallback last) {
    }

    @Override
    public Object saveState() {
        EnumMap<Role, float[]> hidden = new EnumMap<>(Role.class);
        models.forEach((r, m) -> hidden.put(r, m.hiddenState()));
        return new State(hidden, baseline.saveState(), fallbackCount, last);
    }

    @Override
    public void restoreState(Object state) {
        State s = (State) state;
        s.hidden().forEach((r, h) -> models.get(r).setHiddenState(h));
        baseline.restoreState(s.baseline());
        fallbackCount = s.fallbackCount();
        last = s.last();
    }

    /** Clears every agent's hidden state (and the baseline's state). */
    @Override
    public void reset() {
        models.values().forEach(OnnxRoleModel::reset);
        baseline.reset();
    }

    @Override
    public void close() {
        models.values().forEach(OnnxRoleModel::close);
        baseline.close();
    }

    private static void rejectStrayModels(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            var stray = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".onnx") && Stream.of(Role.values()).noneMatch(r -> fileName(r).equals(n)))
                    .sorted().findFirst();
            if (stray.isPresent()) {
                throw new CohortException(dir.resolve(stray.get()) + ": not a role's model file (expected core.onnx, "
                        + "memory.onnx or quota.onnx)");
            }
        } catch (IOException e) {
            throw new CohortException(dir + ": cannot list models: " + e.getMessage(), e);
        }
    }
}
