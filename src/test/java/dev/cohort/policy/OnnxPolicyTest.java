package dev.cohort.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.learn.onnx.AgentNetwork;
import dev.cohort.learn.onnx.DenseLayer;
import dev.cohort.learn.onnx.JavaForward;
import dev.cohort.learn.onnx.OnnxExporter;
import dev.cohort.learn.onnx.TestGraphs;
import dev.cohort.platform.CohortException;
import dev.cohort.policy.baseline.Baselines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxPolicyTest {
    private static final int CORE_WIDTH = ObservationSpec.CORE.size();

    @TempDir
    Path dir;

    /** Observations of a host with the given agents per role (core 11 levels, memory and quota 10), random features. */
    static Observations observations(int core, int memory, int quota, int coreLevels, long seed) {
        var rng = new SplittableRandom(seed);
        var byRole = new EnumMap<Role, RoleObservations>(Role.class);
        int[] agents = {core, memory, quota};
        for (Role r : Role.values()) {
            var ro = new RoleObservations(ObservationSpec.of(r), new ActionSpace(r, r == Role.CORE ? coreLevels : 10),
                    agents[r.ordinal()]);
            for (int i = 0; i < ro.data().length; i++) {
                ro.data()[i] = (float) rng.nextDouble(-1, 1);
            }
            byRole.put(r, ro);
        }
        var obs = new Observations(byRole);
        obs.setTick(1);
        return obs;
    }

    static int[] argmax(float[] v, int agents) {
        int w = v.length / agents;
        int[] best = new int[agents];
        for (int a = 0; a < agents; a++) {
            for (int l = 1; l < w; l++) {
                if (v[a * w + l] > v[a * w + best[a]]) {
                    best[a] = l;
                }
            }
        }
        return best;
    }

    OnnxPolicy load(String baseline) {
        return OnnxPolicy.load("test", dir, Baselines.create(baseline), Map.of());
    }

    @Test
    void everyAgentTakesItsNetworksBestLevel() {
        TestModels.export(dir, Role.CORE, 11, true, 1);
        TestModels.export(dir, Role.MEMORY, 10, false, 2);
        TestModels.export(dir, Role.QUOTA, 10, true, 3);
        Observations obs = observations(12, 2, 3, 11, 9);
        try (OnnxPolicy p = load("performance")) {
            Decision d = p.decide(obs);
            long[] seeds = {1, 2, 3};
            for (Role r : Role.values()) {
                RoleObservations ro = obs.role(r);
                AgentNetwork net = TestModels.network(r, ro.actions().levels(), r != Role.MEMORY, seeds[r.ordinal()]);
                float[] expected = new JavaForward(net).forward(ro.data(), ro.agents(), new float[ro.agents() * net.hiddenSize()]).values();
                assertArrayEquals(argmax(expected, ro.agents()), d.levels(r), r.id());
                assertArrayEquals(expected, p.lastOutputs(r), 1e-5f, r.id());
            }
            assertEquals(0, p.fallbackCount());
        }
    }

    @Test
    void recurrentStateChangesOutputsAcrossTicksAndResetRestoresTheFirst() {
        TestModels.export(dir, Role.CORE, 11, true, 4);
        Observations obs = observations(5, 0, 0, 11, 10);
        try (OnnxPolicy p = load("performance")) {
            p.decide(obs);
            float[] first = p.lastOutputs(Role.CORE);
            p.decide(obs);
            float[] second = p.lastOutputs(Role.CORE);
            double change = 0;
            for (int i = 0; i < first.length; i++) {
                change = Math.max(change, Math.abs(first[i] - second[i]));
            }
            assertTrue(change > 1e-3, "same observation, different hidden state: outputs must move, moved " + change);
            p.reset();
            p.decide(obs);
            assertArrayEquals(first, p.lastOutputs(Role.CORE), 1e-7f);
        }
    }

    @Test
    void aSavedRecurrentStateRestoredGivesTheSameOutputsAgain() {
        TestModels.export(dir, Role.CORE, 11, true, 4);
        Observations obs = observations(5, 0, 0, 11, 10);
        try (OnnxPolicy p = load("performance")) {
            p.decide(obs);
            Object saved = p.saveState();
            p.decide(obs);
            float[] next = p.lastOutputs(Role.CORE);
            p.decide(obs);
            p.restoreState(saved);
            p.decide(obs);
            assertArrayEquals(next, p.lastOutputs(Role.CORE), 0f, "the tick after the saved one, bit for bit");
        }
    }

    @Test
    void aModelTrainedBeforeTheQuotaFeaturesWereAddedIsGivenTheColumnsItKnows() {
        var older = new ArrayList<>(ObservationSpec.QUOTA.features());
        older.removeAll(List.of("lc_share", "lc_util", "mem_bw"));
        Collections.swap(older, 0, 1);
        ModelContract c = TestModels.contract(Role.QUOTA, 10, 16);
        var old = new ModelContract(c.formatVersion(), c.role(), older, 10, c.actionMeaning(), c.decoding(), true, 16,
                c.inputName(), c.outputName(), c.stateInName(), c.stateOutName(), "awrq", c.provenance());
        AgentNetwork net = AgentNetwork.initialised(older.size(), 16, 10, true, 8);
        OnnxExporter.export(net, old, dir.resolve("quota.onnx"), List.of());
        Observations obs = observations(0, 0, 3, 11, 12);
        RoleObservations ro = obs.role(Role.QUOTA);
        float[] known = new float[3 * older.size()];
        for (int a = 0; a < 3; a++) {
            for (int i = 0; i < older.size(); i++) {
                known[a * older.size() + i] = ro.get(a, ObservationSpec.QUOTA.index(older.get(i)));
            }
        }
        float[] expected = new JavaForward(net).forward(known, 3, new float[3 * 16]).values();
        try (OnnxPolicy p = load("performance")) {
            Decision d = p.decide(obs);
            assertEquals(0, p.fallbackCount(), "the model decided");
            assertArrayEquals(expected, p.lastOutputs(Role.QUOTA), 1e-5f, "its own columns, in its own order");
            assertArrayEquals(argmax(expected, 3), d.levels(Role.QUOTA));
        }
    }

    @Test
    void aModelNamingAFeatureThisBuildLacksIsRefusedNamingIt() {
        var f = new ArrayList<>(ObservationSpec.CORE.features());
        f.set(3, "temperature");
        ModelContract good = TestModels.contract(Role.CORE, 11, 16);
        var unknown = new ModelContract(good.formatVersion(), good.role(), f, 11, good.actionMeaning(), good.decoding(),
                true, 16, good.inputName(), good.outputName(), good.stateInName(), good.stateOutName(), "qmix", good.provenance());
        OnnxExporter.export(TestModels.network(Role.CORE, 11, true, 5), unknown, dir.resolve("core.onnx"), List.of());
        var e = assertThrows(CohortException.class, () -> load("performance"));
        assertTrue(e.getMessage().startsWith(dir.resolve("core.onnx") + ": refused: feature 3 'temperature' of the model "
                + "is not in this build (its features: util,"), e.getMessage());
    }

    @Test
    void actionLevelsThatDifferFromTheHostsAreRefused() {
        TestModels.export(dir, Role.CORE, 11, false, 6);
        var e = assertThrows(CohortException.class, () -> OnnxPolicy.load("test", dir, Baselines.create("performance"),
                Map.of(Role.CORE, new ActionSpace(Role.CORE, 15))));
        assertEquals(dir.resolve("core.onnx") + ": refused: the model has 11 core action levels, this host 15", e.getMessage());
        try (OnnxPolicy p = load("powersave")) { // host levels learnt only from the observations
            Decision d = p.decide(observations(3, 0, 0, 15, 1));
            assertArrayEquals(new int[]{0, 0, 0}, d.levels(Role.CORE), "the baseline decided");
            assertEquals("core.onnx refused: the model has 11 core action levels, this host 15",
                    p.lastFallback().orElseThrow().reason());
        }
    }

    @Test
    void aModelYieldingNaNFallsBackToTheBaselineAndIsReported() throws IOException {
        AgentNetwork net = TestModels.network(Role.CORE, 11, true, 7);
        float[] bias = net.head().bias().clone();
        bias[2] = Float.NaN; // a diverged training run
        var broken = new AgentNetwork(net.encoder(), net.gru(), new DenseLayer(net.head().inputs(), 11, net.head().weight(), bias));
        TestGraphs.writeUnverified(broken, TestModels.contract(Role.CORE, 11, 16), dir.resolve("core.onnx"));
        TestModels.export(dir, Role.MEMORY, 10, false, 8);
        try (OnnxPolicy p = load("powersave")) {
            Observations obs = observations(4, 2, 0, 11, 2);
            Decision d = p.decide(obs);
            assertArrayEquals(new int[4], d.levels(Role.CORE), "powersave's level 0 for every core agent");
            assertTrue(Arrays.stream(d.levels(Role.MEMORY)).allMatch(l -> l >= 0), "the memory model still decides");
            assertEquals(1, p.fallbackCount());
            var f = p.lastFallback().orElseThrow();
            assertEquals(Role.CORE, f.role());
            assertEquals(1, f.tick());
            assertEquals("core.onnx: output 'q' of agent 0 is NaN", f.reason());
            assertEquals(List.of(f), p.lastTickFallbacks());
            p.decide(obs);
            assertEquals(2, p.fallbackCount());
        }
    }

    @Test
    void aModelThatFailsInOneTickFallsBackForThatTickOnly() throws IOException {
        TestGraphs.writeLookupModel(TestModels.contract(Role.CORE, 11, 0), dir.resolve("core.onnx"));
        try (OnnxPolicy p = load("powersave")) {
            Observations obs = observations(3, 0, 0, 11, 3);
            RoleObservations core = obs.role(Role.CORE);
            for (int a = 0; a < 3; a++) {
                core.set(a, 0, 2);
            }
            assertArrayEquals(new int[]{2, 2, 2}, p.decide(obs).levels(Role.CORE));
            core.set(1, 0, 9); // an index the model's table does not have: ONNX Runtime fails
            assertArrayEquals(new int[]{0, 0, 0}, p.decide(obs).levels(Role.CORE), "powersave stood in");
            assertTrue(p.lastFallback().orElseThrow().reason().startsWith("core.onnx: inference failed: "),
                    p.lastFallback().orElseThrow().reason());
            core.set(1, 0, 1);
            assertArrayEquals(new int[]{2, 1, 2}, p.decide(obs).levels(Role.CORE));
            assertEquals(1, p.fallbackCount());
            assertEquals(List.of(), p.lastTickFallbacks());
        }
    }

    @Test
    void aRoleWithoutAModelIsTheBaselinesWithoutFallback() {
        TestModels.export(dir, Role.QUOTA, 10, false, 9);
        try (OnnxPolicy p = load("performance")) {
            Decision d = p.decide(observations(2, 1, 2, 11, 4));
            assertArrayEquals(new int[]{10, 10}, d.levels(Role.CORE));
            assertArrayEquals(new int[]{9}, d.levels(Role.MEMORY));
            assertEquals(java.util.Set.of(Role.QUOTA), p.modelRoles());
            assertEquals(0, p.fallbackCount());
        }
    }

    @Test
    void aModelWithAFixedBatchIsRefusedAtLoad() throws IOException {
        TestGraphs.writeFixedBatch(TestModels.network(Role.CORE, 11, false, 1), TestModels.contract(Role.CORE, 11, 0), 4,
                dir.resolve("core.onnx"));
        var e = assertThrows(CohortException.class, () -> load("performance"));
        assertTrue(e.getMessage().startsWith(dir.resolve("core.onnx") + ": does not run on 1 agents × " + CORE_WIDTH + " features "
                + "(its batch dimension is fixed: export it with a dynamic first axis): "), e.getMessage());
    }

    @Test
    void aNetworkThatDoesNotTakeTheContractsFeaturesIsRefusedAtLoad() throws IOException {
        AgentNetwork narrow = AgentNetwork.initialised(14, 16, 11, true, 1); // trained before a feature was added
        TestGraphs.writeUnverified(narrow, TestModels.contract(Role.CORE, 11, 16), dir.resolve("core.onnx"));
        var e = assertThrows(CohortException.class, () -> load("performance"));
        assertTrue(e.getMessage().startsWith(dir.resolve("core.onnx") + ": does not run on 1 agents × " + CORE_WIDTH + " features "
                + "(the network does not take the contract's " + CORE_WIDTH + " features): "), e.getMessage());
    }

    @Test
    void directoryProblemsAreOneLineMessages() throws IOException {
        var e = assertThrows(CohortException.class, () -> OnnxPolicy.load("t", dir.resolve("nope"), Baselines.create("performance"), Map.of()));
        assertEquals(dir.resolve("nope") + ": no such models directory", e.getMessage());
        e = assertThrows(CohortException.class, () -> load("performance"));
        assertEquals(dir + ": no models in it (expected core.onnx, memory.onnx and/or quota.onnx)", e.getMessage());
        Files.writeString(dir.resolve("cores.onnx"), "x");
        e = assertThrows(CohortException.class, () -> load("performance"));
        assertEquals(dir.resolve("cores.onnx") + ": not a role's model file (expected core.onnx, memory.onnx or quota.onnx)",
                e.getMessage());
        Files.delete(dir.resolve("cores.onnx"));
        Files.writeString(dir.resolve("core.onnx"), "not a model");
        e = assertThrows(CohortException.class, () -> load("performance"));
        assertTrue(e.getMessage().startsWith(dir.resolve("core.onnx") + ": ONNX Runtime cannot load it: "), e.getMessage());
    }

    @Test
    void fractionsDecodeToTheNearestLevelAndTiesToTheLowest() {
        ModelContract frac = ModelContract.forSpec(new ActionSpace(Role.CORE, 11), ModelContract.Decoding.FRACTION, 0,
                "maddpg", TestModels.provenance());
        int[] out = new int[4];
        OnnxPolicy.decode(frac, new ActionSpace(Role.CORE, 11), new float[]{0f, 0.26f, 1.7f, -3f}, 4, out);
        assertArrayEquals(new int[]{0, 3, 10, 0}, out);
        ModelContract q = TestModels.contract(Role.MEMORY, 3, 0);
        int[] two = new int[2];
        OnnxPolicy.decode(q, new ActionSpace(Role.MEMORY, 3), new float[]{0.5f, 0.5f, 0.1f, -1f, 2f, 2f}, 2, two);
        assertArrayEquals(new int[]{0, 1}, two);
    }
}
