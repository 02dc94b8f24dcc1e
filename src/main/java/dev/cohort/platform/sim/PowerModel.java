package dev.cohort.platform.sim;

/**
 * Power and energy per package and per package's DRAM (marl-and-simulation §4.1). Per core, per step:
 * dynamic energy {@code C·V²} per compute cycle and {@code C·V²·stallActivity} per memory-stalled cycle
 * (so {@code P_dyn = C·V²·f·activity} while running), plus static {@code staticWattsPerVolt·V} whether
 * running or idle (a powered core leaks). Per package: {@code packageIdleWatts} plus uncore
 * {@code uncoreWattsPerGBps·BW}. DRAM: {@code dramIdleWatts + dramWattsPerGBps·BW}. Energy is the exact
 * sum of power times step length, so energy equals the integral of power by construction.
 */
final class PowerModel {
    private final MachineSpec.Power spec;
    /** Package energy so far, J. */
    final double[] packageJoules;
    /** DRAM energy so far, J. */
    final double[] dramJoules;
    /** Package power in the last step, W. */
    final double[] packageWatts;
    /** DRAM power in the last step, W. */
    final double[] dramWatts;
    /** Dynamic power of each core in the last step, W. */
    final double[] coreDynamicWatts;
    /** Dynamic energy of all cores so far, J (part of the package energy). */
    double dynamicJoules;
    /** Each core's own energy so far (dynamic and static), J: the package's without its idle and uncore parts. */
    final double[] coreJoules;

    PowerModel(MachineSpec machine, int cpus, int sockets) {
        this.spec = machine.power();
        packageJoules = new double[sockets];
        dramJoules = new double[sockets];
        packageWatts = new double[sockets];
        dramWatts = new double[sockets];
        coreDynamicWatts = new double[cpus];
        coreJoules = new double[cpus];
    }

    /** Takes {@code other}'s energies and last powers (a snapshot or its restore). */
    void copyFrom(PowerModel other) {
        System.arraycopy(other.packageJoules, 0, packageJoules, 0, packageJoules.length);
        System.arraycopy(other.dramJoules, 0, dramJoules, 0, dramJoules.length);
        System.arraycopy(other.packageWatts, 0, packageWatts, 0, packageWatts.length);
        System.arraycopy(other.dramWatts, 0, dramWatts, 0, dramWatts.length);
        System.arraycopy(other.coreDynamicWatts, 0, coreDynamicWatts, 0, coreDynamicWatts.length);
        System.arraycopy(other.coreJoules, 0, coreJoules, 0, coreJoules.length);
        dynamicJoules = other.dynamicJoules;
    }

    /** Charges one step's energy from the cycles and traffic the counters just recorded. */
    void charge(Engine e, Counters k) {
        double dt = e.stepNanos;
        for (int s = 0; s < e.sockets; s++) {
            packageWatts[s] = spec.packageIdleWatts() + spec.uncoreWattsPerGBps() * k.stepBytes[s] / dt;
            dramWatts[s] = spec.dramIdleWatts() + spec.dramWattsPerGBps() * k.stepBytes[s] / dt;
        }
        for (int c = 0; c < e.cpuCount; c++) {
            double v = e.volts[c];
            // nF · V² · cycles = nJ; divided by the step in ns gives W.
            double dynNanoJoules = spec.capacitanceNf() * v * v
                    * (k.stepComputeCycles[c] + spec.stallActivity() * k.stepStallCycles[c]);
            coreDynamicWatts[c] = dynNanoJoules / dt;
            dynamicJoules += dynNanoJoules * 1e-9;
            double coreWatts = coreDynamicWatts[c] + spec.staticWattsPerVolt() * v;
            coreJoules[c] += coreWatts * dt * 1e-9;
            packageWatts[e.cpuSocket[c]] += coreWatts;
        }
        for (int s = 0; s < e.sockets; s++) {
            packageJoules[s] += packageWatts[s] * dt * 1e-9;
            dramJoules[s] += dramWatts[s] * dt * 1e-9;
        }
    }

    /**
     * The most power the packages can draw, W: every core running compute cycles at the top frequency and
     * voltage, and memory at its peak. Plays the part of TDP when normalising energy.
     */
    static double peakPackageWatts(MachineSpec m) {
        MachineSpec.Power p = m.power();
        double vMax = m.dvfs().volts(m.dvfs().maxKhz());
        double core = p.capacitanceNf() * vMax * vMax * m.dvfs().maxKhz() / 1e6 + p.staticWattsPerVolt() * vMax;
        double socket = p.packageIdleWatts() + p.uncoreWattsPerGBps() * m.memory().peakGBps() + m.coresPerSocket() * core;
        return m.sockets() * socket;
    }

    /**
     * The least power the packages draw, W: every core idle (no cycles, so no dynamic power) at the lowest frequency
     * and voltage, still leaking, and no memory traffic. A power budget below it cannot be held.
     */
    static double idlePackageWatts(MachineSpec m) {
        MachineSpec.Power p = m.power();
        double vMin = m.dvfs().volts(m.dvfs().minKhz());
        return m.sockets() * (p.packageIdleWatts() + m.coresPerSocket() * p.staticWattsPerVolt() * vMin);
    }

    /** Package energy of all packages so far, J. */
    double totalPackageJoules() {
        double j = 0;
        for (double p : packageJoules) {
            j += p;
        }
        return j;
    }
}
