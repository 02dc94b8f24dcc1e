package dev.cohort.platform.sim;

import java.util.List;

/**
 * The simulated machine's state and its step. Everything is in primitive arrays indexed by CPU, frequency
 * domain, socket or cgroup (services first, then batch jobs); a step allocates nothing. One step:
 * <ol>
 *   <li>batch jobs whose CPU quota is spent are throttled for the step;</li>
 *   <li>each socket's loaded memory latency is solved from the expected memory users ({@link MemoryModel});</li>
 *   <li>each core's speed follows from its frequency, that latency, MBA and CFS sharing;</li>
 *   <li>each service runs its event loop ({@link ServiceModel});</li>
 *   <li>each batch job runs on what CPU time is left, within its quota;</li>
 *   <li>counters, power and energy are charged ({@link PowerModel});</li>
 *   <li>a package with a power limit moves its frequency ceiling ({@link PowerLimiter}).</li>
 * </ol>
 * Not thread-safe.
 */
final class Engine {
    final Scenario scenario;
    final MachineSpec machine;
    final int cpuCount;
    final int sockets;
    final int domains;
    final long stepNanos;
    final int serviceCount;
    final int cgroupCount;

    // Per CPU layout.
    final int[] cpuDomain;
    final int[] cpuSocket;
    final int[] cpuService;
    final int[] cpuSlot;
    final int[] cpuBatch;

    // Per frequency domain: knobs, the frequency they ask for and the running frequency (under any power limit).
    final long[] freqMaxKhz;
    final long[] freqMinKhz;
    final long[] policyKhz;
    final long[] freqKhz;
    private final int[] domainSocket;
    private final long[] levelsKhz;
    final double[] ghz;
    final double[] volts;

    // Per socket.
    final int[] mbaPercent;
    final MemoryModel[] memory;

    // Per cgroup.
    final int[] cpuWeight;
    final CpuMax[] cpuMax;
    final ServiceModel[] services;
    final BatchSpec[] batchSpecs;
    final CfsBandwidth[] batchQuota;
    private final boolean[] batchRunnable;
    private final int[][] batchCpus;
    /** CPU time each batch job used in the last step, ns (what its quota was charged). */
    final double[] batchStepCpuNanos;

    // Per CPU step scratch.
    private final double[] lcRate;
    private final double[] batchRate;
    private final double[] lcCpuNanos;
    private final double[] batchCpuNanos;

    final Counters counters;
    final PowerModel power;
    final PowerLimiter limiter;
    long nowNanos;
    long steps;

    Engine(Scenario scenario, long seed) {
        this.scenario = scenario;
        this.machine = scenario.machine();
        this.cpuCount = machine.cpuCount();
        this.sockets = machine.sockets();
        this.domains = machine.frequencyDomainCount();
        this.stepNanos = scenario.stepNanos();
        this.serviceCount = scenario.services().size();
        this.cgroupCount = scenario.cgroupCount();
        cpuDomain = new int[cpuCount];
        cpuSocket = new int[cpuCount];
        cpuService = new int[cpuCount];
        cpuSlot = new int[cpuCount];
        cpuBatch = new int[cpuCount];
        java.util.Arrays.fill(cpuService, -1);
        java.util.Arrays.fill(cpuBatch, -1);
        for (int c = 0; c < cpuCount; c++) {
            cpuDomain[c] = c / machine.coresPerFreqDomain();
            cpuSocket[c] = c / machine.coresPerSocket();
        }
        List<Long> levels = machine.dvfs().levelsKhz();
        levelsKhz = levels.stream().mapToLong(Long::longValue).toArray();
        freqMaxKhz = new long[domains];
        freqMinKhz = new long[domains];
        policyKhz = new long[domains];
        freqKhz = new long[domains];
        domainSocket = new int[domains];
        limiter = new PowerLimiter(sockets, levelsKhz.length);
        ghz = new double[cpuCount];
        volts = new double[cpuCount];
        for (int d = 0; d < domains; d++) {
            freqMaxKhz[d] = machine.dvfs().maxKhz();
            freqMinKhz[d] = machine.dvfs().minKhz();
            domainSocket[d] = d * machine.coresPerFreqDomain() / machine.coresPerSocket();
            applyFrequency(d);
        }
        mbaPercent = new int[sockets];
        memory = new MemoryModel[sockets];
        for (int s = 0; s < sockets; s++) {
            mbaPercent[s] = machine.memory().mba().max();
            memory[s] = new MemoryModel(machine.memory(), 2 * machine.coresPerSocket());
        }
        cpuWeight = new int[cgroupCount];
        cpuMax = new CpuMax[cgroupCount];
        services = new ServiceModel[serviceCount];
        for (int i = 0; i < serviceCount; i++) {
            ServiceSpec s = scenario.services().get(i);
            int[] cpus = s.cpus().toArray();
            for (int k = 0; k < cpus.length; k++) {
                cpuService[cpus[k]] = i;
                cpuSlot[cpus[k]] = k;
            }
            services[i] = new ServiceModel(s, cpus, new ArrivalProcess(s.arrivals(), s.request(), seed, i));
            cpuWeight[i] = s.cpuWeight();
            setCpuMax(i, new CpuMax(s.quotaUsec(), s.periodUsec()));
        }
        int jobs = scenario.batchJobs().size();
        batchSpecs = scenario.batchJobs().toArray(new BatchSpec[0]);
        batchQuota = new CfsBandwidth[jobs];
        batchRunnable = new boolean[jobs];
        batchCpus = new int[jobs][];
        batchStepCpuNanos = new double[jobs];
        for (int j = 0; j < jobs; j++) {
            BatchSpec b = batchSpecs[j];
            batchCpus[j] = b.cpus().toArray();
            for (int c : batchCpus[j]) {
                cpuBatch[c] = j;
            }
            batchQuota[j] = new CfsBandwidth();
            cpuWeight[serviceCount + j] = b.cpuWeight();
            setCpuMax(serviceCount + j, new CpuMax(b.quotaUsec(), b.periodUsec()));
        }
        lcRate = new double[cpuCount];
        batchRate = new double[cpuCount];
        lcCpuNanos = new double[cpuCount];
        batchCpuNanos = new double[cpuCount];
        counters = new Counters(cpuCount, sockets, cgroupCount);
        power = new PowerModel(machine, cpuCount, sockets);
    }

    /**
     * Takes every piece of {@code o}'s changing state, an engine of the same scenario: knobs and running frequencies,
     * memory models, services (with their queues and random streams), batch quotas, the last step's per-CPU figures
     * (the next step starts from them), counters, power and the clock. What follows from the scenario alone (the CPU
     * layout, the frequency levels, the specs) is the same in both and not copied. Allocates nothing unless a
     * service's queue capacity differs.
     */
    void copyFrom(Engine o) {
        System.arraycopy(o.freqMaxKhz, 0, freqMaxKhz, 0, domains);
        System.arraycopy(o.freqMinKhz, 0, freqMinKhz, 0, domains);
        System.arraycopy(o.policyKhz, 0, policyKhz, 0, domains);
        System.arraycopy(o.freqKhz, 0, freqKhz, 0, domains);
        limiter.copyFrom(o.limiter);
        System.arraycopy(o.ghz, 0, ghz, 0, cpuCount);
        System.arraycopy(o.volts, 0, volts, 0, cpuCount);
        System.arraycopy(o.mbaPercent, 0, mbaPercent, 0, sockets);
        for (int s = 0; s < sockets; s++) {
            memory[s].copyFrom(o.memory[s]);
        }
        System.arraycopy(o.cpuWeight, 0, cpuWeight, 0, cgroupCount);
        System.arraycopy(o.cpuMax, 0, cpuMax, 0, cgroupCount); // CpuMax is an immutable record
        for (int i = 0; i < serviceCount; i++) {
            services[i].copyFrom(o.services[i]);
        }
        for (int j = 0; j < batchQuota.length; j++) {
            batchQuota[j].copyFrom(o.batchQuota[j]);
        }
        System.arraycopy(o.batchRunnable, 0, batchRunnable, 0, batchRunnable.length);
        System.arraycopy(o.batchStepCpuNanos, 0, batchStepCpuNanos, 0, batchStepCpuNanos.length);
        System.arraycopy(o.lcRate, 0, lcRate, 0, cpuCount);
        System.arraycopy(o.batchRate, 0, batchRate, 0, cpuCount);
        System.arraycopy(o.lcCpuNanos, 0, lcCpuNanos, 0, cpuCount);
        System.arraycopy(o.batchCpuNanos, 0, batchCpuNanos, 0, cpuCount);
        counters.copyFrom(o.counters);
        power.copyFrom(o.power);
        nowNanos = o.nowNanos;
        steps = o.steps;
    }

    /** Another future for every service's arrivals, from {@code salt} ({@link ArrivalProcess#reseed}). */
    void reseedArrivals(long salt) {
        for (int i = 0; i < services.length; i++) {
            services[i].reseedArrivals(salt + i);
        }
    }

    /** The quota state of cgroup {@code g}. */
    CfsBandwidth quota(int g) {
        return g < serviceCount ? services[g].quota : batchQuota[g - serviceCount];
    }

    /** Sets cgroup {@code g}'s cpu.max; a new period starts now. */
    void setCpuMax(int g, CpuMax max) {
        cpuMax[g] = max;
        quota(g).set(max, nowNanos);
    }

    /**
     * Re-derives domain {@code d}'s running frequency from its limits (the governor runs at the cap), under its
     * package's power-limit ceiling.
     */
    void applyFrequency(int d) {
        long max = snapDown(freqMaxKhz[d]);
        long min = Math.min(snapUp(freqMinKhz[d]), max);
        long f = Math.max(min, max);
        policyKhz[d] = f;
        f = Math.min(f, levelsKhz[limiter.ceilingLevel[domainSocket[d]]]);
        freqKhz[d] = f;
        double g = f / 1e6;
        double v = machine.dvfs().volts(f);
        for (int c = d * machine.coresPerFreqDomain(); c < Math.min(cpuCount, (d + 1) * machine.coresPerFreqDomain()); c++) {
            ghz[c] = g;
            volts[c] = v;
        }
    }

    /** The highest level at or below {@code khz} (the lowest level if none is). */
    long snapDown(long khz) {
        long best = levelsKhz[0];
        for (long l : levelsKhz) {
            if (l <= khz) {
                best = l;
            }
        }
        return best;
    }

    /** The lowest level at or above {@code khz} (the highest level if none is). */
    long snapUp(long khz) {
        for (long l : levelsKhz) {
            if (l >= khz) {
                return l;
            }
        }
        return levelsKhz[levelsKhz.length - 1];
    }

    /** Runs {@code n} steps. */
    void run(long n) {
        for (long i = 0; i < n; i++) {
            step();
        }
    }

    private void step() {
        long t0 = nowNanos;
        long t1 = t0 + stepNanos;
        MachineSpec.Memory mem = machine.memory();
        for (int j = 0; j < batchQuota.length; j++) {
            batchQuota[j].rollTo(t0);
            batchRunnable[j] = !batchQuota[j].exhausted();
        }
        solveMemory();
        // Core speeds for this step.
        for (int c = 0; c < cpuCount; c++) {
            double lat = memory[cpuSocket[c]].latencyNanos();
            int j = cpuBatch[c];
            if (j >= 0) {
                BatchSpec b = batchSpecs[j];
                double cap = mem.coreMaxGBps() * mbaPercent[cpuSocket[c]] / 100.0;
                batchRate[c] = MemoryModel.cyclesPerNano(ghz[c], b.missesPerCycle(), b.mlp(), lat, cap, mem.lineBytes());
            }
            int s = cpuService[c];
            if (s >= 0) {
                ServiceSpec.Request r = scenario.services().get(s).request();
                lcRate[c] = MemoryModel.cyclesPerNano(ghz[c], r.missesPerCycle(), r.mlp(), lat, mem.coreMaxGBps(), mem.lineBytes());
                double share = 1.0;
                if (j >= 0 && batchRunnable[j]) {
                    share = (double) cpuWeight[s] / (cpuWeight[s] + cpuWeight[serviceCount + j]);
                }
                ServiceModel sm = services[s];
                sm.share[cpuSlot[c]] = share;
                sm.speed[cpuSlot[c]] = share * lcRate[c];
            }
        }
        for (ServiceModel sm : services) {
            sm.step(t0, t1);
            for (int k = 0; k < sm.cores; k++) {
                lcCpuNanos[sm.cpus[k]] = sm.runNanos[k] * sm.share[k];
            }
        }
        runBatch(t0, t1);
        counters.charge(this, lcRate, batchRate, lcCpuNanos, batchCpuNanos);
        power.charge(this, counters);
        for (int s = 0; s < sockets; s++) {
            if (limiter.limited(s) && limiter.control(s, power.packageWatts[s], wattsOneLevelUp(s), stepNanos, levelsKhz.length - 1)) {
                applySocketFrequencies(s);
            }
        }
        nowNanos = t1;
        steps++;
    }

    /**
     * Sets package {@code s}'s power limit (NaN: none) and its window, and applies the ceiling that results.
     */
    void setPowerLimit(int s, double watts, long windowUsec) {
        limiter.set(s, watts, windowUsec, power.packageWatts[s], levelsKhz.length - 1);
        applySocketFrequencies(s);
    }

    private void applySocketFrequencies(int s) {
        for (int d = 0; d < domains; d++) {
            if (domainSocket[d] == s) {
                applyFrequency(d);
            }
        }
    }

    /**
     * Package {@code s}'s power in the last step had its frequency ceiling been one level higher: each core's dynamic
     * power scaled by {@code V²·f} of the frequency it would run at, its leakage by {@code V}.
     */
    private double wattsOneLevelUp(int s) {
        int up = limiter.ceilingLevel[s] + 1;
        if (up >= levelsKhz.length) {
            return power.packageWatts[s];
        }
        double leak = machine.power().staticWattsPerVolt();
        double watts = power.packageWatts[s];
        int first = s * machine.coresPerSocket();
        for (int c = first; c < Math.min(cpuCount, first + machine.coresPerSocket()); c++) {
            long f = Math.min(policyKhz[cpuDomain[c]], levelsKhz[up]);
            double v = machine.dvfs().volts(f);
            double scale = (v * v * f / 1e6) / (volts[c] * volts[c] * ghz[c]);
            watts += power.coreDynamicWatts[c] * (scale - 1) + leak * (v - volts[c]);
        }
        return watts;
    }

    /** Registers this step's expected memory users with each socket and solves for its latency. */
    private void solveMemory() {
        MachineSpec.Memory mem = machine.memory();
        for (MemoryModel m : memory) {
            m.clear();
        }
        double dt = stepNanos;
        for (int c = 0; c < cpuCount; c++) {
            MemoryModel m = memory[cpuSocket[c]];
            int s = cpuService[c];
            double lcShareLast = lcCpuNanos[c] / dt;
            if (s >= 0) {
                ServiceSpec.Request r = scenario.services().get(s).request();
                m.add(lcShareLast, ghz[c], r.missesPerCycle(), r.mlp(), mem.coreMaxGBps());
            }
            int j = cpuBatch[c];
            if (j >= 0 && batchRunnable[j]) {
                BatchSpec b = batchSpecs[j];
                m.add(1.0 - lcShareLast, ghz[c], b.missesPerCycle(), b.mlp(),
                        mem.coreMaxGBps() * mbaPercent[cpuSocket[c]] / 100.0);
            }
        }
        for (MemoryModel m : memory) {
            m.solve();
        }
    }

    /** Gives each batch job the CPU time its services leave, within its quota. */
    private void runBatch(long t0, long t1) {
        double dt = t1 - t0;
        for (int c = 0; c < cpuCount; c++) {
            batchCpuNanos[c] = 0;
        }
        for (int j = 0; j < batchSpecs.length; j++) {
            int[] cpus = batchCpus[j];
            double want = 0;
            for (int c : cpus) {
                want += dt - lcCpuNanos[c];
            }
            double used = batchQuota[j].consume(t0, t1, want);
            batchStepCpuNanos[j] = used;
            double fraction = want > 0 ? used / want : 0;
            for (int c : cpus) {
                batchCpuNanos[c] = fraction * (dt - lcCpuNanos[c]);
            }
        }
    }

    /** Instructions per second of batch job {@code j} alone at the top frequency, unthrottled, unloaded memory. */
    double nominalInstructionsPerSec(int j) {
        return batchSpecs[j].nominalInstructionsPerSec(machine);
    }
}
