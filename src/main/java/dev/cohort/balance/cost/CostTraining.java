package dev.cohort.balance.cost;

import dev.cohort.platform.CohortException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code cohort cost train}: collect (or read) samples, train the network, fit the linear baseline on the same samples,
 * export both to a directory ({@code cost.onnx} checked against the training forward, {@code linear.txt}, and the
 * configuration as {@code config.yaml}).
 */
public final class CostTraining {
    private CostTraining() {
    }

    /** What a run produced. */
    public record Summary(Path dir, int samples, int rows, double loss, double exportDiff, long seconds) {
    }

    /** Trains from simulator rollouts as {@code cfg} says. */
    public static Summary fromSimulator(CostConfig cfg, Path out, Consumer<String> progress) {
        long t0 = System.nanoTime();
        String commit = CostExport.commit(); // the code that trains, before a long run lets the checkout move on
        List<CostSample> samples = CostTrainer.collect(cfg, progress);
        return finish(cfg, samples, out, String.join(" ", cfg.scenarios()),
                (1000 + 1000 * cfg.seed()) + "-" + (1000 + 1000 * cfg.seed() + cfg.episodes() - 1), commit, t0, progress);
    }

    /** Trains from samples read elsewhere (a host's journal). */
    public static Summary fromSamples(CostConfig cfg, List<CostSample> samples, String origin, Path out, Consumer<String> progress) {
        if (samples.isEmpty()) {
            throw new CohortException(origin + ": no usable samples (ticks with measured package power and observations)");
        }
        return finish(cfg, samples, out, origin, "journal", CostExport.commit(), System.nanoTime(), progress);
    }

    private static Summary finish(CostConfig cfg, List<CostSample> samples, Path out, String scenarios, String seeds,
                                  String commit, long t0, Consumer<String> progress) {
        int rows = samples.stream().mapToInt(CostSample::rowCount).sum();
        progress.accept(samples.size() + " samples, " + rows + " rows; training " + cfg.net().describe());
        CostTrainer.Result r = CostTrainer.train(cfg, samples, progress);
        LinearCostModel linear = LinearCostModel.fit(samples);
        var prov = new LinkedHashMap<String, String>();
        prov.put("config", cfg.source().toString());
        prov.put("scenarios", scenarios);
        prov.put("seeds", seeds);
        prov.put("seed", Long.toString(cfg.seed()));
        prov.put("samples", Integer.toString(samples.size()));
        prov.put("commit", commit);
        prov.put("trained_at", Instant.now().toString());
        try {
            Files.createDirectories(out);
            Files.writeString(out.resolve("config.yaml"), "# the configuration this cost model came from (" + cfg.source() + ")\n"
                    + cfg.text());
        } catch (IOException e) {
            throw new CohortException(out + ": cannot write: " + e.getMessage());
        }
        int check = Math.min(samples.size(), 8);
        int n = 0;
        for (int i = 0; i < check; i++) {
            n += samples.get(i).rowCount();
        }
        float[] real = new float[n * CostFeatures.WIDTH];
        int at = 0;
        for (int i = 0; i < check; i++) {
            float[] x = samples.get(i).rows();
            System.arraycopy(x, 0, real, at, x.length);
            at += x.length;
        }
        double diff = CostExport.export(cfg.net(), r.params(), CostContract.of(cfg.net(), prov), out, real);
        linear.write(out);
        return new Summary(out, samples.size(), rows, r.lastLoss(), diff, (System.nanoTime() - t0) / 1_000_000_000L);
    }
}
