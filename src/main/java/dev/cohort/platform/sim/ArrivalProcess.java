package dev.cohort.platform.sim;

/**
 * Generates one service's arrivals in time order: the next arrival's time (absolute simulated ns) and size
 * (compute cycles). Rate profiles are sampled exactly by thinning a Poisson process at the profile's top
 * rate (a constant profile accepts every candidate, so it is a plain Poisson process); traces are replayed.
 * Times and sizes come from separate random streams, so changing the size distribution does not move the
 * arrivals. No allocation after construction.
 */
final class ArrivalProcess {
    private final ArrivalSpec spec;
    private final ServiceSpec.Request request;
    private final Rng timeRng;
    private final Rng sizeRng;
    private final Rng stateRng;
    private final double maxRatePerNano;
    private final double lognormalSigma;
    private final long[] stepAtNanos;
    private final double[] stepRatesPerSec;
    // Bursty state.
    private boolean burst;
    private double switchAtNanos;
    // Trace replay position.
    private int traceIndex;
    private long traceLoop;
    /** Where a looping replay starts (seeded), and that arrival's offset, so each seed replays another phase. */
    private int traceStart;
    private long traceStartNanos;
    private double candidateNanos;
    private double nextNanos;
    private double nextCycles;

    ArrivalProcess(ArrivalSpec spec, ServiceSpec.Request request, long seed, int service) {
        this.spec = spec;
        this.request = request;
        this.timeRng = new Rng(seed, 3L * service);
        this.sizeRng = new Rng(seed, 3L * service + 1);
        this.stateRng = new Rng(seed, 3L * service + 2);
        this.maxRatePerNano = spec.maxRatePerSec() / 1e9;
        double cv = request.cv();
        this.lognormalSigma = Math.sqrt(StrictMath.log(1 + cv * cv));
        if (spec instanceof ArrivalSpec.Step st) {
            stepAtNanos = st.atNanos().stream().mapToLong(Long::longValue).toArray();
            stepRatesPerSec = st.ratesPerSec().stream().mapToDouble(Double::doubleValue).toArray();
        } else {
            stepAtNanos = new long[0];
            stepRatesPerSec = new double[0];
        }
        if (spec instanceof ArrivalSpec.Bursty b) {
            switchAtNanos = onOffNanos(stateRng, b.meanOffNanos(), b);
        }
        if (spec instanceof ArrivalSpec.Trace tr && tr.phase() == ArrivalSpec.Trace.Phase.SEEDED && tr.trace().count() > 1) {
            traceStart = (int) Math.floorMod(stateRng.nextLong(), (long) tr.trace().count());
            traceStartNanos = tr.trace().offsetNanos(traceStart);
            traceIndex = traceStart;
        }
        advance();
    }

    /** Takes {@code other}'s random streams and position, a process of the same service (a snapshot or its restore). */
    void copyFrom(ArrivalProcess other) {
        timeRng.copyFrom(other.timeRng);
        sizeRng.copyFrom(other.sizeRng);
        stateRng.copyFrom(other.stateRng);
        burst = other.burst;
        switchAtNanos = other.switchAtNanos;
        traceIndex = other.traceIndex;
        traceLoop = other.traceLoop;
        traceStart = other.traceStart;
        traceStartNanos = other.traceStartNanos;
        candidateNanos = other.candidateNanos;
        nextNanos = other.nextNanos;
        nextCycles = other.nextCycles;
    }

    /**
     * Draws every arrival after the next one (times, sizes, on/off switches after the pending one) from another point
     * of its streams, set by {@code salt}: the same process, another future. A trace's times stay the trace's.
     */
    void reseed(long salt) {
        timeRng.reseed(salt);
        sizeRng.reseed(salt ^ 0x5DEECE66DL);
        stateRng.reseed(salt ^ 0xB5297A4DL);
    }

    /** Time of the next arrival, absolute ns; infinity when there are no more. */
    double nextNanos() {
        return nextNanos;
    }

    /** Size of the next arrival, compute cycles. */
    double nextCycles() {
        return nextCycles;
    }

    /** Moves on to the arrival after the current one. */
    void advance() {
        if (spec instanceof ArrivalSpec.Trace tr) {
            nextTrace(tr);
            return;
        }
        if (maxRatePerNano <= 0) {
            nextNanos = Double.POSITIVE_INFINITY;
            return;
        }
        if (stepAtNanos.length > 0) {
            nextStep();
            return;
        }
        // Thinning (Lewis & Shedler): candidates at the top rate, each kept with probability rate(t)/top.
        while (true) {
            candidateNanos += timeRng.nextExponential() / maxRatePerNano;
            double rate = rateAt(candidateNanos) / 1e9;
            if (rate >= maxRatePerNano || timeRng.nextDouble() * maxRatePerNano < rate) {
                break;
            }
        }
        nextNanos = candidateNanos;
        nextCycles = request.cycles() * sizeFactor();
    }

    /**
     * A piecewise-constant rate, sampled exactly: an exponential gap at the current rate, restarted at the
     * next step if it would cross one (the exponential is memoryless). A final rate of 0 ends the arrivals.
     */
    private void nextStep() {
        double t = candidateNanos;
        while (true) {
            int i = 0;
            while (i + 1 < stepAtNanos.length && stepAtNanos[i + 1] <= t) {
                i++;
            }
            double end = i + 1 < stepAtNanos.length ? stepAtNanos[i + 1] : Double.POSITIVE_INFINITY;
            double rate = stepRatesPerSec[i] / 1e9;
            if (rate > 0) {
                double next = t + timeRng.nextExponential() / rate;
                if (next < end) {
                    t = next;
                    break;
                }
            }
            if (end == Double.POSITIVE_INFINITY) {
                nextNanos = Double.POSITIVE_INFINITY;
                return;
            }
            t = end;
        }
        candidateNanos = t;
        nextNanos = t;
        nextCycles = request.cycles() * sizeFactor();
    }

    private double sizeFactor() {
        return switch (request.distribution()) {
            case EXPONENTIAL -> sizeRng.nextExponential();
            case CONSTANT -> 1.0;
            case LOGNORMAL -> StrictMath.exp(lognormalSigma * sizeRng.nextGaussian() - lognormalSigma * lognormalSigma / 2);
        };
    }

    /** The profile's rate at {@code t} ns, requests per second. */
    private double rateAt(double t) {
        return switch (spec) {
            case ArrivalSpec.Constant c -> c.ratePerSec();
            case ArrivalSpec.Step s -> {
                int i = 0;
                while (i + 1 < stepAtNanos.length && stepAtNanos[i + 1] <= t) {
                    i++;
                }
                yield stepRatesPerSec[i];
            }
            case ArrivalSpec.Diurnal d -> d.rateAt(t);
            case ArrivalSpec.Bursty b -> {
                while (t >= switchAtNanos) {
                    burst = !burst;
                    switchAtNanos += onOffNanos(stateRng, burst ? b.meanOnNanos() : b.meanOffNanos(), b);
                }
                yield burst ? b.burstRatePerSec() : b.baseRatePerSec();
            }
            case ArrivalSpec.Trace tr -> tr.meanRatePerSec();
        };
    }

    /**
     * One on or off period of a bursty source with mean {@code meanNanos}: exponential, or Pareto of shape α with the same
     * mean, drawn as {@code x_m·e^(E/α)} with E exponential of mean 1 (inverse transform: e^(E/α) = U^(−1/α)) and
     * {@code x_m = mean·(α − 1)/α}. Package-private for testing.
     */
    static double onOffNanos(Rng rng, double meanNanos, ArrivalSpec.Bursty b) {
        double e = rng.nextExponential();
        if (b.tail() == ArrivalSpec.Bursty.OnOffTail.EXPONENTIAL) {
            return meanNanos * e;
        }
        double a = b.shape();
        return meanNanos * (a - 1) / a * StrictMath.exp(e / a);
    }

    private void nextTrace(ArrivalSpec.Trace tr) {
        TraceData d = tr.trace();
        if (traceIndex == d.count()) {
            if (!tr.loop()) {
                nextNanos = Double.POSITIVE_INFINITY;
                return;
            }
            traceIndex = 0;
            traceLoop++;
        }
        // One loop of the replay lasts the trace's span plus one mean gap, so the seam looks like the rest.
        // A looping replay starts at a seeded position; the loop counter then moves past the seam at the end.
        double gap = d.count() > 1 ? (double) d.spanNanos() / (d.count() - 1) : 1e9;
        double loopNanos = d.spanNanos() + gap;
        nextNanos = (traceLoop * loopNanos + d.offsetNanos(traceIndex) - traceStartNanos) * tr.timeScale();
        nextCycles = request.cycles() * d.size(traceIndex);
        traceIndex++;
    }
}
