package dev.cohort.learn.train;

import dev.cohort.platform.Readable;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The learning curves of a run as one PNG (XChart), against environment ticks: the greedy policy's mean reward per
 * tick on each evaluation scenario (held-out seeds); the exploring training episodes' mean reward per tick; the TD
 * (or critic) loss; and the share of exploratory actions. Training series are moving averages over
 * {@value #WINDOW} iterations (each iteration's episodes come from different scenarios, so single iterations scatter).
 * Iterations without a value (no evaluation yet, a NaN loss) are left out, never drawn as zeros; a panel with nothing
 * to show says so in its title.
 */
final class LearningCurves {
    static final int WINDOW = 50;

    private LearningCurves() {
    }

    static void write(List<IterationLog> logs, String title, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<BufferedImage> panels = List.of(
                BitmapEncoder.getBufferedImage(evaluation(logs, title)),
                BitmapEncoder.getBufferedImage(training(logs, "training episodes (exploring): mean reward per tick", "reward",
                        IterationLog::episodeReward, false)),
                BitmapEncoder.getBufferedImage(training(logs, "TD / critic loss (standardised rewards)", "loss", IterationLog::loss, false)),
                BitmapEncoder.getBufferedImage(training(logs, "share of exploratory actions", "share", IterationLog::exploration, false)));
        int h = panels.stream().mapToInt(BufferedImage::getHeight).sum();
        BufferedImage img = new BufferedImage(panels.getFirst().getWidth(), h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        int y = 0;
        for (BufferedImage p : panels) {
            g.drawImage(p, 0, y, null);
            y += p.getHeight();
        }
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    private static XYChart chart(String title, String y, int height, double lastTick) {
        XYChart c = new XYChartBuilder().width(900).height(height).title(title).xAxisTitle("environment ticks").yAxisTitle(y).build();
        // every panel from 0 to the same round end, so their ticks line up and fall on round numbers
        c.getStyler().setXAxisMin(0.0);
        c.getStyler().setXAxisMax(Readable.roundUp(lastTick));
        c.getStyler().setXAxisTickMarkSpacingHint(90);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setMarkerSize(0);
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        c.getStyler().setXAxisDecimalPattern("#,###");
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSW);
        return c;
    }

    /** The evaluation panel: one series per scenario, only iterations that evaluated it (package-private for testing). */
    static XYChart evaluation(List<IterationLog> logs, String title) {
        XYChart c = chart(title + ": greedy policy on the held-out evaluation seeds, mean reward per tick", "reward", 340, last(logs));
        Map<String, List<double[]>> eval = new LinkedHashMap<>();
        for (IterationLog l : logs) {
            for (var r : l.evaluation()) {
                if (!Double.isFinite(r.meanReward())) {
                    continue;
                }
                eval.computeIfAbsent(r.scenario(), k -> new ArrayList<>()).add(new double[]{l.envSteps(), r.meanReward()});
            }
        }
        for (var e : eval.entrySet()) {
            XYSeries s = c.addSeries(e.getKey(), e.getValue().stream().mapToDouble(p -> p[0]).toArray(),
                    e.getValue().stream().mapToDouble(p -> p[1]).toArray());
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        if (eval.isEmpty()) {
            // say so instead of plotting a point that was never measured
            c.setTitle(c.getTitle() + " (no evaluation yet)");
        }
        c.getStyler().setMarkerSize(4);
        return c;
    }

    private static XYChart training(List<IterationLog> logs, String title, String y, ToDoubleFunction<IterationLog> f, boolean log) {
        XYChart c = chart(title, y, 230, last(logs));
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        double[] window = new double[WINDOW];
        int n = 0;
        double sum = 0;
        int stride = Math.max(1, logs.size() / 500);
        for (int i = 0; i < logs.size(); i++) {
            double v = f.applyAsDouble(logs.get(i));
            if (!Double.isFinite(v)) {
                continue;
            }
            sum += v - (n >= WINDOW ? window[n % WINDOW] : 0);
            window[n % WINDOW] = v;
            n++;
            double mean = sum / Math.min(n, WINDOW);
            if (i % stride == 0 && (!log || mean > 0)) {
                xs.add((double) logs.get(i).envSteps());
                ys.add(mean);
            }
        }
        if (xs.isEmpty()) {
            c.setTitle(c.getTitle() + " (no data yet)");
        } else {
            c.addSeries(y, xs, ys);
        }
        c.getStyler().setYAxisLogarithmic(log);
        c.getStyler().setLegendVisible(false);
        return c;
    }

    private static double last(List<IterationLog> logs) {
        return logs.isEmpty() ? 1 : logs.getLast().envSteps();
    }
}
