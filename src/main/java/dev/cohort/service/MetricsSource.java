package dev.cohort.service;

import dev.cohort.control.AgentLayout;
import dev.cohort.control.Controller;
import dev.cohort.platform.RecentSamples;
import dev.cohort.platform.Topology;
import dev.cohort.policy.Role;
import dev.cohort.service.metrics.Metrics;

/**
 * What the metrics read at scrape time, through the daemon's narrow {@link DaemonView}: the published samples and the knob values
 * the agents hold. Runs on the metrics thread; it reads a volatile controller reference and arrays the loop thread
 * updates (a scrape may see a value one tick old, never a torn one on a 64-bit JVM).
 */
final class MetricsSource implements Metrics.Source {
    private final DaemonView d;

    MetricsSource(DaemonView d) {
        this.d = d;
    }

    @Override
    public Topology topology() {
        return d.started().platform().topology();
    }

    @Override
    public RecentSamples samples() {
        return d.started().platform().samples();
    }

    @Override
    public double freqLimitKhz(int domain) {
        Controller c = d.state().controller();
        AgentLayout l = c.layout();
        for (int a = 0; a < l.agents(Role.CORE); a++) {
            if (l.coreDomain(a) == domain) {
                return c.knobs().freqKhz(a);
            }
        }
        return Double.NaN;
    }

    @Override
    public double quotaCpus(int g) {
        Controller c = d.state().controller();
        AgentLayout l = c.layout();
        for (int a = 0; a < l.agents(Role.QUOTA); a++) {
            if (l.quotaCgroup(a) == g) {
                long q = c.knobs().quotaUsec(a);
                return q < 0 ? Double.NaN : (double) q / d.state().cfg().controller().quotaPeriodUsec();
            }
        }
        return Double.NaN;
    }

    @Override
    public double mbaRatio(int m) {
        Controller c = d.state().controller();
        AgentLayout l = c.layout();
        for (int a = 0; a < l.agents(Role.MEMORY); a++) {
            if (l.memDomain(a) == m) {
                var scale = topology().memoryDomains().get(m).mba();
                int v = c.knobs().mba(a);
                return scale.map(s -> (double) v / s.max()).orElse(Double.NaN);
            }
        }
        return Double.NaN;
    }

    @Override
    public double latencyUsec(int g) {
        return d.state().controller().status().latencyUsec(g);
    }

    @Override
    public double slack(int g) {
        return d.state().controller().status().slack(g);
    }

    @Override
    public double lambda() {
        return d.state().controller().lambda();
    }

    @Override
    public int overrides() {
        return d.started().platform().overrides().size();
    }

    @Override
    public int competitors() {
        return d.started().competitors().size();
    }

    @Override
    public double powerBudgetWatts() {
        BudgetView v = d.state().budget().view(); // a reload or cohort tune budget may change it
        return v == null ? Double.NaN : v.watts();
    }

    @Override
    public double estimatedPowerWatts() {
        BudgetView v = d.state().budget().view();
        return v != null && "estimated".equals(v.powerSource()) ? v.powerWatts() : Double.NaN;
    }

    @Override
    public double predictedPowerWatts() {
        BudgetView v = d.state().budget().view();
        return v == null ? Double.NaN : v.predictedWatts();
    }
}
