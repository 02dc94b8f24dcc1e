package dev.cohort.platform.sim;

import java.util.List;

/**
 * An immutable simulated-machine scenario: the hardware, the latency-critical services and the batch jobs,
 * how long to run and at what control tick. Loaded from YAML by {@link Scenarios}; the format is in
 * {@code docs/simulator.md}.
 *
 * @param name          short name, e.g. {@code steady}
 * @param description   one or two sentences for people
 * @param durationNanos how long an evaluation runs, simulated ns
 * @param tickNanos     the control tick callers advance by, ns (a whole number of steps)
 * @param stepNanos     the internal model step, ns
 * @param machine       the hardware
 * @param services      latency-critical services; cgroups 0..services-1 in topology order
 * @param batchJobs     best-effort jobs; the cgroups after the services
 * @param origin        where it was loaded from (a path or {@code classpath:/configs/scenarios/<name>.yaml})
 */
public record Scenario(String name, String description, long durationNanos, long tickNanos, long stepNanos,
                       MachineSpec machine, List<ServiceSpec> services, List<BatchSpec> batchJobs, String origin) {

    public Scenario {
        services = List.copyOf(services);
        batchJobs = List.copyOf(batchJobs);
        if (stepNanos <= 0 || tickNanos % stepNanos != 0 || durationNanos <= 0) {
            throw new IllegalArgumentException("Scenario " + name + ": tick (" + tickNanos + " ns) must be a positive"
                    + " multiple of the step (" + stepNanos + " ns) and the duration positive");
        }
    }

    /** Number of managed cgroups: services first, then batch jobs. */
    public int cgroupCount() {
        return services.size() + batchJobs.size();
    }

    /** True when some service's arrival rate changes over the run (daily cycle, steps, bursts, a trace). */
    public boolean loadVariesInTime() {
        return services.stream().anyMatch(s -> !(s.arrivals() instanceof ArrivalSpec.Constant));
    }

    /** Number of control ticks in the duration (rounded down). */
    public long ticks() {
        return durationNanos / tickNanos;
    }
}
