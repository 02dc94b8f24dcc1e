package dev.cohort.eval;

import dev.cohort.control.TickRecord;
import dev.cohort.platform.CgroupRole;
import dev.cohort.platform.LatencyHistogram;
import dev.cohort.platform.Signal;
import dev.cohort.platform.TelemetryInterval;
import dev.cohort.platform.Topology;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/**
 * The results of one run. Whole-run figures come from the cumulative counters of the first and last
 * samples (so nothing is lost between ticks); per-tick figures (SLO share, reward) from the tick records.
 *
 * @param seconds                 simulated (or wall) time covered
 * @param energyJoules            package energy
 * @param meanPowerWatts          energy over time
 * @param lcP50Ms                 median latency of every latency-critical request
 * @param lcP99Ms                 99th percentile of every latency-critical request
 * @param lcRequests              latency-critical requests that arrived and were answered or dropped (a full queue
 *                                drops an arrival); the latency percentiles cover only the answered ones
 * @param lcRequestsOverSlo       of those, requests answered slower than their service's SLO plus dropped ones
 * @param sloViolationTickShare   share of ticks in which some service's tick latency exceeded its SLO
 * @param beThroughputGips        best-effort instructions per second, billions (NaN with no best-effort work)
 * @param beWorkShare             best-effort work done as a share of unthrottled: instructions retired over what the
 *                                jobs would retire alone at the top frequency (NaN with no best-effort work or no
 *                                reference rate)
 * @param energyPerBeGinstrJoules package energy per billion best-effort instructions, J (NaN with no best-effort work)
 * @param beJainFairness          Jain's index over best-effort jobs' throughput relative to running alone
 *                                (1 = equal shares; NaN with fewer than two jobs or no reference)
 * @param utilisation             mean CPU busy share
 * @param energyDelayJouleSeconds energy × mean latency-critical request latency
 * @param meanReward              mean per-tick reward
 */
public record RunMetrics(double seconds, double energyJoules, double meanPowerWatts, double lcP50Ms, double lcP99Ms,
                         long lcRequests, long lcRequestsOverSlo, double sloViolationTickShare, double beThroughputGips,
                         double beWorkShare, double energyPerBeGinstrJoules, double beJainFairness, double utilisation, double energyDelayJouleSeconds, double meanReward) {

    /** Requests over the SLO (dropped ones included) as a share of all requests; NaN without requests. */
    public double lcRequestsOverSloShare() {
        return lcRequests == 0 ? Double.NaN : (double) lcRequestsOverSlo / lcRequests;
    }

    /**
     * Computes the metrics of a run.
     *
     * @param whole        interval from the run's first to its last sample
     * @param topo         the host's topology (which cgroups are services and jobs, their SLOs)
     * @param ticks        every tick record of the run
     * @param nominalIps   per cgroup, a best-effort job's instructions/s running alone (NaN when unknown)
     */
    public static RunMetrics of(TelemetryInterval whole, Topology topo, List<TickRecord> ticks, IntToDoubleFunction nominalIps) {
        double secs = whole.seconds();
        double energy = whole.totalPackageJoules();
        LatencyHistogram all = new LatencyHistogram();
        long over = 0;
        long requests = 0;
        boolean counted = true;
        double beInstr = 0;
        double beNominal = 0;
        int jobs = 0;
        double sumX = 0;
        double sumX2 = 0;
        for (int g = 0; g < topo.cgroups().size(); g++) {
            Topology.CgroupInfo c = topo.cgroups().get(g);
            if (c.role() == CgroupRole.LATENCY_CRITICAL) {
                LatencyHistogram h = whole.latency(g);
                if (h != null) {
                    all.add(h);
                }
                double v = whole.delta(Signal.CGROUP_SLO_VIOLATIONS, g);
                over += Double.isNaN(v) ? 0 : (long) v;
                // the service's own count includes dropped arrivals, as its violations do; the histogram does not
                double n = whole.delta(Signal.CGROUP_REQUESTS, g);
                counted &= !Double.isNaN(n);
                requests += Double.isNaN(n) ? 0 : (long) n;
            } else {
                double rate = whole.rate(Signal.CGROUP_INSTRUCTIONS, g);
                if (!Double.isNaN(rate)) {
                    beInstr += rate;
                    double nominal = nominalIps.applyAsDouble(g);
                    beNominal += nominal;
                    double x = rate / nominal;
                    if (Double.isFinite(x)) {
                        jobs++;
                        sumX += x;
                        sumX2 += x * x;
                    }
                }
            }
        }
        boolean anyBatch = topo.cgroupsWithRole(CgroupRole.BEST_EFFORT).length > 0;
        double jain = jobs >= 2 && sumX2 > 0 ? sumX * sumX / (jobs * sumX2) : Double.NaN;
        double util = 0;
        int cpus = topo.cpuCount();
        for (int c = 0; c < cpus; c++) {
            util += whole.utilisation(c);
        }
        util /= cpus;
        long violatedTicks = ticks.stream().filter(TickRecord::sloViolated).count();
        double reward = ticks.stream().mapToDouble(t -> t.reward().reward()).average().orElse(Double.NaN);
        double meanLatencyS = all.meanNanos() / 1e9;
        return new RunMetrics(secs, energy, energy / secs, all.quantileNanos(0.50) / 1e6, all.quantileNanos(0.99) / 1e6,
                counted ? Math.max(requests, all.count()) : all.count(), over, ticks.isEmpty() ? Double.NaN : (double) violatedTicks / ticks.size(),
                anyBatch ? beInstr / 1e9 : Double.NaN,
                anyBatch && beNominal > 0 ? beInstr / beNominal : Double.NaN,
                anyBatch && beInstr > 0 ? energy / (beInstr * secs / 1e9) : Double.NaN,
                jain, util, energy * meanLatencyS, reward);
    }
}
