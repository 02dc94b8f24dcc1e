package dev.cohort.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.balance.DynamicsModel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cohort dynamics train} on a small configuration: the last training seed is kept out of the fit and picks the
 * epoch whose rolled forecast errs least, the model it writes loads for the MPC, and the checkpoint file is gone; a
 * validation that would leave nothing to fit is refused in one line naming the key. The rollouts run a fixed model
 * directory, not {@code learned}: whether a 12-window fit beats persistence (exit code 1 if not) depends on the policy.
 */
class DynamicsTrainCommandTest {
    @TempDir
    Path dir;

    private Path config(int validationSeeds) throws Exception {
        return config(validationSeeds, 20);
    }

    private Path config(int validationSeeds, int epochs) throws Exception {
        return Files.writeString(dir.resolve("dyn-" + validationSeeds + "-" + epochs + ".yaml"), """
                policy: onnx:models/awrq
                rollouts:
                  scenarios: [colocation]
                  firstSeed: 1000
                  seeds: 3
                  seconds: 8
                  windowMillis: 1000
                  lambdaMax: 1000
                  threads: 2
                network: {hidden: 8, layers: 1}
                training: {epochs: %d, batch: 8, lr: 0.01, validationSeeds: %d}
                evaluation: {scenarios: [colocation], seeds: 1, horizon: 3}
                """.formatted(epochs, validationSeeds));
    }

    @Test
    void theHeldBackSeedPicksTheEpochAndTheModelLoads() throws Exception {
        Path out = dir.resolve("model");
        var o = SimulateEvaluateCommandTest.run("dynamics", "train", "--config", config(1).toString(), "--out", out.toString());
        assertEquals(0, o.code(), o.err());
        String log = o.out() + o.err();
        assertTrue(log.contains("validation MAE over 3 windows") && log.contains("kept epoch "), log);
        assertTrue(log.contains("MAE over 3 windows ahead: model "), log);
        try (DynamicsModel m = DynamicsModel.open(out.resolve(DynamicsModel.FILE))) {
            assertEquals(1000, m.windowMillis());
        }
        assertFalse(Files.exists(out.resolve(DynamicsModel.FILE + ".checkpoint")), "the checkpoint is removed");
    }

    @Test
    void validationSeedsMustLeaveATrainingSeed() throws Exception {
        var o = SimulateEvaluateCommandTest.run("dynamics", "train", "--config", config(3).toString(), "--out",
                dir.resolve("m").toString());
        assertEquals(1, o.code(), o.out());
        assertTrue(o.err().contains("validationSeeds") && o.err().lines().count() == 1, o.err());
    }

    /**
     * SIGTERM while the network is fitted: the run stops at the next epoch with exit code 143, says so, and writes
     * nothing (no model, no checkpoint file); left to the JVM, the signal would end it inside libtorch.
     */
    @Test
    void sigtermStopsBetweenEpochsAndWritesNothing() throws Exception {
        Path out = dir.resolve("stopped");
        CliProcess p = CliProcess.start(dir.resolve("dyn.log"), "dynamics", "train", "--config", config(1, 100_000).toString(),
                "--out", out.toString());
        p.assertStoppedWritingNothing("dynamics train", "training windows in", "rollout or epoch", out);
        assertFalse(Files.exists(out.resolve(DynamicsModel.FILE)), "no model");
        assertFalse(Files.exists(out.resolve(DynamicsModel.FILE + ".checkpoint")), "no checkpoint file");
    }
}
