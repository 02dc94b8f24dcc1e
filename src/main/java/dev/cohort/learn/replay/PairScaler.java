package dev.cohort.learn.replay;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * The size of paired differences per training scenario ({@code pairedAdvantage.scale: perScenario}): a recent root mean
 * square of each scenario's gaps (an exponential average of their squares over about {@link #WINDOW} pairs), by which
 * its pairs are divided when a batch is built. A level's one-tick worth is thousands of times larger where misses cost
 * thirty than where only energy moves (0.8 against 0.003 in reward units, {@code cohort model gap}); one scale for all
 * would leave the quiet scenarios' pairs nothing in the loss. Dividing a scenario's pairs by a positive constant keeps
 * every state's order of levels. Until a scenario has {@link #MIN_OWN} pairs, the run's own root mean square stands in.
 */
public final class PairScaler {
    /** Pairs the recent average spans, about. */
    static final double WINDOW = 2000;
    /** Pairs of its own a scenario needs before its scale is used. */
    static final int MIN_OWN = 50;
    private long[] count = new long[0];
    private double[] meanSquare = new double[0];
    private long runCount;
    private double runMeanSquare;

    /** Adds a chunk's branched gaps (raw reward units) to its scenario's statistics and the run's. */
    public void observe(int scenario, Pairs pairs) {
        if (scenario >= count.length) {
            count = Arrays.copyOf(count, scenario + 1);
            meanSquare = Arrays.copyOf(meanSquare, scenario + 1);
        }
        for (int r = 0; r < pairs.tried().length; r++) {
            for (int i = 0; i < pairs.tried()[r].length; i++) {
                if (pairs.tried()[r][i] < 0) {
                    continue;
                }
                double sq = (double) pairs.gap()[r][i] * pairs.gap()[r][i];
                count[scenario]++;
                meanSquare[scenario] += (sq - meanSquare[scenario]) / Math.min(count[scenario], WINDOW);
                runCount++;
                runMeanSquare += (sq - runMeanSquare) / Math.min(runCount, WINDOW);
            }
        }
    }

    /**
     * What a pair of an episode whose gaps' root mean square was {@code episode} is divided by: that, but never under a
     * thousandth of the run's (an episode whose levels changed nothing keeps its zeros; one with a single faint pair is
     * not blown up to unit size).
     */
    public double episodeUnit(double episode) {
        return runCount == 0 ? 1 : Math.max(episode, Math.max(1e-3 * Math.sqrt(runMeanSquare), 1e-9));
    }

    /** What a pair of {@code scenario} is divided by: its scale, the run's before it has its own, 1 before any. */
    public double unit(int scenario) {
        double ms = scenario < count.length && count[scenario] >= MIN_OWN ? meanSquare[scenario] : runMeanSquare;
        return runCount == 0 ? 1 : Math.max(Math.sqrt(ms), 1e-9);
    }

    public void write(DataOutputStream out) throws IOException {
        out.writeLong(runCount);
        out.writeDouble(runMeanSquare);
        out.writeInt(count.length);
        for (int i = 0; i < count.length; i++) {
            out.writeLong(count[i]);
            out.writeDouble(meanSquare[i]);
        }
    }

    public static PairScaler readFrom(DataInputStream in) throws IOException {
        PairScaler s = new PairScaler();
        s.runCount = in.readLong();
        s.runMeanSquare = in.readDouble();
        int n = in.readInt();
        s.count = new long[n];
        s.meanSquare = new double[n];
        for (int i = 0; i < n; i++) {
            s.count[i] = in.readLong();
            s.meanSquare[i] = in.readDouble();
        }
        return s;
    }
}
