package dev.cohort.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dynamics model fitted through its own rolled forecast, on rollouts of a machine whose power moves halfway each
 * window towards a level set by λ: its forecast over ten windows beats persistence at every step ahead, and the data it
 * fits starts where the model's own input row starts.
 */
class RolledFitTest {
    private static final double LAMBDA_MAX = 2000;

    @TempDir
    Path dir;

    /** Power moves halfway each window to 0.8 − 0.5·u(λ); λ jumps or steps at random as in training. */
    private static List<DynamicsTraining.Rollout> rollouts(int count, int windows, long seed) {
        var rng = new SplittableRandom(seed);
        List<DynamicsTraining.Rollout> out = new ArrayList<>();
        for (int r = 0; r < count; r++) {
            double lambda = 1;
            double power = 0.3 + 0.5 * rng.nextDouble();
            List<WindowState> w = new ArrayList<>();
            for (int t = 0; t < windows; t++) {
                w.add(new WindowState(power, 0, 0.1, 0.2, lambda));
                lambda = rng.nextDouble() < 0.3 ? Math.exp(Math.log(0.5) + rng.nextDouble() * Math.log(2 * LAMBDA_MAX))
                        : Math.clamp(lambda * Math.exp(0.3 * rng.nextGaussian()), 0.5, LAMBDA_MAX);
                double target = 0.8 - 0.5 * DynamicsFeatures.lambdaInput(lambda, LAMBDA_MAX);
                power += 0.5 * (target - power);
            }
            out.add(new DynamicsTraining.Rollout("synthetic", seed + r, 100, w));
        }
        return out;
    }

    private DynamicsConfig config() throws Exception {
        Path f = dir.resolve("dyn.yaml");
        Files.writeString(f, """
                rollouts: {scenarios: [colocation]}
                network: {hidden: 16, layers: 2}
                training: {epochs: 60, batch: 64, lr: 0.003, rolledSteps: 10, loss: absolute}
                """);
        return DynamicsConfig.load(f);
    }

    @Test
    void theRolledForecastBeatsPersistenceAtEveryStepAhead() throws Exception {
        DynamicsConfig cfg = config();
        assertEquals(10, cfg.rolledSteps());
        assertTrue(cfg.absoluteLoss());
        DynamicsNet net = DynamicsNet.create(16, 2, new java.util.Random(7));
        var data = RolledFit.data(rollouts(40, 60, 1), 10, LAMBDA_MAX);
        new RolledFit(cfg, s -> { }).fit(net, data, e -> { }, e -> { });
        Path file = dir.resolve(DynamicsModel.FILE);
        DynamicsTraining.write(net, file, DynamicsMetadata.of(1000, LAMBDA_MAX, PricedPolicy.DEFAULT_PRICE_SCALE, Map.of()));
        try (DynamicsModel m = DynamicsModel.open(file)) {
            ForecastError err = ForecastError.of(m, rollouts(8, 60, 500), 10);
            for (int h = 0; h < 10; h++) {
                assertTrue(err.modelMaeWatts()[h] < err.persistMaeWatts()[h],
                        (h + 1) + " ahead: " + err.modelMaeWatts()[h] + " W against persistence's " + err.persistMaeWatts()[h]);
            }
        }
    }

    @Test
    void eachStartIsTheModelsOwnInputRowAndTheTruthIsTheWindowsAfterIt() {
        var r = rollouts(1, 14, 3);
        var d = RolledFit.data(r, 10, LAMBDA_MAX);
        List<WindowState> w = r.getFirst().windows();
        assertEquals(3, d.n(), "windows 1, 2 and 3 have one before and ten after them");
        float[] row = new float[DynamicsFeatures.IN];
        DynamicsFeatures.encode(w.get(2), w.get(3), w.get(4).lambda(), LAMBDA_MAX, row, 0);
        for (int i = 0; i < 6; i++) {
            assertEquals(row[i], d.start()[2 * 6 + i], 1e-7, DynamicsFeatures.INPUTS.get(i));
        }
        assertEquals(row[6], d.lambdas()[2 * 10], 1e-7, "the first step runs at the next window's λ");
        assertEquals((float) w.get(13).powerShare(), d.truth()[(2 * 10 + 9) * DynamicsFeatures.OUT], 1e-7,
                "the tenth step's truth is the tenth window after");
    }

    /**
     * With a {@code variation:} section the training rollouts run scenarios drawn around their files (here a 4-CPU
     * machine for the 8-CPU colocation file, so a lower peak power), while the evaluation runs the file as written.
     */
    @Test
    void trainingRolloutsAreDrawnAroundTheirFilesAndTheEvaluationIsNot() throws Exception {
        Path f = dir.resolve("var.yaml");
        Files.writeString(f, """
                policy: onnx:models/awrq
                rollouts: {scenarios: [colocation], seeds: 1, seconds: 5, windowMillis: 1000, threads: 1}
                variation: {machineSizes: [1x4]}
                """);
        DynamicsConfig cfg = DynamicsConfig.load(f);
        var training = new DynamicsTraining(cfg, BudgetLoop.Pricing.DEFAULT, s -> { });
        double drawn = training.collect(cfg.scenarios(), 1000, 1, 1).getFirst().tdpWatts();
        double asWritten = training.collect(cfg.scenarios(), 1000, 1, 2).getFirst().tdpWatts();
        assertTrue(drawn < asWritten, "a 4-CPU draw peaks at " + drawn + " W, the 8-CPU file at " + asWritten + " W");
    }

    @Test
    void anUnknownLossIsRefusedNamingTheKey() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "rollouts: {scenarios: [colocation]}\ntraining: {loss: huber}\n");
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.cohort.platform.CohortException.class,
                () -> DynamicsConfig.load(f));
        assertTrue(e.getMessage().contains("loss") && e.getMessage().contains("squared or absolute"), e.getMessage());
    }
}
