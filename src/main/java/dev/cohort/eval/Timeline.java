package dev.cohort.eval;

import dev.cohort.control.TickRecord;
import dev.cohort.platform.CgroupRole;
import dev.cohort.platform.Topology;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-tick series of a run: time, package power, reward, slack, and each service's latency at its SLO
 * quantile. Written as CSV for {@code simulate --timeline} and plotted by {@link Plots}.
 */
public final class Timeline {
    private final List<String> services = new ArrayList<>();
    private final List<double[]> slos = new ArrayList<>();
    private final int[] serviceIndex;
    private final List<double[]> rows = new ArrayList<>();

    public Timeline(Topology topo) {
        List<Integer> idx = new ArrayList<>();
        for (int g = 0; g < topo.cgroups().size(); g++) {
            if (topo.cgroups().get(g).role() == CgroupRole.LATENCY_CRITICAL) {
                services.add(topo.cgroups().get(g).name());
                slos.add(new double[]{topo.cgroups().get(g).sloUsec() / 1000.0, topo.cgroups().get(g).sloQuantile()});
                idx.add(g);
            }
        }
        serviceIndex = idx.stream().mapToInt(Integer::intValue).toArray();
    }

    private Timeline(List<String> services, List<double[]> slos, List<double[]> rows) {
        this.services.addAll(services);
        this.slos.addAll(slos);
        this.serviceIndex = new int[services.size()];
        this.rows.addAll(rows);
    }

    /**
     * A timeline as {@link #rows} and {@link #slos} gave it (read back from a shard file, {@link ShardFile}); no tick
     * can be added to it.
     */
    static Timeline of(List<String> services, List<double[]> slos, List<double[]> rows) {
        return new Timeline(services, slos, rows);
    }

    /** Each service's target, ms, and its quantile, in service order (for {@link #of}). */
    List<double[]> slos() {
        return slos;
    }

    /** Every tick's values: time s, power W, reward, minimum slack, SLO violated (0/1), each service's latency ms. */
    List<double[]> rows() {
        return rows;
    }

    /** Adds one tick. */
    public void add(TickRecord r) {
        double[] row = new double[5 + serviceIndex.length];
        row[0] = r.timeNanos() / 1e9;
        row[1] = r.packageWatts();
        row[2] = r.reward().reward();
        row[3] = r.minSlack();
        row[4] = r.sloViolated() ? 1 : 0;
        for (int i = 0; i < serviceIndex.length; i++) {
            row[5 + i] = r.latencyUsec()[serviceIndex[i]] / 1000.0;
        }
        rows.add(row);
    }

    /** Service names, in column order. */
    public List<String> services() {
        return services;
    }

    /** Latency target of service {@code s}, ms (0: none). */
    public double sloMs(int s) {
        return slos.get(s)[0];
    }

    /** The quantile service {@code s}'s target applies to (and its per-tick latency is measured at). */
    public double sloQuantile(int s) {
        return slos.get(s)[1];
    }

    /** Number of ticks. */
    public int size() {
        return rows.size();
    }

    /** Seconds since start of tick {@code i}. */
    public double timeSeconds(int i) {
        return rows.get(i)[0];
    }

    /** Package power of tick {@code i}, W. */
    public double watts(int i) {
        return rows.get(i)[1];
    }

    /** Latency of service {@code s} in tick {@code i}, ms (NaN without requests). */
    public double latencyMs(int s, int i) {
        return rows.get(i)[5 + s];
    }

    /** Writes the timeline as CSV with a header line. */
    public void writeCsv(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        try (Writer w = Files.newBufferedWriter(file)) {
            w.write("t_s,power_w,reward,min_slack,slo_violated");
            for (String s : services) {
                w.write("," + s + "_latency_ms");
            }
            w.write('\n');
            for (double[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    if (i > 0) {
                        w.write(',');
                    }
                    w.write(Double.isFinite(row[i]) ? (i == 4 ? Integer.toString((int) row[i]) : String.format(java.util.Locale.ROOT, "%.6g", row[i])) : "");
                }
                w.write('\n');
            }
        }
    }
}
