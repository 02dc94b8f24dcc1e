package dev.cohort.platform.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The arrival profiles produce the rates they describe, and sizes have the distribution asked for. */
class ArrivalProcessTest {
    private static final long SEC = 1_000_000_000L;

    private static ServiceSpec.Request request(ServiceSpec.SizeDistribution d, double cv) {
        return new ServiceSpec.Request(1e6, 0, 1, 1, d, cv);
    }

    /** Arrivals per window of {@code windowNs} over {@code windows} windows. */
    private static long[] counts(ArrivalSpec spec, long windowNs, int windows) {
        ArrivalProcess p = new ArrivalProcess(spec, request(ServiceSpec.SizeDistribution.EXPONENTIAL, 1), 3, 0);
        long[] n = new long[windows];
        double last = -1;
        while (p.nextNanos() < (double) windowNs * windows) {
            assertTrue(p.nextNanos() >= last, "arrivals in time order");
            last = p.nextNanos();
            n[(int) (p.nextNanos() / windowNs)]++;
            p.advance();
        }
        return n;
    }

    @Test
    void constantRateIsPoisson() {
        long[] n = counts(new ArrivalSpec.Constant(1000), SEC / 10, 2000);
        double mean = java.util.Arrays.stream(n).average().orElseThrow();
        double var = java.util.Arrays.stream(n).mapToDouble(x -> (x - mean) * (x - mean)).sum() / n.length;
        assertEquals(100, mean, 1.0, "1000/s in 100 ms windows");
        assertEquals(1.0, var / mean, 0.1, "Poisson counts: variance equals the mean");
    }

    @Test
    void stepRatesHoldBetweenSteps() {
        var spec = new ArrivalSpec.Step(List.of(0L, 10 * SEC, 20 * SEC), List.of(500.0, 2000.0, 0.0));
        long[] n = counts(spec, SEC, 30);
        long first = 0;
        long second = 0;
        long third = 0;
        for (int i = 0; i < 10; i++) {
            first += n[i];
            second += n[10 + i];
            third += n[20 + i];
        }
        assertEquals(5000, first, 4 * Math.sqrt(5000));
        assertEquals(20000, second, 4 * Math.sqrt(20000));
        assertEquals(0, third, "a final rate of 0 ends the arrivals");
    }

    @Test
    void diurnalRisesToItsPeakAtHalfThePeriodAndFallsBack() {
        var spec = new ArrivalSpec.Diurnal(200, 1800, 100 * SEC);
        long[] n = counts(spec, 10 * SEC, 10);
        for (int w = 0; w < 10; w++) {
            // Integral of min + (peak − min)(1 − cos 2πt/P)/2 over the window.
            double a = w * 10.0;
            double b = a + 10;
            double expected = 200 * 10 + 1600 * (10 / 2.0 - 100 / (4 * Math.PI) * (Math.sin(2 * Math.PI * b / 100)
                    - Math.sin(2 * Math.PI * a / 100)));
            assertEquals(expected, n[w], 4 * Math.sqrt(expected) + 1, "window " + w);
        }
        assertTrue(n[4] > 5 * n[0] && n[5] > 5 * n[9], "peak in the middle");
    }

    @Test
    void burstyAlternatesAndAveragesTheTwoRates() {
        // Off (100/s) for 2 s on average, on (1000/s) for 0.5 s: long-run mean 280/s, far from Poisson.
        var spec = new ArrivalSpec.Bursty(100, 1000, 2 * SEC, SEC / 2);
        long[] n = counts(spec, SEC / 10, 100_000);
        double mean = java.util.Arrays.stream(n).average().orElseThrow() * 10;
        double m = mean / 10;
        double var = java.util.Arrays.stream(n).mapToDouble(x -> (x - m) * (x - m)).sum() / n.length;
        assertEquals(280, mean, 15, "long-run rate");
        assertTrue(var / m > 5, "bursty: index of dispersion " + var / m);
    }

    @Test
    void paretoOnOffDurationsKeepTheirMeanWithAHeavierTailThanTheExponential() {
        var pareto = new ArrivalSpec.Bursty(100, 1000, SEC, SEC, ArrivalSpec.Bursty.OnOffTail.PARETO, 1.5);
        var lighter = new ArrivalSpec.Bursty(100, 1000, SEC, SEC, ArrivalSpec.Bursty.OnOffTail.PARETO, 3);
        var exponential = new ArrivalSpec.Bursty(100, 1000, SEC, SEC);
        int n = 2_000_000;
        double[] mean = new double[3];
        double[] over5 = new double[3];
        double[] over10 = new double[3];
        ArrivalSpec.Bursty[] specs = {pareto, lighter, exponential};
        for (int k = 0; k < 3; k++) {
            Rng rng = new Rng(11, 5);
            for (int i = 0; i < n; i++) {
                double x = ArrivalProcess.onOffNanos(rng, SEC, specs[k]) / SEC;
                mean[k] += x / n;
                over5[k] += x > 5 ? 1.0 / n : 0;
                over10[k] += x > 10 ? 1.0 / n : 0;
            }
        }
        // α = 1.5 has an infinite variance, so its sample mean converges slowly (as n^(-1/3)); α = 3 closely.
        assertEquals(1.0, mean[0], 0.03, "Pareto 1.5 mean");
        assertEquals(1.0, mean[1], 0.005, "Pareto 3 mean");
        assertEquals(1.0, mean[2], 0.005, "exponential mean");
        // P(X > x) = (x_m/x)^α with x_m = mean·(α − 1)/α: 1.5 gives (1/15)^1.5 = 1.72% over 5 means, 0.61% over 10;
        // the exponential e^-5 = 0.67% and e^-10 = 0.0045%.
        assertEquals(Math.pow(1 / 15.0, 1.5), over5[0], 0.0005);
        assertEquals(Math.pow(1 / 30.0, 1.5), over10[0], 0.0003);
        assertEquals(Math.exp(-5), over5[2], 0.0003);
        assertTrue(over10[0] > 50 * over10[2], "heavier tail: " + over10[0] + " vs " + over10[2]);
    }

    @Test
    void aHeavyTailedSourceAveragesItsRatesBurstsHarderAndIsDeterministicPerSeed() {
        var pareto = new ArrivalSpec.Bursty(100, 1000, 2 * SEC, SEC / 2, ArrivalSpec.Bursty.OnOffTail.PARETO, 1.5);
        long[] n = counts(pareto, 10 * SEC, 2_000);
        long[] e = counts(new ArrivalSpec.Bursty(100, 1000, 2 * SEC, SEC / 2), 10 * SEC, 2_000);
        double mean = java.util.Arrays.stream(n).average().orElseThrow() / 10;
        assertEquals(280, mean, 28, "long-run rate (base 2 s at 100/s, burst 0.5 s at 1000/s)");
        // over 10 s windows the exponential source has averaged out its bursts; the heavy-tailed one has not
        assertTrue(dispersion(n) > 2 * dispersion(e), "index of dispersion " + dispersion(n) + " vs " + dispersion(e));
        ServiceSpec.Request r = request(ServiceSpec.SizeDistribution.EXPONENTIAL, 1);
        ArrivalProcess a = new ArrivalProcess(pareto, r, 7, 0);
        ArrivalProcess b = new ArrivalProcess(pareto, r, 7, 0);
        ArrivalProcess c = new ArrivalProcess(pareto, r, 8, 0);
        boolean differs = false;
        for (int i = 0; i < 10_000; i++) {
            assertEquals(a.nextNanos(), b.nextNanos(), "same seed, same arrivals");
            differs |= a.nextNanos() != c.nextNanos();
            a.advance();
            b.advance();
            c.advance();
        }
        assertTrue(differs, "another seed, other arrivals");
    }

    @Test
    void anExponentialSourcePrintsAsBeforeTheTailExisted() {
        // content keys over a scenario's text (best-static's cache) must not move for an unchanged simulation
        assertEquals("Bursty[baseRatePerSec=100.0, burstRatePerSec=1000.0, meanOffNanos=2000000000, meanOnNanos=500000000]",
                new ArrivalSpec.Bursty(100, 1000, 2 * SEC, SEC / 2).toString());
        assertEquals("Bursty[baseRatePerSec=100.0, burstRatePerSec=1000.0, meanOffNanos=2000000000, meanOnNanos=500000000, "
                + "tail=PARETO, shape=1.5]", new ArrivalSpec.Bursty(100, 1000, 2 * SEC, SEC / 2, ArrivalSpec.Bursty.OnOffTail.PARETO,
                1.5).toString());
    }

    private static double dispersion(long[] n) {
        double m = java.util.Arrays.stream(n).average().orElseThrow();
        return java.util.Arrays.stream(n).mapToDouble(x -> (x - m) * (x - m)).sum() / n.length / m;
    }

    @Test
    void sizesFollowTheirDistribution() {
        for (var d : ServiceSpec.SizeDistribution.values()) {
            ArrivalProcess p = new ArrivalProcess(new ArrivalSpec.Constant(1000), request(d, 2.0), 1, 0);
            double sum = 0;
            double sq = 0;
            int n = 200_000;
            for (int i = 0; i < n; i++) {
                double x = p.nextCycles() / 1e6;
                sum += x;
                sq += x * x;
                p.advance();
            }
            double mean = sum / n;
            double cv = Math.sqrt(sq / n - mean * mean) / mean;
            double expectedCv = switch (d) {
                case EXPONENTIAL -> 1.0;
                case CONSTANT -> 0.0;
                case LOGNORMAL -> 2.0;
            };
            assertEquals(1.0, mean, 0.02, d + " mean");
            assertEquals(expectedCv, cv, 0.1, d + " coefficient of variation");
        }
    }

    @Test
    void traceReplaysTimesAndSizesAndLoops() throws IOException {
        TraceData d = TraceData.read(new BufferedReader(new StringReader("""
                TIMESTAMP,a,b
                2023-11-16 18:15:46.5,1,0
                2023-11-16 18:15:47.5,2,1
                2023-11-16 18:15:48.5,0,1
                """)), "test", "TIMESTAMP", Map.of("a", 1.0, "b", 2.0));
        ArrivalProcess p = new ArrivalProcess(new ArrivalSpec.Trace("test", d, 0.5, true, ArrivalSpec.Trace.Phase.START),
                request(ServiceSpec.SizeDistribution.EXPONENTIAL, 1), 1, 0);
        // Sizes 1, 4, 2 (mean 7/3); times 0, 1, 2 s scaled by 0.5; the loop restarts one mean gap later.
        double[] times = {0, 0.5e9, 1e9, 1.5e9, 2e9};
        double[] sizes = {3.0 / 7, 12.0 / 7, 6.0 / 7, 3.0 / 7, 12.0 / 7};
        for (int i = 0; i < times.length; i++) {
            assertEquals(times[i], p.nextNanos(), 1e-3, "arrival " + i);
            assertEquals(sizes[i] * 1e6, p.nextCycles(), 1e-6, "size " + i);
            p.advance();
        }
    }
}
