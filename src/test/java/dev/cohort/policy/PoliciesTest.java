package dev.cohort.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.platform.CohortException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PoliciesTest {
    @TempDir
    Path dir;

    @Test
    void baselinesAreCreatedByName() {
        assertEquals("schedutil", Policies.create("schedutil", null).name());
    }

    @Test
    void onnxDirLoadsTheModelsWithSloGuardBehindThemUnlessAnotherFallbackIsNamed() {
        TestModels.export(dir, Role.CORE, 11, true, 1);
        try (var p = assertInstanceOf(OnnxPolicy.class, Policies.create("onnx:" + dir, null))) {
            assertEquals("onnx:" + dir, p.name());
            assertEquals("slo-guard", p.baseline().name());
        }
        try (var p = assertInstanceOf(OnnxPolicy.class, Policies.create("onnx:" + dir + ",fallback=schedutil", null))) {
            assertEquals("schedutil", p.baseline().name());
        }
        var e = assertThrows(CohortException.class, () -> Policies.create("onnx:" + dir + ",fallback=magic", null));
        assertTrue(e.getMessage().startsWith("fallback 'magic' of policy"), e.getMessage());
    }

    @Test
    void hostActionSpacesGivenAtCreationAreCheckedAtOnce() {
        TestModels.export(dir, Role.CORE, 11, false, 1);
        var e = assertThrows(CohortException.class, () -> Policies.create("onnx:" + dir, null,
                Map.of(Role.CORE, new ActionSpace(Role.CORE, 9))));
        assertTrue(e.getMessage().endsWith("the model has 11 core action levels, this host 9"), e.getMessage());
    }

    @Test
    void learnedUsesTheShippedModelsDirectoryAndSaysWhenThereAreNone() throws Exception {
        String old = System.getProperty("cohort.home");
        try {
            System.setProperty("cohort.home", dir.toString());
            var e = assertThrows(CohortException.class, () -> Policies.create("learned", null));
            assertEquals("policy 'learned': no shipped models in " + dir.resolve("models/default")
                    + " (the repository ships them there; train your own with cohort train, or name a directory with onnx:DIR)",
                    e.getMessage());
            Files.createDirectories(Policies.defaultModelsDir());
            TestModels.export(Policies.defaultModelsDir(), Role.QUOTA, 10, false, 2);
            try (var p = assertInstanceOf(OnnxPolicy.class, Policies.create("learned", null))) {
                assertEquals("learned", p.name());
            }
        } finally {
            if (old == null) {
                System.clearProperty("cohort.home");
            } else {
                System.setProperty("cohort.home", old);
            }
        }
    }
}
