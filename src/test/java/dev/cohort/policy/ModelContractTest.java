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
    void swappedFeaturesAreNamedWithTheirPositions() {
        var f = new ArrayList<>(ObservationSpec.CORE.features());
        f.set(3, "stall");
        f.set(4, "ipc");
        String msg = withFeatures(f).validate(ObservationSpec.CORE, null).orElseThrow();
        assertEquals("feature 3 is 'stall' in the model but 'ipc' in this build ('stall' is feature 4 in this build)", msg);
    }

    @Test
    void aMissingOrExtraFeatureIsNamed() {
        var fewer = new ArrayList<>(ObservationSpec.CORE.features());
        fewer.removeLast();
        assertEquals("the model has 14 features, this build 15: feature 14 'g_lambda' is missing from the model",
                withFeatures(fewer).validate(ObservationSpec.CORE, null).orElseThrow());
        var more = new ArrayList<>(ObservationSpec.CORE.features());
        more.add("temperature");
        assertEquals("the model has 16 features, this build 15: feature 15 'temperature' is not in this build",
                withFeatures(more).validate(ObservationSpec.CORE, null).orElseThrow());
        var renamed = new ArrayList<>(ObservationSpec.CORE.features());
        renamed.set(0, "busy");
        assertEquals("feature 0 is 'busy' in the model but 'util' in this build ('busy' is not in this build)",
                withFeatures(renamed).validate(ObservationSpec.CORE, null).orElseThrow());
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
