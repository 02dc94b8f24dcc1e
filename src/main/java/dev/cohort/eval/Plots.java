package dev.cohort.eval;

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
 * run, one colour per policy) and timelines of power and service latency (first seed of each policy).
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

    private static XYChart scatter(Summary s, String sc) {
        XYChart c = new XYChartBuilder().width(800).height(560).title(sc + ": energy against p99 latency (one point per seed)")
                .xAxisTitle("energy (J)").yAxisTitle("latency-critical p99 (ms)").build();
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setMarkerSize(10);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        for (String p : s.policies(sc)) {
            List<RunResult> runs = s.cell(sc, p).runs();
            double[] x = runs.stream().mapToDouble(r -> r.metrics().energyJoules()).toArray();
            double[] y = runs.stream().mapToDouble(r -> r.metrics().lcP99Ms()).toArray();
            if (x.length > 0 && finite(y)) {
                c.addSeries(p, x, y).setMarker(SeriesMarkers.CIRCLE);
            }
        }
        return c;
    }

    private static XYChart timeline(Summary s, String sc, boolean power) {
        XYChart c = new XYChartBuilder().width(1000).height(380)
                .title(sc + (power ? ": package power per tick" : ": latency at the SLO quantile per tick (first service)"))
                .xAxisTitle("time (s)").yAxisTitle(power ? "power (W)" : "latency (ms)").build();
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        c.getStyler().setMarkerSize(0);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        for (String p : s.policies(sc)) {
            Timeline t = s.cell(sc, p).runs().stream().map(RunResult::timeline).filter(java.util.Objects::nonNull).findFirst().orElse(null);
            if (t == null || t.size() == 0 || (!power && t.services().isEmpty())) {
                continue;
            }
            int stride = Math.max(1, t.size() / 1500);
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (int i = 0; i < t.size(); i += stride) {
                double v = power ? t.watts(i) : t.latencyMs(0, i);
                if (Double.isFinite(v)) {
                    x.add(t.timeSeconds(i));
                    y.add(v);
                }
            }
            if (!x.isEmpty()) {
                c.addSeries(p, x, y);
            }
        }
        if (c.getSeriesMap().isEmpty()) {
            c.addSeries("no data", new double[]{0}, new double[]{0});
        }
        return c;
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
