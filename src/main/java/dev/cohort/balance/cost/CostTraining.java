package dev.cohort.balance.cost;

import dev.cohort.platform.CohortException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * {@code cohort cost train}: collect (or read) samples, train the network, fit the linear baseline on the same samples,
 * export both to a directory ({@code cost.onnx} checked against the training forward, {@code linear.txt}, and the
 * configuration as {@code config.yaml}); then the same for the interval model on the same ticks' own observations
 * ({@code interval.onnx}, {@code linear-interval.txt}), what stands in for RAPL.
 */
public final class CostTraining {
    private CostTraining() {
    }

    /**
     * What a run produced.
     *
     * @param intervalLoss       the interval model's final loss (NaN when no sample had the tick's own observation)
     * @param intervalExportDiff its export check's largest difference (NaN without it)
     */
    public record Summary(Path dir, int samples, int rows, double loss, double exportDiff, double intervalLoss,
                          double intervalExportDiff, long seconds) {
    }

    /**
     * Trains from simulator rollouts as {@code cfg} says. {@code stop} is asked between episodes and epochs; when it says
     * stop, {@link java.util.concurrent.CancellationException} is thrown and nothing has been written: both networks are
     * trained before the first file is.
     */
    public static Summary fromSimulator(CostConfig cfg, Path out, Consumer<String> progress, BooleanSupplier stop) {
        long t0 = System.nanoTime();
        String commit = CostExport.commit(); // the code that trains, before a long run lets the checkout move on
        List<CostSample> samples = CostTrainer.collect(cfg, progress, stop);
        return finish(cfg, samples, out, String.join(" ", cfg.scenarios()),
                (1000 + 1000 * cfg.seed()) + "-" + (1000 + 1000 * cfg.seed() + cfg.episodes() - 1), commit, t0, progress, stop);
    }

    /** Trains from samples read elsewhere (a host's journal); {@code stop} as {@link #fromSimulator}. */
    public static Summary fromSamples(CostConfig cfg, List<CostSample> samples, String origin, Path out, Consumer<String> progress,
                                      BooleanSupplier stop) {
        if (samples.isEmpty()) {
            throw new CohortException(origin + ": no usable samples (ticks with measured package power and observations)");
        }
        return finish(cfg, samples, out, origin, "journal", CostExport.commit(), System.nanoTime(), progress, stop);
    }

    private static Summary finish(CostConfig cfg, List<CostSample> samples, Path out, String scenarios, String seeds,
                                  String commit, long t0, Consumer<String> progress, BooleanSupplier stop) {
        int rows = samples.stream().mapToInt(CostSample::rowCount).sum();
        progress.accept(samples.size() + " samples, " + rows + " rows; training " + cfg.net().describe());
        CostTrainer.Result r = CostTrainer.train(cfg, samples, progress, stop);
        List<CostSample> intervals = samples.stream().filter(s -> s.intervalRows() != null).map(CostSample::interval).toList();
        CostTrainer.Result ri = null;
        if (!intervals.isEmpty()) {
            progress.accept("the interval model (what stands in for RAPL): the same " + intervals.size() + " ticks' own observations");
            ri = CostTrainer.train(cfg, intervals, progress, stop);
        }
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
        double diff = CostExport.export(cfg.net(), r.params(), CostContract.of(cfg.net(), prov), out, realRows(samples));
        linear.write(out);
        double intervalLoss = Double.NaN;
        double intervalDiff = Double.NaN;
        if (ri != null) {
            intervalDiff = CostExport.export(cfg.net(), ri.params(), CostContract.of(cfg.net(), prov, CostContract.Target.INTERVAL),
                    out, realRows(intervals));
            LinearCostModel.fit(intervals).write(out, LinearCostModel.INTERVAL_FILE);
            intervalLoss = ri.lastLoss();
        } else {
            try { // no interval model from these samples: none left from an earlier run beside this one's next-tick model
                Files.deleteIfExists(out.resolve(CostContract.Target.INTERVAL.file()));
                Files.deleteIfExists(out.resolve(LinearCostModel.INTERVAL_FILE));
            } catch (IOException e) {
                throw new CohortException(out + ": cannot remove the earlier interval model: " + e.getMessage());
            }
        }
        return new Summary(out, samples.size(), rows, r.lastLoss(), diff, intervalLoss, intervalDiff,
                (System.nanoTime() - t0) / 1_000_000_000L);
    }

    /** The first samples' rows, row-major: real rows the export checks beside random ones. */
    private static float[] realRows(List<CostSample> samples) {
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
        return real;
    }
}
