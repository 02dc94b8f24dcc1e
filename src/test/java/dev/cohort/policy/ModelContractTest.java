package dev.cohort.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.platform.CohortException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelContractTest {
    static ModelContract withFeatures(List<String> features) {
        ModelContract c = TestModels.contract(Role.CORE, 11, 64);
        return new ModelContract(c.formatVersion(), c.role(), features, c.actionLevels(), c.actionMeaning(), c.decoding(),
                c.recurrent(), c.hiddenSize(), c.inputName(), c.outputName(), c.stateInName(), c.stateOutName(),
                c.algorithm(), c.provenance());
    }

    @Test
    void theLambdaRangeTravelsInTheMetadataAndAMalformedOneIsNamed() {
        ModelContract c = TestModels.contract(Role.CORE, 11, 64).withLambdaRange(1, 8);
        var md = c.toMetadata();
        assertEquals("1,8", md.get(ModelMetadata.LAMBDA_RANGE));
        ModelContract back = ModelContract.fromMetadata(md, "core.onnx");
        assertEquals(c, back);
        assertTrue(back.hasLambdaRange());
        assertEquals(8, back.lambdaHigh());
        var old = new HashMap<>(md);
        old.remove(ModelMetadata.LAMBDA_RANGE);
        assertTrue(!ModelContract.fromMetadata(old, "core.onnx").hasLambdaRange(), "a model from before it was recorded");
        var bad = new HashMap<>(md);
        bad.put(ModelMetadata.LAMBDA_RANGE, "8");
        CohortException e = assertThrows(CohortException.class, () -> ModelContract.fromMetadata(bad, "core.onnx"));
        assertEquals("core.onnx: malformed model contract: cohort.lambda_range must be 'low,high', got '8'", e.getMessage());
        bad.put(ModelMetadata.LAMBDA_RANGE, "8,1");
        e = assertThrows(CohortException.class, () -> ModelContract.fromMetadata(bad, "core.onnx"));
        assertTrue(e.getMessage().contains("λ range must be two numbers 0 ≤ low ≤ high"), e.getMessage());
    }

    @Test
    void aContractForThisBuildsSpecMatches() {
        ModelContract c = TestModels.contract(Role.CORE, 11, 64);
        assertEquals(Optional.empty(), c.validate(ObservationSpec.CORE, new ActionSpace(Role.CORE, 11)));
    }

    @Test
    void aModelReadsItsFeaturesByNameInItsOwnOrder() {
        var f = new ArrayList<>(ObservationSpec.CORE.features());
        f.set(3, "stall");
        f.set(4, "ipc");
        ModelContract swapped = withFeatures(f);
        assertEquals(Optional.empty(), swapped.validate(ObservationSpec.CORE, null));
        int[] cols = swapped.columns(ObservationSpec.CORE);
        assertEquals(ObservationSpec.CORE.index("stall"), cols[3]);
        assertEquals(ObservationSpec.CORE.index("ipc"), cols[4]);
        assertEquals(List.of(), swapped.featuresNotRead(ObservationSpec.CORE));
    }

    @Test
    void aModelTrainedBeforeAFeatureWasAddedRunsWithoutIt() {
        var older = new ArrayList<>(ObservationSpec.QUOTA.features());
        older.removeAll(List.of("lc_share", "lc_util", "mem_bw"));
        ModelContract c = TestModels.contract(Role.QUOTA, 10, 0);
        ModelContract old = new ModelContract(c.formatVersion(), c.role(), older, c.actionLevels(), c.actionMeaning(),
                c.decoding(), c.recurrent(), c.hiddenSize(), c.inputName(), c.outputName(), c.stateInName(),
                c.stateOutName(), c.algorithm(), c.provenance());
        assertEquals(Optional.empty(), old.validate(ObservationSpec.QUOTA, new ActionSpace(Role.QUOTA, 10)));
        assertEquals(List.of("lc_share", "lc_util", "mem_bw"), old.featuresNotRead(ObservationSpec.QUOTA));
        int[] cols = old.columns(ObservationSpec.QUOTA);
        assertEquals(older.size(), cols.length);
        assertEquals(ObservationSpec.QUOTA.index("agent_id"), cols[older.indexOf("agent_id")]);
    }

    @Test
    void anUnknownOrRepeatedFeatureIsRefusedNamingIt() {
        var more = new ArrayList<>(ObservationSpec.CORE.features());
        more.add("temperature");
        String msg = withFeatures(more).validate(ObservationSpec.CORE, null).orElseThrow();
        assertTrue(msg.startsWith("feature " + ObservationSpec.CORE.size() + " 'temperature' of the model is not in this build (its features: util, "
                + "freq_level,"), msg);
        var renamed = new ArrayList<>(ObservationSpec.CORE.features());
        renamed.set(0, "busy");
        assertTrue(withFeatures(renamed).validate(ObservationSpec.CORE, null).orElseThrow()
                .startsWith("feature 0 'busy' of the model is not in this build"));
        var twice = new ArrayList<>(ObservationSpec.CORE.features());
        twice.set(4, "ipc");
        assertEquals("feature 4 'ipc' of the model is listed twice (also feature 3)",
                withFeatures(twice).validate(ObservationSpec.CORE, null).orElseThrow());
    }

    @Test
    void roleLevelsAndFormatDifferencesAreNamed() {
        ModelContract c = TestModels.contract(Role.CORE, 11, 64);
        assertEquals("the model is for role core, not memory", c.validate(ObservationSpec.MEMORY, null).orElseThrow());
        assertEquals("the model has 11 core action levels, this host 15",
                c.validate(ObservationSpec.CORE, new ActionSpace(Role.CORE, 15)).orElseThrow());
        var md = new HashMap<>(c.toMetadata());
        md.put(ModelMetadata.FORMAT, "2");
        assertEquals("contract format 2 is newer than this build reads (1)",
                ModelContract.fromMetadata(md, "x.onnx").validate(ObservationSpec.CORE, null).orElseThrow());
    }

    @Test
    void metadataRoundTripsForRecurrentAndFeedForward() {
        for (int hidden : new int[]{0, 64}) {
            ModelContract c = TestModels.contract(Role.QUOTA, 10, hidden);
            assertEquals(c, ModelContract.fromMetadata(c.toMetadata(), "quota.onnx"));
        }
    }

    @Test
    void aMissingOrMalformedKeyIsNamedWithTheFile() {
        var md = new HashMap<>(TestModels.contract(Role.CORE, 11, 64).toMetadata());
        md.remove(ModelMetadata.HIDDEN_SIZE);
        var e = assertThrows(CohortException.class, () -> ModelContract.fromMetadata(md, "m/core.onnx"));
        assertEquals("m/core.onnx: model contract lacks cohort.hidden_size", e.getMessage());
        md.put(ModelMetadata.HIDDEN_SIZE, "64");
        md.put(ModelMetadata.ROLE, "gpu");
        e = assertThrows(CohortException.class, () -> ModelContract.fromMetadata(md, "m/core.onnx"));
        assertTrue(e.getMessage().startsWith("m/core.onnx: model contract cohort.role = 'gpu' is malformed"), e.getMessage());
        e = assertThrows(CohortException.class, () -> ModelContract.fromMetadata(new HashMap<>(), "m/core.onnx"));
        assertTrue(e.getMessage().contains("no cohort model contract"), e.getMessage());
    }

    @Test
    void provenanceFieldsAnExporterLeftOutReadAsUnknown() {
        var md = new HashMap<>(TestModels.contract(Role.MEMORY, 10, 0).toMetadata());
        md.keySet().removeIf(k -> k.startsWith("cohort.provenance."));
        ModelProvenance p = ModelContract.fromMetadata(md, "memory.onnx").provenance();
        assertEquals(List.of(), p.scenarios());
        assertEquals(ModelProvenance.UNKNOWN, p.commit());
        assertEquals(ModelProvenance.UNKNOWN, p.seed());
    }

    @Test
    void theTickPeriodRoundTripsAndAModelRefusesAnotherPeriodNamingTheFix() {
        ModelContract c = ModelContract.forSpec(new ActionSpace(Role.CORE, 11), ModelContract.Decoding.ARGMAX, 32, "qmix",
                TestModels.provenance(), 100);
        ModelContract read = ModelContract.fromMetadata(c.toMetadata(), "core.onnx");
        assertEquals(100, read.tickMillis());
        assertEquals(Optional.empty(), read.tickDifference(100));
        String why = read.tickDifference(250).orElseThrow();
        assertTrue(why.contains("trained at a 100 ms tick, not 250 ms") && why.contains("set the tick to 100 ms"), why);
        // a model from before the period was recorded runs at any tick, as it did
        ModelContract old = TestModels.contract(Role.CORE, 11, 64);
        assertEquals(0, ModelContract.fromMetadata(old.toMetadata(), "core.onnx").tickMillis());
        assertEquals(Optional.empty(), old.tickDifference(250));
    }
}
