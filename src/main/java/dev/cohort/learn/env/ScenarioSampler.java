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
 * Draws a training variant of a scenario: the same machine layout, services and jobs, with loads, latency
 * targets, memory-boundedness, batch intensity, memory bandwidth, top frequency and diurnal period drawn
 * around the file's values as a {@link Variation} allows. Deterministic for the generator's state.
 */
public final class ScenarioSampler {
    private ScenarioSampler() {
    }

    /** A variant of {@code base}; {@code base} itself when {@code v} is {@link Variation#NONE}. */
    public static Scenario sample(Scenario base, Variation v, RandomGenerator rng) {
        if (v.equals(Variation.NONE)) {
            return base;
        }
        MachineSpec m = base.machine();
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
                m.power(), memory, m.raplRangeUj());

        List<ServiceSpec> services = new ArrayList<>();
        for (ServiceSpec s : base.services()) {
            ServiceSpec.Request q = s.request();
            var request = new ServiceSpec.Request(q.cycles(), q.llcMisses() * factor(rng, v.requestMemory()), q.mlp(), q.ipc(),
                    q.distribution(), q.cv());
            // the rate at which the service's cores are all busy at the top frequency with unloaded memory
            double fullRate = s.cpus().size() / (request.serviceNanos(maxKhz, mem.idleLatencyNanos()) * 1e-9);
            long slo = Math.max(1, Math.round(s.sloUsec() * factor(rng, v.slo())));
            services.add(new ServiceSpec(s.name(), s.cpus(), slo, s.sloQuantile(), s.cpuWeight(), s.quotaUsec(), s.periodUsec(),
                    s.maxQueue(), request, arrivals(s.arrivals(), v, fullRate * v.maxLoad(), rng)));
        }
        List<BatchSpec> jobs = new ArrayList<>();
        for (BatchSpec b : base.batchJobs()) {
            jobs.add(new BatchSpec(b.name(), b.cpus(), b.kind(), b.ipc() * factor(rng, v.batch()), b.mpki() * factor(rng, v.batch()),
                    b.mlp(), b.cpuWeight(), b.quotaUsec(), b.periodUsec()));
        }
        return new Scenario(base.name(), base.description(), base.durationNanos(), base.tickNanos(), base.stepNanos(), machine,
                services, jobs, base.origin() + " (varied)");
    }

    private static ArrivalSpec arrivals(ArrivalSpec a, Variation v, double capRate, RandomGenerator rng) {
        return switch (a) {
            case ArrivalSpec.Constant c -> new ArrivalSpec.Constant(rate(c.ratePerSec(), v, capRate, rng));
            case ArrivalSpec.Step s -> new ArrivalSpec.Step(s.atNanos(), s.ratesPerSec().stream()
                    .map(r -> rate(r, v, capRate, rng)).toList());
            case ArrivalSpec.Diurnal dn -> {
                long period = dn.periodNanos();
                if (v.diurnalPeriodMaxSeconds() > 0) {
                    period = Math.round(1e9 * rng.nextDouble(v.diurnalPeriodMinSeconds(),
                            Math.nextUp(v.diurnalPeriodMaxSeconds())));
                }
                var d = new ArrivalSpec.Diurnal(rate(dn.minRatePerSec(), v, capRate, rng), rate(dn.peakRatePerSec(), v, capRate, rng),
                        Math.max(1_000_000, period));
                yield v.diurnalRandomPhase() ? shifted(d, rng.nextDouble()) : d;
            }
            case ArrivalSpec.Bursty b -> new ArrivalSpec.Bursty(rate(b.baseRatePerSec(), v, capRate, rng),
                    rate(b.burstRatePerSec(), v, capRate, rng), b.meanOffNanos(), b.meanOnNanos());
            case ArrivalSpec.Trace t -> {
                double scale = t.timeScale() / factor(rng, v.load());
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

    private static double rate(double r, Variation v, double capRate, RandomGenerator rng) {
        return Math.min(r * factor(rng, v.load()), Math.max(r, capRate)); // never above the cap unless the file is
    }

    private static double factor(RandomGenerator rng, double spread) {
        return spread <= 0 ? 1 : rng.nextDouble(1 - spread, 1 + spread);
    }
}
