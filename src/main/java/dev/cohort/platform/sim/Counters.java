package dev.cohort.platform.sim;

/**
 * The cumulative counters a real host exposes, kept consistent with the model: per CPU busy time, cycles,
 * instructions, LLC misses and memory-stall cycles; per socket memory traffic; per cgroup CPU usage,
 * instructions and pressure-stall time; system pressure. Charged once per step from what the step did.
 *
 * <p>Pressure ("some") is the share of wall time in which at least one of the cgroup's tasks waited: for a
 * service, time with requests queued (or held while throttled) plus, on a core shared with a batch thread,
 * the time its running request yields to that thread; for a batch job, throttled time plus the time its
 * threads yield to requests. Stalls of different tasks are combined as if independent
 * ({@code 1 − Π(1 − share)}). Memory pressure here is time stalled on memory accesses (LLC misses); note
 * that Linux's PSI memory counts reclaim and refault stalls instead.
 */
final class Counters {
    // Per CPU, cumulative.
    final double[] busyNanos;
    final double[] cycles;
    final double[] instructions;
    final double[] llcMisses;
    final double[] stallCycles;
    // Per CPU, last step: compute and stall cycles (for power).
    final double[] stepComputeCycles;
    final double[] stepStallCycles;
    // Per socket.
    final double[] memBytes;
    final double[] stepBytes;
    // Per cgroup.
    final long[] usageNanos;
    final double[] cgroupInstructions;
    final double[] cpuSomeNanos;
    final double[] memSomeNanos;
    private final double[] memFree;
    private final double[] cpuWait;
    private final double[] lastThrottledNanos;
    // System.
    double sysCpuSomeNanos;
    double sysMemSomeNanos;

    Counters(int cpus, int sockets, int cgroups) {
        busyNanos = new double[cpus];
        cycles = new double[cpus];
        instructions = new double[cpus];
        llcMisses = new double[cpus];
        stallCycles = new double[cpus];
        stepComputeCycles = new double[cpus];
        stepStallCycles = new double[cpus];
        memBytes = new double[sockets];
        stepBytes = new double[sockets];
        usageNanos = new long[cgroups];
        cgroupInstructions = new double[cgroups];
        cpuSomeNanos = new double[cgroups];
        memSomeNanos = new double[cgroups];
        memFree = new double[cgroups];
        cpuWait = new double[cgroups];
        lastThrottledNanos = new double[cgroups];
    }

    /** Takes every counter of {@code o}, counters of the same machine (a snapshot or its restore). */
    void copyFrom(Counters o) {
        copy(o.busyNanos, busyNanos);
        copy(o.cycles, cycles);
        copy(o.instructions, instructions);
        copy(o.llcMisses, llcMisses);
        copy(o.stallCycles, stallCycles);
        copy(o.stepComputeCycles, stepComputeCycles);
        copy(o.stepStallCycles, stepStallCycles);
        copy(o.memBytes, memBytes);
        copy(o.stepBytes, stepBytes);
        copy(o.cgroupInstructions, cgroupInstructions);
        copy(o.cpuSomeNanos, cpuSomeNanos);
        copy(o.memSomeNanos, memSomeNanos);
        copy(o.memFree, memFree);
        copy(o.cpuWait, cpuWait);
        copy(o.lastThrottledNanos, lastThrottledNanos);
        System.arraycopy(o.usageNanos, 0, usageNanos, 0, usageNanos.length);
        sysCpuSomeNanos = o.sysCpuSomeNanos;
        sysMemSomeNanos = o.sysMemSomeNanos;
    }

    private static void copy(double[] from, double[] to) {
        System.arraycopy(from, 0, to, 0, to.length);
    }

    // long: the simulator's hot per-step pass over every CPU: one loop, no calls, no allocation (docs/simulator.md)
    /** Charges one step, given each CPU's rates (compute cycles per ns) and CPU time per kind of work. */
    void charge(Engine e, double[] lcRate, double[] batchRate, double[] lcCpuNanos, double[] batchCpuNanos) {
        double dt = e.stepNanos;
        int line = e.machine.memory().lineBytes();
        for (int g = 0; g < e.cgroupCount; g++) {
            memFree[g] = 1.0;
            cpuWait[g] = 0;
        }
        for (int s = 0; s < e.sockets; s++) {
            stepBytes[s] = 0;
        }
        for (int c = 0; c < e.cpuCount; c++) {
            double f = e.ghz[c];
            double compute = 0;
            double misses = 0;
            double instr = 0;
            int s = e.cpuService[c];
            double lc = lcCpuNanos[c];
            if (s >= 0 && lc > 0) {
                ServiceSpec.Request r = e.scenario.services().get(s).request();
                double cyc = lc * lcRate[c];
                compute += cyc;
                misses += cyc * r.missesPerCycle();
                instr += cyc * r.ipc();
                cgroupInstructions[s] += cyc * r.ipc();
                memFree[s] *= 1.0 - (lc - cyc / f) / dt;
            }
            int j = e.cpuBatch[c];
            double b = batchCpuNanos[c];
            if (j >= 0) {
                int g = e.serviceCount + j;
                if (b > 0) {
                    BatchSpec spec = e.batchSpecs[j];
                    double cyc = b * batchRate[c];
                    compute += cyc;
                    misses += cyc * spec.missesPerCycle();
                    instr += cyc * spec.ipc();
                    cgroupInstructions[g] += cyc * spec.ipc();
                    memFree[g] *= 1.0 - (b - cyc / f) / dt;
                }
                // The batch thread waits while a request runs on its core.
                cpuWait[g] = Math.max(cpuWait[g], lc);
            }
            double busy = lc + b;
            busyNanos[c] += busy;
            cycles[c] += busy * f;
            instructions[c] += instr;
            llcMisses[c] += misses;
            stallCycles[c] += busy * f - compute;
            stepComputeCycles[c] = compute;
            stepStallCycles[c] = busy * f - compute;
            stepBytes[e.cpuSocket[c]] += misses * line;
        }
        for (int s = 0; s < e.sockets; s++) {
            memBytes[s] += stepBytes[s];
        }
        double sysCpuFree = 1.0;
        double sysMemFree = 1.0;
        for (int g = 0; g < e.cgroupCount; g++) {
            double cpuSome;
            if (g < e.serviceCount) {
                ServiceModel sm = e.services[g];
                usageNanos[g] += (long) Math.floor(sm.stepCpuNanos);
                double yielded = 0;
                for (int k = 0; k < sm.cores; k++) {
                    yielded = Math.max(yielded, sm.runNanos[k] * (1.0 - sm.share[k]));
                }
                cpuSome = Math.min(dt, sm.stepWaitNanos + yielded);
            } else {
                int j = g - e.serviceCount;
                usageNanos[g] += (long) Math.floor(e.batchStepCpuNanos[j]);
                double throttled = e.batchQuota[j].throttledNanos - lastThrottledNanos[g];
                lastThrottledNanos[g] = e.batchQuota[j].throttledNanos;
                cpuSome = Math.min(dt, throttled + cpuWait[g]);
            }
            double memSome = dt * (1.0 - Math.max(0.0, memFree[g]));
            cpuSomeNanos[g] += cpuSome;
            memSomeNanos[g] += memSome;
            sysCpuFree *= 1.0 - cpuSome / dt;
            sysMemFree *= 1.0 - memSome / dt;
        }
        sysCpuSomeNanos += dt * (1.0 - sysCpuFree);
        sysMemSomeNanos += dt * (1.0 - sysMemFree);
    }
}
