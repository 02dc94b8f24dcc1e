package dev.cohort.learn.env;

import dev.cohort.platform.sim.ArrivalSpec;
import dev.cohort.platform.sim.BatchSpec;
import dev.cohort.platform.sim.MachineSpec;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.ServiceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Draws a training variant of a scenario as a {@link Variation} allows, in this order: the machine size (the
 * workloads {@link Resize resized} onto it), the best-effort mix ({@link BatchMix}), then per service a bursty
 * profile in place of its own, its load level and rates, SLO and memory-boundedness; the batch jobs' intensity, the
 * memory bandwidth, the top frequency and the diurnal period and phase. Every draw comes from the generator, and a
 * part of the variation that is off draws nothing, so the variant is a function of the generator's state.
 */
public final class ScenarioSampler {
    /** A swapped-in bursty profile's base load, burst load, mean off and on seconds and Pareto shape: uniform in these. */
    private static final double[] BASE_LOAD = {0.1, 0.4};
    private static final double[] BURST_LOAD = {0.6, 0.95};
    private static final double[] OFF_SECONDS = {1, 4};
    private static final double[] ON_SECONDS = {0.2, 1};
    private static final double[] PARETO_SHAPE = {1.2, 2.5};

    private ScenarioSampler() {
    }

    /** The sizes of {@code v} that {@code base} can be moved onto (all sizes of a one-socket file, when any fit). */
    public static List<MachineSize> sizesFor(Scenario base, Variation v) {
        return v.machineSizes().stream().filter(z -> Resize.fits(base, z)).toList();
    }

    /**
     * A variant of {@code base}; {@code base} itself when {@code v} is {@link Variation#NONE}, or drawn as written
     * (the one draw a share of zero skips, so runs without it draw as before).
     *
     * @throws IllegalArgumentException when {@code v} draws machine sizes and {@code base} fits none of them
     */
    public static Scenario sample(Scenario base, Variation v, RandomGenerator rng) {
        if (v.equals(Variation.NONE) || v.asWrittenShare() > 0 && rng.nextDouble() < v.asWrittenShare()) {
            return base;
        }
        Scenario s = base;
        if (!v.machineSizes().isEmpty()) {
            List<MachineSize> fit = sizesFor(base, v);
            if (fit.isEmpty()) {
                throw new IllegalArgumentException(base.name() + " fits none of the machine sizes " + v.machineSizes());
            }
            s = Resize.to(base, fit.get(rng.nextInt(fit.size())));
        }
        List<BatchSpec> mixed = v.batchMix().varies() ? BatchMix.jobs(s, v.batchMix().draw(rng)) : s.batchJobs();
        MachineSpec m = s.machine();
        MachineSpec.Dvfs d = m.dvfs();
        long maxKhz = d.maxKhz();
        if (v.maxFrequency() > 0) {
            long drawn = Math.round(d.maxKhz() * factor(rng, v.maxFrequency()) / d.stepKhz()) * d.stepKhz();
            maxKhz = Math.max(d.minKhz() + 2 * d.stepKhz(), drawn);
        }
        var dvfs = new MachineSpec.Dvfs(d.minKhz(), maxKhz, d.stepKhz(), d.minVolts(), d.maxVolts(), Math.min(d.kneeKhz(), maxKhz));
        MachineSpec.Memory mem = m.memory();
        var memory = new MachineSpec.Memory(mem.peakGBps() * factor(rng, v.memoryPeak()), mem.coreMaxGBps(),
                mem.idleLatencyNanos(), mem.latencySlope(), mem.rhoMax(), mem.maxLatencyFactor(), mem.lineBytes(), mem.mba());
        var machine = new MachineSpec(m.sockets(), m.coresPerSocket(), m.coresPerFreqDomain(), m.reservedCpus(), dvfs,
                m.power(), memory, m.raplRangeUj(), m.rapl());

        List<ServiceSpec> services = new ArrayList<>();
        for (ServiceSpec sv : s.services()) {
            ServiceSpec.Request q = sv.request();
            var request = new ServiceSpec.Request(q.cycles(), q.llcMisses() * factor(rng, v.requestMemory()), q.mlp(), q.ipc(),
                    q.distribution(), q.cv());
            // the rate at which the service's cores are all busy at the top frequency with unloaded memory
            double fullRate = sv.cpus().size() / (request.serviceNanos(maxKhz, mem.idleLatencyNanos()) * 1e-9);
            ArrivalSpec own = swapped(sv.arrivals(), v, fullRate, rng);
            double level = v.loadScaleMax() > 0 ? rng.nextDouble(v.loadScaleMin(), Math.nextUp(v.loadScaleMax())) : 1;
            double sloFactor = v.sloMax() > 0 ? logUniform(rng, v.sloMin(), v.sloMax()) : factor(rng, v.slo());
            long slo = Math.max(1, Math.round(sv.sloUsec() * sloFactor));
            services.add(new ServiceSpec(sv.name(), sv.cpus(), slo, sv.sloQuantile(), sv.cpuWeight(), sv.quotaUsec(), sv.periodUsec(),
                    sv.maxQueue(), request, arrivals(own, v, level, fullRate * v.maxLoad(), rng)));
        }
        List<BatchSpec> jobs = new ArrayList<>();
        for (BatchSpec b : mixed) {
            jobs.add(new BatchSpec(b.name(), b.cpus(), b.kind(), b.ipc() * factor(rng, v.batch()), b.mpki() * factor(rng, v.batch()),
                    b.mlp(), b.cpuWeight(), b.quotaUsec(), b.periodUsec()));
        }
        return new Scenario(s.name(), s.description(), s.durationNanos(), s.tickNanos(), s.stepNanos(), machine,
                services, jobs, s.origin() + " (varied)");
    }

    /**
     * With probability {@code burstyShare}, a bursty profile in place of a service's rate profile (a trace stays a
     * replay): base and burst loads, mean off and on times drawn from the ranges above, Pareto on/off periods with
     * probability {@code burstyPareto}. Loads are shares of {@code fullRate}.
     */
    private static ArrivalSpec swapped(ArrivalSpec a, Variation v, double fullRate, RandomGenerator rng) {
        if (v.burstyShare() <= 0 || a instanceof ArrivalSpec.Trace || !(rng.nextDouble() < v.burstyShare())) {
            return a;
        }
        double base = uniform(rng, BASE_LOAD) * fullRate;
        double burst = uniform(rng, BURST_LOAD) * fullRate;
        long off = Math.round(uniform(rng, OFF_SECONDS) * 1e9);
        long on = Math.round(uniform(rng, ON_SECONDS) * 1e9);
        boolean pareto = rng.nextDouble() < v.burstyPareto();
        return pareto ? new ArrivalSpec.Bursty(base, burst, off, on, ArrivalSpec.Bursty.OnOffTail.PARETO, uniform(rng, PARETO_SHAPE))
                : new ArrivalSpec.Bursty(base, burst, off, on);
    }

    private static ArrivalSpec arrivals(ArrivalSpec a, Variation v, double level, double capRate, RandomGenerator rng) {
        return switch (a) {
            case ArrivalSpec.Constant c -> new ArrivalSpec.Constant(rate(c.ratePerSec(), v, level, capRate, rng));
            case ArrivalSpec.Step s -> new ArrivalSpec.Step(s.atNanos(), s.ratesPerSec().stream()
                    .map(r -> rate(r, v, level, capRate, rng)).toList());
            case ArrivalSpec.Diurnal dn -> {
                long period = dn.periodNanos();
                if (v.diurnalPeriodMaxSeconds() > 0) {
                    period = Math.round(1e9 * rng.nextDouble(v.diurnalPeriodMinSeconds(),
                            Math.nextUp(v.diurnalPeriodMaxSeconds())));
                }
                var d = new ArrivalSpec.Diurnal(rate(dn.minRatePerSec(), v, level, capRate, rng),
                        rate(dn.peakRatePerSec(), v, level, capRate, rng), Math.max(1_000_000, period));
                yield v.diurnalRandomPhase() ? shifted(d, rng.nextDouble()) : d;
            }
            case ArrivalSpec.Bursty b -> new ArrivalSpec.Bursty(rate(b.baseRatePerSec(), v, level, capRate, rng),
                    rate(b.burstRatePerSec(), v, level, capRate, rng), b.meanOffNanos(), b.meanOnNanos(), b.tail(), b.shape());
            case ArrivalSpec.Trace t -> {
                double scale = t.timeScale() / (factor(rng, v.load()) * level);
                scale = Math.max(scale, t.trace().meanRatePerSec() / capRate);
                yield new ArrivalSpec.Trace(t.source(), t.trace(), scale, t.loop(), t.phase());
            }
        };
    }

    /**
     * The diurnal profile from {@code phase} (0..1) of its cycle on, as half-second steps over two periods (the last
     * step's rate holds after that): at a 60 s period the rate moves at most 2.6% of its range between steps.
     */
    static ArrivalSpec.Step shifted(ArrivalSpec.Diurnal d, double phase) {
        long step = 500_000_000L;
        long n = Math.max(2, 2 * d.periodNanos() / step);
        List<Long> at = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            at.add(i * step);
            rates.add(Math.max(1e-9, d.rateAt(phase * d.periodNanos() + (i + 0.5) * step)));
        }
        return new ArrivalSpec.Step(at, rates);
    }

    /** A rate at its load level and spread, never above the cap unless the file's own rate is. */
    private static double rate(double r, Variation v, double level, double capRate, RandomGenerator rng) {
        return Math.min(r * level * factor(rng, v.load()), Math.max(r, capRate));
    }

    private static double factor(RandomGenerator rng, double spread) {
        return spread <= 0 ? 1 : rng.nextDouble(1 - spread, 1 + spread);
    }

    private static double uniform(RandomGenerator rng, double[] range) {
        return rng.nextDouble(range[0], Math.nextUp(range[1]));
    }

    /** Log-uniform in [lo, hi] (StrictMath: the same bits on every machine, as the simulator's draws). */
    private static double logUniform(RandomGenerator rng, double lo, double hi) {
        if (lo == hi) {
            return lo;
        }
        return Math.min(hi, Math.max(lo, StrictMath.exp(rng.nextDouble(StrictMath.log(lo), StrictMath.log(hi)))));
    }
}
