package dev.cohort.eval;

import dev.cohort.platform.Readable;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG plots of an evaluation, drawn with XChart: per scenario, energy against p99 latency (one point per
 * run, one colour per policy, the p99 target as a dashed line) and timelines of power and service latency (first
 * seed of each policy, named in the title), smoothed by a moving average over about a hundredth of the run, with the
 * latency target as a dashed line. Time axes start at 0, end on a round value and are in seconds, or in minutes
 * past five minutes.
 */
public final class Plots {
    private Plots() {
    }

    /** Writes {@code energy-vs-p99-<scenario>.png} and {@code timeline-<scenario>.png} into {@code dir}; returns the files. */
    public static List<Path> write(Summary s, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        for (String sc : s.scenarios()) {
            Path scatter = dir.resolve("energy-vs-p99-" + sc + ".png");
            BitmapEncoder.saveBitmap(scatter(s, sc), scatter.toString(), BitmapEncoder.BitmapFormat.PNG);
            out.add(scatter);
            Path tl = dir.resolve("timeline-" + sc + ".png");
            ImageIO.write(stack(BitmapEncoder.getBufferedImage(timeline(s, sc, true)),
                    BitmapEncoder.getBufferedImage(timeline(s, sc, false))), "png", tl.toFile());
            out.add(tl);
        }
        return out;
    }

    static XYChart scatter(Summary s, String sc) {
        List<RunResult> all = s.policies(sc).stream().flatMap(p -> s.cell(sc, p).runs().stream()).toList();
        String seeds = all.stream().mapToLong(RunResult::seed).distinct().sorted()
                .mapToObj(Long::toString).collect(java.util.stream.Collectors.joining(", "));
        XYChart c = new XYChartBuilder().width(800).height(560)
                .title(sc + ": energy against p99 latency, one point per run (seeds " + seeds + ")")
                .xAxisTitle("energy (J)").yAxisTitle("latency-critical p99 (ms)").build();
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setMarkerSize(10);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setXAxisTickMarkSpacingHint(90);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (String p : s.policies(sc)) {
            List<RunResult> runs = s.cell(sc, p).runs();
            double[] x = runs.stream().mapToDouble(r -> r.metrics().energyJoules()).toArray();
            double[] y = runs.stream().mapToDouble(r -> r.metrics().lcP99Ms()).toArray();
            if (x.length > 0 && finite(y)) {
                c.addSeries(p, x, y).setMarker(SeriesMarkers.CIRCLE);
                for (double v : x) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        // the target, where it is a p99 target as the y axis is
        Timeline t = all.stream().map(RunResult::timeline).filter(java.util.Objects::nonNull).findFirst().orElse(null);
        if (t != null && !t.services().isEmpty() && t.sloMs(0) > 0 && Math.abs(t.sloQuantile(0) - 0.99) < 1e-9 && lo <= hi) {
            sloLine(c, t, lo, hi);
        }
        return c;
    }

    /** One timeline panel: power, or the first service's latency with its target (package-private for testing). */
    static XYChart timeline(Summary s, String sc, boolean power) {
        RunResult first = s.policies(sc).stream().flatMap(p -> s.cell(sc, p).runs().stream())
                .filter(r -> r.timeline() != null && r.timeline().size() > 1).findFirst().orElse(null);
        Timeline ref = first == null ? null : first.timeline();
        double seconds = ref == null ? 1 : ref.timeSeconds(ref.size() - 1);
        boolean minutes = seconds > 300;
        double unit = minutes ? 60 : 1;
        double tick = ref == null ? 1 : ref.timeSeconds(1) - ref.timeSeconds(0);
        // smooth over about a hundredth of the run, at least a second: per-tick values are too noisy to compare
        int window = Math.max(1, (int) Math.round(Math.max(1, seconds / 100) / tick));
        String smoothing = window > 1 ? ", moving average over " + Readable.seconds(window * tick) : "";
        String what = power ? "package power" : "latency at the SLO quantile (" + (ref == null || ref.services().isEmpty()
                ? "first service" : ref.services().getFirst()) + ")";
        XYChart c = new XYChartBuilder().width(1000).height(380)
                .title(sc + (first == null ? "" : ", seed " + first.seed()) + ": " + what + smoothing)
                .xAxisTitle(minutes ? "time (min)" : "time (s)").yAxisTitle(power ? "power (W)" : "latency (ms)").build();
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        c.getStyler().setMarkerSize(0);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setXAxisMin(0.0);
        c.getStyler().setXAxisMax(Readable.roundUp(seconds / unit));
        c.getStyler().setXAxisDecimalPattern(seconds / unit >= 10 ? "#,##0" : "#,##0.#");
        c.getStyler().setXAxisTickMarkSpacingHint(90);
        for (String p : s.policies(sc)) {
            Timeline t = s.cell(sc, p).runs().stream().map(RunResult::timeline).filter(java.util.Objects::nonNull).findFirst().orElse(null);
            if (t == null || t.size() == 0 || (!power && t.services().isEmpty())) {
                continue;
            }
            double[] v = new double[t.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = power ? t.watts(i) : t.latencyMs(0, i);
            }
            double[] m = movingAverage(v, window);
            int stride = Math.max(1, t.size() / 1000);
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (int i = 0; i < t.size(); i += stride) {
                if (Double.isFinite(m[i])) {
                    x.add(t.timeSeconds(i) / unit);
                    y.add(m[i]);
                }
            }
            if (!x.isEmpty()) {
                c.addSeries(p, x, y).setLineWidth(1.6f);
            }
        }
        if (!power && ref != null && !ref.services().isEmpty() && ref.sloMs(0) > 0 && !c.getSeriesMap().isEmpty()) {
            sloLine(c, ref, 0, seconds / unit);
        }
        if (c.getSeriesMap().isEmpty()) {
            c.setTitle(c.getTitle() + " (no data)");
        }
        return c;
    }

    /** A dashed horizontal line at the first service's latency target, named in the legend. */
    private static void sloLine(XYChart c, Timeline t, double from, double to) {
        XYSeries slo = c.addSeries("SLO: " + t.services().getFirst() + " p" + Math.round(t.sloQuantile(0) * 100) + " "
                + Readable.millis(t.sloMs(0)), new double[]{from, to}, new double[]{t.sloMs(0), t.sloMs(0)});
        slo.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        slo.setMarker(SeriesMarkers.NONE);
        slo.setLineColor(Color.RED.darker());
        slo.setLineStyle(new java.awt.BasicStroke(2f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER, 10f,
                new float[]{8f, 6f}, 0f));
    }

    /**
     * Centred moving average over {@code window} values, skipping absent (NaN) ones; NaN where the whole window is
     * absent. Package-private for testing.
     */
    static double[] movingAverage(double[] v, int window) {
        double[] out = new double[v.length];
        int half = window / 2;
        for (int i = 0; i < v.length; i++) {
            double sum = 0;
            int n = 0;
            for (int j = Math.max(0, i - half); j <= Math.min(v.length - 1, i - half + window - 1); j++) {
                if (Double.isFinite(v[j])) {
                    sum += v[j];
                    n++;
                }
            }
            out[i] = n == 0 ? Double.NaN : sum / n;
        }
        return out;
    }

    private static BufferedImage stack(BufferedImage top, BufferedImage bottom) {
        BufferedImage img = new BufferedImage(Math.max(top.getWidth(), bottom.getWidth()), top.getHeight() + bottom.getHeight(),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.drawImage(top, 0, 0, null);
        g.drawImage(bottom, 0, top.getHeight(), null);
        g.dispose();
        return img;
    }

    private static boolean finite(double[] v) {
        for (double d : v) {
            if (!Double.isFinite(d)) {
                return false;
            }
        }
        return true;
    }
}
