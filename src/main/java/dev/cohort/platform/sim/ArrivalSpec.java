package dev.cohort.platform.sim;

import java.util.List;

/**
 * How requests arrive at a service. Rate profiles are Poisson processes whose rate follows the profile
 * (non-homogeneous Poisson, sampled by thinning); a trace replays recorded arrival times and sizes. Rates
 * are in requests per second, already resolved from the scenario's {@code load} values.
 */
public sealed interface ArrivalSpec {

    /** The highest rate the profile reaches, requests per second. */
    double maxRatePerSec();

    /** A constant rate. */
    record Constant(double ratePerSec) implements ArrivalSpec {
        @Override
        public double maxRatePerSec() {
            return ratePerSec;
        }
    }

    /**
     * A piecewise-constant rate: {@code ratesPerSec.get(i)} from {@code atNanos.get(i)} until the next step.
     * The first step starts at 0.
     */
    record Step(List<Long> atNanos, List<Double> ratesPerSec) implements ArrivalSpec {
        public Step {
            atNanos = List.copyOf(atNanos);
            ratesPerSec = List.copyOf(ratesPerSec);
        }

        @Override
        public double maxRatePerSec() {
            double m = 0;
            for (double r : ratesPerSec) {
                m = Math.max(m, r);
            }
            return m;
        }
    }

    /**
     * A day in miniature: {@code min + (peak − min)·(1 − cos(2πt/period))/2}, so the rate starts at the
     * minimum, peaks at half the period and is back at the minimum after a full period.
     */
    record Diurnal(double minRatePerSec, double peakRatePerSec, long periodNanos) implements ArrivalSpec {
        @Override
        public double maxRatePerSec() {
            return Math.max(minRatePerSec, peakRatePerSec);
        }

        /** The rate at {@code tNanos} after the start. */
        public double rateAt(double tNanos) {
            double turns = (tNanos % periodNanos) / periodNanos;
            return minRatePerSec + (peakRatePerSec - minRatePerSec) * (1 - Rng.cosTurns(turns)) / 2;
        }
    }

    /**
     * On/off modulated Poisson (a two-state Markov-modulated Poisson process): the base rate for an
     * exponentially distributed time with mean {@code meanOffNanos}, then the burst rate for one with mean
     * {@code meanOnNanos}, and so on. The run starts in the base state.
     */
    record Bursty(double baseRatePerSec, double burstRatePerSec, long meanOffNanos, long meanOnNanos)
            implements ArrivalSpec {
        @Override
        public double maxRatePerSec() {
            return Math.max(baseRatePerSec, burstRatePerSec);
        }
    }

    /**
     * Replays a trace: request {@code i} arrives at {@code trace.offsetNanos(i)·timeScale} with size
     * {@code trace.size(i)} times the service's mean request. With {@code loop} the trace starts over when it
     * ends (shifted by its span plus one mean gap); otherwise arrivals stop.
     *
     * @param source    where the trace came from, for messages and provenance
     * @param trace     the parsed trace
     * @param timeScale factor applied to the trace's time offsets (below 1 compresses time)
     * @param loop      whether to replay again when the trace ends
     */
    record Trace(String source, TraceData trace, double timeScale, boolean loop, Phase phase) implements ArrivalSpec {
        /** Where a replay starts: at the trace's first request, or (looping only) at a position the seed picks. */
        public enum Phase { START, SEEDED }

        @Override
        public double maxRatePerSec() {
            return trace.meanRatePerSec() / timeScale;
        }

        /** Mean arrival rate of the replay, requests per second. */
        public double meanRatePerSec() {
            return trace.meanRatePerSec() / timeScale;
        }
    }
}
