package dev.cohort.learn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cohort.platform.CohortException;
import dev.cohort.policy.DjlRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training never destroys work: a run or models directory it did not write is refused, and a stop checkpoints. */
@Tag("pytorch")
class RunDirectoryTest {
    @TempDir
    Path dir;

    private static final Trainer.Listener QUIET = new Trainer.Listener() {
    };

    @Test
    void aSecondRunIntoTheSameDirectoryIsRefusedUnlessResumedOrForced() throws Exception {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        Path cfgFile = TrainTests.config(dir, "run", "vdn", 40, "");
        Trainer.run(TrainConfig.load(cfgFile), false, QUIET);
        byte[] checkpoint = Files.readAllBytes(dir.resolve("run/checkpoint.bin"));

        var e = assertThrows(CohortException.class, () -> Trainer.run(TrainConfig.load(cfgFile), false, QUIET));
        assertEquals(dir.resolve("run") + " holds a run already: --resume continues it, --force starts over and deletes its log, "
                + "checkpoint and report", e.getMessage());
        assertTrue(java.util.Arrays.equals(checkpoint, Files.readAllBytes(dir.resolve("run/checkpoint.bin"))), "nothing lost");

        Trainer.Result again = Trainer.run(TrainConfig.load(cfgFile), false, true, QUIET);
        assertEquals(40, again.envSteps(), "--force starts over");
        assertTrue(Files.exists(again.report()));
    }

    @Test
    void directoriesHoldingOtherFilesAreRefusedUnlessForced() throws Exception {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        Path models = Files.createDirectories(dir.resolve("shipped"));
        Files.writeString(models.resolve("core.onnx"), "a tracked model");
        Path cfgFile = TrainTests.config(dir, "run", "vdn", 40, "export: \"" + models + "\"");
        var e = assertThrows(CohortException.class, () -> Trainer.run(TrainConfig.load(cfgFile), false, QUIET));
        assertTrue(e.getMessage().startsWith(models + " holds models cohort train did not export from"), e.getMessage());
        assertEquals("a tracked model", Files.readString(models.resolve("core.onnx")));

        Path foreign = Files.createDirectories(dir.resolve("notes"));
        Files.writeString(foreign.resolve("thesis.tex"), "months of work");
        Path cfg2 = TrainTests.config(dir, "notes", "vdn", 40, "");
        var e2 = assertThrows(CohortException.class, () -> Trainer.run(TrainConfig.load(cfg2), false, QUIET));
        assertTrue(e2.getMessage().contains("holds files cohort train did not write"), e2.getMessage());

        Trainer.Result forced = Trainer.run(TrainConfig.load(cfgFile), false, true, QUIET);
        assertFalse(forced.models().isEmpty());
        // its own export directory is its own from now on: the next forced run into the run directory needs no more
        Trainer.run(TrainConfig.load(cfgFile).withBudget(40, 0), false, true, QUIET);
    }

    @Test
    void aStopCheckpointsAndAResumeFinishesAsIfNeverStopped() throws Exception {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        Path cfgFile = TrainTests.config(dir, "stop", "qmix", 160, "");
        AtomicInteger iterations = new AtomicInteger();
        Trainer.Listener ctrlC = new Trainer.Listener() {
            @Override
            public void iteration(IterationLog log) {
                iterations.incrementAndGet();
            }

            @Override
            public boolean stopRequested() {
                return iterations.get() >= 1; // Ctrl-C during the first iteration
            }
        };
        Trainer.Result stopped = Trainer.run(TrainConfig.load(cfgFile), false, ctrlC);
        assertTrue(stopped.stopped());
        assertEquals(40, stopped.envSteps(), "one iteration of one 40-tick episode");
        assertTrue(Files.exists(dir.resolve("stop/checkpoint.bin")), "checkpointed");
        assertTrue(Files.readString(stopped.report()).contains("--resume"), "the report says how to continue");
        assertTrue(stopped.models().isEmpty());

        Trainer.Result resumed = Trainer.run(TrainConfig.load(cfgFile), true, QUIET);
        Trainer.Result straight = Trainer.run(TrainConfig.load(TrainTests.config(dir, "straight", "qmix", 160, "")), false, QUIET);
        assertEquals(160, resumed.envSteps());
        assertTrue(straight.finalWeights().sameAs(resumed.finalWeights()), "the same weights, bit for bit");
    }
    @Test
    void aCheckpointFromABuildWithOtherFeaturesIsRefusedInOneLine() throws Exception {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        TrainConfig cfg = TrainConfig.load(TrainTests.config(dir, "run", "vdn", 40, ""));
        Trainer.run(cfg, false, QUIET);
        RunShape shape = RunShape.of(cfg, dev.cohort.harness.SimHarness.machine(TrainingScenarios.training(cfg).getFirst(), 1));
        int[] fewer = shape.features().clone();
        fewer[dev.cohort.policy.Role.CORE.ordinal()]--; // as a build before the core agents' last feature was added
        var older = dev.cohort.learn.algo.Learners.create(cfg.algorithm(), cfg.learner(), fewer, shape.levels(),
                dev.cohort.learn.env.StateEncoder.size(), cfg.seed());
        Path checkpoint = dir.resolve("run/checkpoint.bin");
        var e = assertThrows(CohortException.class, () -> RunState.read(checkpoint, cfg.fingerprint(), older));
        assertTrue(e.getMessage().startsWith(checkpoint + ": the checkpoint's networks do not fit this build's (parameter "),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("it was written by a build with other observation features; train the run again "
                + "with this build"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }
}
