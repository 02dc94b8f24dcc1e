package dev.cohort.learn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cohort.learn.algo.Engines;
import dev.cohort.learn.algo.Learner;
import dev.cohort.learn.algo.Learners;
import dev.cohort.learn.env.StateEncoder;
import dev.cohort.learn.nn.ParamSet;
import dev.cohort.platform.CohortException;
import dev.cohort.policy.DjlRuntime;
import dev.cohort.policy.ObservationSpec;
import dev.cohort.policy.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An export is all or nothing: the models a directory held stay until every role's new file has passed its check. */
@Tag("pytorch")
class ModelExportTest {
    @TempDir
    Path dir;

    @Test
    void aFailedCheckLeavesTheDirectoryAsItWasAndNothingBeside() throws Exception {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        TrainConfig cfg = TrainConfig.load(TrainTests.config(dir, "x", "qmix", 40, ""));
        int[] features = Arrays.stream(Role.values()).mapToInt(r -> ObservationSpec.of(r).size()).toArray();
        int[] levels = {11, 10, 10};
        Learner learner = Learners.create(cfg.algorithm(), cfg.learner(), features, levels, StateEncoder.size(), 1);
        boolean[] seen = {true, true, true};
        Path models = dir.resolve("models");
        try (var manager = Engines.manager()) {
            ModelExport.write(models, cfg, learner, learner.actorParams(), seen, levels, "test", 100, manager);
            List<String> before = List.of("config.yaml", "core.onnx", "memory.onnx", "quota.onnx");
            assertEquals(before, list(models));
            byte[] core = Files.readAllBytes(models.resolve("core.onnx"));
            ParamSet broken = learner.actorParams().copy();
            String quota = broken.names().stream().filter(n -> n.startsWith("quota.")).findFirst().orElseThrow();
            Arrays.fill(broken.get(quota), Float.NaN); // the last role's file cannot pass its check
            String coreName = broken.names().stream().filter(n -> n.startsWith("core.")).findFirst().orElseThrow();
            broken.get(coreName)[0] += 1; // and the first role's would differ from the one in place
            var e = assertThrows(CohortException.class,
                    () -> ModelExport.write(models, cfg, learner, broken, seen, levels, "test", 100, manager));
            assertTrue(e.getMessage().startsWith("export check failed: ONNX Runtime's"), e.getMessage());
            assertEquals(before, list(models), "no file added or removed");
            assertTrue(Arrays.equals(core, Files.readAllBytes(models.resolve("core.onnx"))), "the earlier core model is untouched");
            assertFalse(Files.exists(dir.resolve("models.exporting")), "nothing left beside it");
            Path fresh = dir.resolve("fresh");
            assertThrows(CohortException.class, () -> ModelExport.write(fresh, cfg, learner, broken, seen, levels, "test", 100, manager));
            assertFalse(Files.exists(fresh) && list(fresh).size() > 0, "a first export that fails leaves no half set of models");
        }
    }

    private static List<String> list(Path d) throws Exception {
        try (var s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
