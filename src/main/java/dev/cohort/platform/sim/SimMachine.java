package dev.cohort.platform.sim;

import dev.cohort.platform.Capabilities;
import dev.cohort.platform.CohortException;
import dev.cohort.platform.ControlPlan;
import dev.cohort.platform.EnergyCounter;
import dev.cohort.platform.Knob;
import dev.cohort.platform.KnobKeeper;
import dev.cohort.platform.LatencyHistogram;
import dev.cohort.platform.Platform;
import dev.cohort.platform.RestoreReport;
import dev.cohort.platform.Setting;
import dev.cohort.platform.SettingResult;
import dev.cohort.platform.Signal;
import dev.cohort.platform.StateStore;
import dev.cohort.platform.Telemetry;
import dev.cohort.platform.Topology;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulated machine behind the {@link Platform} interface: a scenario's hardware and workloads, run
 * forward by {@link #advance} in whole internal steps, read by {@link #sample} and controlled by
 * {@link #apply} through a {@link KnobKeeper}, exactly as the Linux backend is. Deterministic for a given
 * scenario and seed. The model is described in {@code docs/simulator.md}. Not thread-safe.
 */
public final class SimMachine implements Platform {
    private final Scenario scenario;
    private final Engine engine;
    private final Topology topology;
    private final Capabilities capabilities;
    private final SimKnobs io;
    private final KnobKeeper keeper;
    private final long[] raplOffsetUj;
    private final EnergyCounter[] packageCounters;
    private final EnergyCounter[] dramCounters;

    /** A machine for {@code scenario} whose randomness comes from {@code seed}, saving knobs in memory. */
    public SimMachine(Scenario scenario, long seed) {
        this(scenario, seed, StateStore.inMemory());
    }

    /** A machine for {@code scenario} whose randomness comes from {@code seed}, saving knobs in {@code store}. */
    public SimMachine(Scenario scenario, long seed, StateStore store) {
        this.scenario = scenario;
        this.engine = new Engine(scenario, seed);
        this.topology = SimTopology.of(scenario);
        this.capabilities = SimTopology.capabilities(scenario.machine().rapl());
        this.io = new SimKnobs(engine);
        try {
            this.keeper = new KnobKeeper(io, store);
        } catch (IOException e) {
            throw new CohortException("simulated machine: cannot read the knob state in " + store.location() + ": "
                    + e.getMessage(), e);
        }
        int sockets = scenario.machine().sockets();
        long range = scenario.machine().raplRangeUj();
        raplOffsetUj = new long[2 * sockets];
        packageCounters = new EnergyCounter[sockets];
        dramCounters = new EnergyCounter[sockets];
        // Real counters start anywhere in their range; so do these (seeded), and the first reading is the origin.
        Rng rng = new Rng(seed, -1);
        for (int p = 0; p < sockets; p++) {
            raplOffsetUj[2 * p] = Math.floorMod(rng.nextLong(), range);
            raplOffsetUj[2 * p + 1] = Math.floorMod(rng.nextLong(), range);
            packageCounters[p] = new EnergyCounter(range);
            dramCounters[p] = new EnergyCounter(range);
            packageCounters[p].update(rawPackageUj(p));
            dramCounters[p].update(rawDramUj(p));
        }
    }

    @Override
    public String name() {
        return "sim";
    }

    @Override
    public Topology topology() {
        return topology;
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    /** The scenario this machine runs. */
    public Scenario scenario() {
        return scenario;
    }

    /**
     * Runs the model forward by exactly {@code nanos} of simulated time.
     *
     * @throws IllegalArgumentException when {@code nanos} is negative or not a whole number of internal steps
     */
    public void advance(long nanos) {
        long step = scenario.stepNanos();
        if (nanos < 0 || nanos % step != 0) {
            throw new IllegalArgumentException("SimMachine.advance(): " + nanos + " ns is not a whole number of "
                    + step + " ns steps");
        }
        engine.run(nanos / step);
    }

    /** Simulated monotonic time, ns since the start; {@link #sample} timestamps use it. */
    public long nowNanos() {
        return engine.nowNanos;
    }

    /** Internal steps taken so far (core-steps = steps × CPUs). */
    public long stepsTaken() {
        return engine.steps;
    }

    /** Exact model energy of all packages so far (PKG domain, excluding DRAM), J. */
    public double trueEnergyJoules() {
        return engine.power.totalPackageJoules();
    }

    /** Exact model energy of package {@code pkg} so far (PKG domain, excluding DRAM), J: the truth behind RAPL, shown or not. */
    public double trueEnergyJoules(int pkg) {
        return engine.power.packageJoules[pkg];
    }

    /**
     * Exact model energy of CPU {@code cpu}'s core so far (its dynamic and static power, not the package's idle and
     * uncore parts), J. No hardware counter measures this: training uses it to credit each frequency domain's agent
     * with the energy its own level spent.
     */
    public double coreEnergyJoules(int cpu) {
        return engine.power.coreJoules[cpu];
    }

    /** Model power of package {@code pkg} in the last step, W. */
    public double packageWattsNow(int pkg) {
        return engine.power.packageWatts[pkg];
    }

    /** The most power the packages can draw (all cores busy at the top frequency, memory at peak), W: the TDP stand-in. */
    public double peakPackageWatts() {
        return PowerModel.peakPackageWatts(scenario.machine());
    }

    /** The least power the packages draw (every core idle at the lowest frequency, no memory traffic), W. */
    public double idlePackageWatts() {
        return PowerModel.idlePackageWatts(scenario.machine());
    }

    /** Sustained peak bandwidth of one memory domain (socket), bytes per second. */
    public double memPeakBytesPerSec() {
        return scenario.machine().memory().peakGBps() * 1e9;
    }

    /** The frequency package {@code pkg}'s power limit lets its cores run at now, kHz (the top level with no limit). */
    public long powerLimitCeilingKhz(int pkg) {
        return scenario.machine().dvfs().levelsKhz().get(engine.limiter.ceilingLevel[pkg]);
    }

    /** Model DRAM power of package {@code pkg} in the last step, W. */
    public double dramWattsNow(int pkg) {
        return engine.power.dramWatts[pkg];
    }

    /**
     * The machine's whole state at one moment: the engine's (knobs, frequencies, memory, every service's requests,
     * queue, quota, histogram and random streams, batch quotas, counters, power, clock), the RAPL registers and their
     * unwrapping counters, and the knob keeper's saved originals. Immutable to callers: {@link #restore} copies from
     * it and never changes it, so one snapshot may be restored any number of times, into this machine or another
     * machine of the same scenario. Deep copies of primitive arrays, no serialisation.
     */
    public static final class Snapshot {
        private final Scenario scenario;
        private final Engine engine;
        private final long[] raplOffsetUj;
        private final EnergyCounter[] packageCounters;
        private final EnergyCounter[] dramCounters;
        private final KnobKeeper.Memento knobs;

        private Snapshot(SimMachine m) {
            scenario = m.scenario;
            engine = new Engine(m.scenario, 0);
            engine.copyFrom(m.engine);
            raplOffsetUj = m.raplOffsetUj.clone();
            packageCounters = copies(m.packageCounters);
            dramCounters = copies(m.dramCounters);
            knobs = m.keeper.memento();
        }

        private static EnergyCounter[] copies(EnergyCounter[] from) {
            EnergyCounter[] out = new EnergyCounter[from.length];
            for (int i = 0; i < from.length; i++) {
                out[i] = new EnergyCounter(from[i].maxRangeUj());
                out[i].copyFrom(from[i]);
            }
            return out;
        }

        /** Simulated time when it was taken, ns. */
        public long nowNanos() {
            return engine.nowNanos;
        }
    }

    /** The whole state of the machine now (see {@link Snapshot}). */
    public Snapshot snapshot() {
        return new Snapshot(this);
    }

    /**
     * Puts the machine back in the state {@code s} recorded: running on from here gives, bit for bit, what running on
     * from the snapshot gave, whatever this machine did meanwhile and whatever seed it was built with.
     *
     * @throws IllegalArgumentException when {@code s} is a snapshot of another scenario
     */
    public void restore(Snapshot s) {
        if (s.scenario != scenario && !s.scenario.equals(scenario)) {
            throw new IllegalArgumentException("SimMachine.restore(): a snapshot of scenario " + s.scenario.name()
                    + " cannot be restored into a machine of scenario " + scenario.name());
        }
        engine.copyFrom(s.engine);
        System.arraycopy(s.raplOffsetUj, 0, raplOffsetUj, 0, raplOffsetUj.length);
        for (int p = 0; p < packageCounters.length; p++) {
            packageCounters[p].copyFrom(s.packageCounters[p]);
            dramCounters[p].copyFrom(s.dramCounters[p]);
        }
        keeper.reset(s.knobs);
    }

    /**
     * Gives every service's arrivals another future, drawn from the same processes ({@code salt} sets which): after a
     * {@link #restore}, a look-ahead that knows the machine's state and its arrival processes but not their draws.
     * Arrivals already drawn (each service's next one) and a trace's timestamps stay as they were.
     */
    public void reseedArrivals(long salt) {
        engine.reseedArrivals(salt);
    }

    /** The engine, for tests in this package. */
    Engine engine() {
        return engine;
    }

    /**
     * Instructions per second batch cgroup {@code cgroup} retires alone at the top frequency, unthrottled,
     * with unloaded memory (for normalising throughput); NaN for a latency-critical service.
     */
    public double nominalInstructionsPerSec(int cgroup) {
        int j = cgroup - engine.serviceCount;
        if (cgroup < 0 || j >= engine.batchSpecs.length) {
            throw new IndexOutOfBoundsException("SimMachine: no cgroup " + cgroup + " (there are " + engine.cgroupCount + ")");
        }
        return j < 0 ? Double.NaN : engine.nominalInstructionsPerSec(j);
    }

    private long rawPackageUj(int p) {
        return raw(engine.power.packageJoules[p], raplOffsetUj[2 * p]);
    }

    private long rawDramUj(int p) {
        return raw(engine.power.dramJoules[p], raplOffsetUj[2 * p + 1]);
    }

    /** What the hardware register shows: energy in µJ from an arbitrary origin, modulo the range. */
    private long raw(double joules, long offsetUj) {
        return Math.floorMod(offsetUj + (long) Math.floor(joules * 1e6), scenario.machine().raplRangeUj());
    }

    @Override
    public Telemetry sample() {
        return SimSampler.sample(engine, scenario.machine().rapl() ? this::readEnergy : null);
    }

    /** Reads the raw counters and unwraps them, as the Linux backend does with powercap. */
    private long[][] readEnergy() {
        int n = packageCounters.length;
        long[] pkg = new long[n];
        long[] dram = new long[n];
        for (int p = 0; p < n; p++) {
            pkg[p] = packageCounters[p].update(rawPackageUj(p));
            dram[p] = dramCounters[p].update(rawDramUj(p));
        }
        return new long[][]{pkg, dram};
    }

    @Override
    public List<SettingResult> apply(ControlPlan plan) {
        List<SettingResult> out = new ArrayList<>();
        for (Setting s : plan.settings()) {
            out.add(applyOne(s));
        }
        try {
            keeper.flush();
        } catch (IOException e) {
            // The writes happened; only the state file lags. The keeper retries on the next flush.
        }
        return out;
    }

    private SettingResult applyOne(Setting s) {
        return switch (s) {
            case Setting.FreqMaxKhz f -> write(s, f.domain(), engine.domains, "frequency domain",
                    SimKnobs.freqMax(f.domain()), Long.toString(f.khz()));
            case Setting.FreqMinKhz f -> write(s, f.domain(), engine.domains, "frequency domain",
                    SimKnobs.freqMin(f.domain()), Long.toString(f.khz()));
            case Setting.CpuMaxUsec m -> write(s, m.cgroup(), engine.cgroupCount, "cgroup",
                    SimKnobs.cpuMax(m.cgroup(), cgroupName(m.cgroup())),
                    (m.quotaUsec() < 0 ? "max" : Long.toString(m.quotaUsec())) + " " + m.periodUsec());
            case Setting.CpuWeight w -> write(s, w.cgroup(), engine.cgroupCount, "cgroup",
                    SimKnobs.cpuWeight(w.cgroup(), cgroupName(w.cgroup())), Integer.toString(w.weight()));
            case Setting.MbaPercent m -> write(s, m.domain(), engine.sockets, "memory domain",
                    SimKnobs.mba(m.domain()), Integer.toString(m.percent()));
            case Setting.PowerLimitUw p -> !scenario.machine().rapl()
                    ? SettingResult.unsupported(s, capabilities.control(p.control()).reason())
                    : write(s, p.pkg(), engine.sockets, "package", SimKnobs.powerLimit(p.pkg()), SimKnobs.powerLimitText(p));
            case Setting.Epp e -> SettingResult.unsupported(s, capabilities.control(e.control()).reason());
        };
    }

    /** Writes through the keeper, or fails without writing when the index names nothing. */
    private SettingResult write(Setting s, int index, int count, String what, Knob knob, String value) {
        if (index < 0 || index >= count) {
            return new SettingResult(s, SettingResult.Outcome.FAILED, value, "", "the simulated machine has no "
                    + what + " " + index + " (it has " + count + ": 0.." + (count - 1) + ")");
        }
        return SettingResult.of(s, keeper.write(knob, value), io);
    }

    private String cgroupName(int g) {
        return g >= 0 && g < engine.cgroupCount ? topology.cgroups().get(g).name() : "?";
    }

    @Override
    public List<Setting> currentSettings() {
        List<Setting> out = new ArrayList<>();
        for (int d = 0; d < engine.domains; d++) {
            out.add(new Setting.FreqMaxKhz(d, engine.freqMaxKhz[d]));
            out.add(new Setting.FreqMinKhz(d, engine.freqMinKhz[d]));
        }
        for (int g = 0; g < engine.cgroupCount; g++) {
            CpuMax m = engine.cpuMax[g];
            out.add(new Setting.CpuMaxUsec(g, m.quotaUsec(), m.periodUsec()));
            out.add(new Setting.CpuWeight(g, engine.cpuWeight[g]));
        }
        for (int p = 0; p < engine.sockets; p++) {
            out.add(new Setting.MbaPercent(p, engine.mbaPercent[p]));
        }
        if (scenario.machine().rapl()) {
            for (int p = 0; p < engine.sockets; p++) {
                double w = engine.limiter.limitWatts[p];
                out.add(new Setting.PowerLimitUw(p, Double.isNaN(w) ? -1 : Math.round(w * 1e6), engine.limiter.windowUsec[p]));
            }
        }
        return out;
    }

    @Override
    public RestoreReport restore(boolean force) {
        return keeper.restore(force);
    }

    @Override
    public void close() {
        // Nothing to release: the model holds no files or native resources.
    }

    /** The latency histogram of service {@code s} so far (live, for tests). */
    LatencyHistogram latency(int s) {
        return engine.services[s].latency;
    }
}
