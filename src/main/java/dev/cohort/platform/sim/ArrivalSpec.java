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

    /** The same profile with every rate multiplied by {@code factor} (a trace replayed that much faster). */
    ArrivalSpec scaled(double factor);

    /** A constant rate. */
    record Constant(double ratePerSec) implements ArrivalSpec {
        @Override
        public double maxRatePerSec() {
            return ratePerSec;
        }

        @Override
        public Constant scaled(double factor) {
            return new Constant(ratePerSec * factor);
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

        @Override
        public Step scaled(double factor) {
            return new Step(atNanos, ratesPerSec.stream().map(r -> r * factor).toList());
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

        @Override
        public Diurnal scaled(double factor) {
            return new Diurnal(minRatePerSec * factor, peakRatePerSec * factor, periodNanos);
        }

        /** The rate at {@code tNanos} after the start. */
        public double rateAt(double tNanos) {
            double turns = (tNanos % periodNanos) / periodNanos;
            return minRatePerSec + (peakRatePerSec - minRatePerSec) * (1 - Rng.cosTurns(turns)) / 2;
        }
    }

    /**
     * On/off modulated Poisson: the base rate for a time with mean {@code meanOffNanos}, then the burst rate for one
     * with mean {@code meanOnNanos}, and so on. The run starts in the base state. With exponential durations this is a
     * two-state Markov-modulated Poisson process (MMPP); with Pareto durations of shape α (mean kept) the on and off
     * periods are heavy-tailed, so long bursts and long lulls happen far more often than the exponential allows (the
     * on/off sources behind self-similar traffic, Willinger et al. 1997).
     *
     * @param tail  how on and off durations are distributed
     * @param shape the Pareto shape α (> 1, so the mean is finite; below 2 the variance is infinite); 0 for exponential
     */
    record Bursty(double baseRatePerSec, double burstRatePerSec, long meanOffNanos, long meanOnNanos, OnOffTail tail,
                  double shape) implements ArrivalSpec {
        /** How the on and off durations are distributed around their means. */
        public enum OnOffTail {
            /** Exponential: the memoryless two-state MMPP. */
            EXPONENTIAL,
            /** Pareto (type I) of shape α with the same mean: x_m = mean·(α − 1)/α, P(X > x) = (x_m/x)^α. */
            PARETO
        }

        public Bursty {
            if (tail == OnOffTail.PARETO && !(shape > 1)) {
                throw new IllegalArgumentException("a Pareto on/off shape must be above 1 (a finite mean), got " + shape);
            }
            if (tail == OnOffTail.EXPONENTIAL) {
                shape = 0;
            }
        }

        /** The exponential (MMPP) source. */
        public Bursty(double baseRatePerSec, double burstRatePerSec, long meanOffNanos, long meanOnNanos) {
            this(baseRatePerSec, burstRatePerSec, meanOffNanos, meanOnNanos, OnOffTail.EXPONENTIAL, 0);
        }

        @Override
        public double maxRatePerSec() {
            return Math.max(baseRatePerSec, burstRatePerSec);
        }

        @Override
        public Bursty scaled(double factor) {
            return new Bursty(baseRatePerSec * factor, burstRatePerSec * factor, meanOffNanos, meanOnNanos, tail, shape);
        }

        /**
         * The record's text; an exponential source prints as it did before the tail existed, so content keys over a
         * scenario's text (best-static's {@code CacheKey}) stay the same for the same simulation.
         */
        @Override
        public String toString() {
            String base = "Bursty[baseRatePerSec=" + baseRatePerSec + ", burstRatePerSec=" + burstRatePerSec + ", meanOffNanos="
                    + meanOffNanos + ", meanOnNanos=" + meanOnNanos;
            return tail == OnOffTail.EXPONENTIAL ? base + "]" : base + ", tail=" + tail + ", shape=" + shape + "]";
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

        @Override
        public Trace scaled(double factor) {
            return new Trace(source, trace, timeScale / factor, loop, phase);
        }
    }
}
