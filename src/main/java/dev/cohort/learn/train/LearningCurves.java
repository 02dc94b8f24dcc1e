package dev.cohort.learn.train;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The learning curves of a run as one PNG (XChart): the mean reward per tick of the exploring episodes and of the
 * greedy policy on each evaluation scenario, against environment ticks; the TD (or critic) loss; and the share
 * of exploratory actions.
 */
final class LearningCurves {
    private LearningCurves() {
    }

    static void write(List<IterationLog> logs, String title, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage a = BitmapEncoder.getBufferedImage(reward(logs, title));
        BufferedImage b = BitmapEncoder.getBufferedImage(series(logs, "loss", "TD / critic loss", true));
        BufferedImage c = BitmapEncoder.getBufferedImage(series(logs, "exploration", "share of exploratory actions", false));
        BufferedImage img = new BufferedImage(a.getWidth(), a.getHeight() + b.getHeight() + c.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.drawImage(a, 0, 0, null);
        g.drawImage(b, 0, a.getHeight(), null);
        g.drawImage(c, 0, a.getHeight() + b.getHeight(), null);
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    private static XYChart chart(String title, String y, int height) {
        XYChart c = new XYChartBuilder().width(900).height(height).title(title).xAxisTitle("environment ticks").yAxisTitle(y).build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setMarkerSize(0);
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        return c;
    }

    private static XYChart reward(List<IterationLog> logs, String title) {
        XYChart c = chart(title + ": mean reward per tick", "reward", 420);
        int stride = Math.max(1, logs.size() / 600);
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        double acc = 0;
        int n = 0;
        for (int i = 0; i < logs.size(); i++) {
            IterationLog l = logs.get(i);
            if (Double.isFinite(l.episodeReward())) {
                acc += l.episodeReward();
                n++;
            }
            if ((i + 1) % stride == 0 && n > 0) {
                x.add((double) l.envSteps());
                y.add(acc / n);
                acc = 0;
                n = 0;
            }
        }
        if (!x.isEmpty()) {
            c.addSeries("training episodes (exploring)", x, y);
        }
        Map<String, List<double[]>> eval = new LinkedHashMap<>();
        for (IterationLog l : logs) {
            for (var r : l.evaluation()) {
                eval.computeIfAbsent(r.scenario(), k -> new ArrayList<>()).add(new double[]{l.envSteps(), r.meanReward()});
            }
        }
        for (var e : eval.entrySet()) {
            double[] ex = e.getValue().stream().mapToDouble(p -> p[0]).toArray();
            double[] ey = e.getValue().stream().mapToDouble(p -> p[1]).toArray();
            XYSeries s = c.addSeries("greedy on " + e.getKey() + " (held-out seeds)", ex, ey);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        if (c.getSeriesMap().isEmpty()) {
            c.addSeries("no data", new double[]{0}, new double[]{0});
        }
        c.getStyler().setMarkerSize(5);
        return c;
    }

    private static XYChart series(List<IterationLog> logs, String what, String title, boolean log) {
        XYChart c = chart(title, what, 260);
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        int stride = Math.max(1, logs.size() / 600);
        for (int i = 0; i < logs.size(); i += stride) {
            IterationLog l = logs.get(i);
            double v = what.equals("loss") ? l.loss() : l.exploration();
            if (Double.isFinite(v) && (!log || v > 0)) {
                x.add((double) l.envSteps());
                y.add(v);
            }
        }
        if (x.isEmpty()) {
            c.addSeries("no data", new double[]{0}, new double[]{log ? 1 : 0});
        } else {
            c.addSeries(what, x, y);
        }
        c.getStyler().setYAxisLogarithmic(log);
        c.getStyler().setLegendVisible(false);
        return c;
    }
}
