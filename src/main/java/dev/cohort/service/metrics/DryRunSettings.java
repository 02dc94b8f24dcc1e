package dev.cohort.service.metrics;

import dev.cohort.platform.Control;
import dev.cohort.platform.Setting;
import dev.cohort.platform.Topology;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A dry run's would-be decisions as metrics, so a shadow deployment (a new policy in a dry run beside the policy in
 * force) can be judged from Prometheus without reading journals: every setting a tick would have written counts in
 * {@code cohort_knob_writes_total{result="dry_run"}}, and the last value a tick would have written to each frequency
 * limit and CPU quota is a gauge ({@code cohort_dry_run_frequency_limit_hertz}, {@code
 * cohort_dry_run_cgroup_cpu_quota_ratio}), absent until some tick wanted to write that knob. Nothing is written in a
 * dry run, so the plan of each tick starts from the host's real values: a gauge is where the policy would move the
 * knob next, not a value the host holds. Updated by the loop thread, read by the scrape thread (atomic doubles).
 */
final class DryRunSettings {
    private final Topology topo;
    private final CounterDataPoint[] wouldWrite;
    /** Per frequency domain, the bits of the would-be maximum frequency in Hz; NaN until planned. */
    private final AtomicLongArray freqHz;
    /** Per managed cgroup, the bits of the would-be quota in CPUs; NaN until planned, +Inf for "max" (unlimited). */
    private final AtomicLongArray quotaCpus;

    DryRunSettings(Topology topo, Counter writes, PrometheusRegistry registry) {
        this.topo = topo;
        Control[] controls = Control.values();
        wouldWrite = new CounterDataPoint[controls.length];
        for (Control c : controls) { // present at 0 from the start: a shadow that never wants a write says so
            wouldWrite[c.ordinal()] = writes.labelValues(c.name().toLowerCase(Locale.ROOT), "dry_run");
        }
        freqHz = nans(topo.frequencyDomains().size());
        quotaCpus = nans(topo.cgroups().size());
        GaugeWithCallback.builder().name("cohort_dry_run_frequency_limit_hertz")
                .help("Dry run: the maximum frequency the last tick that planned it would have set on a frequency domain (nothing is written)")
                .labelNames("domain").callback(cb -> {
                    for (int d = 0; d < freqHz.length(); d++) {
                        double v = Double.longBitsToDouble(freqHz.get(d));
                        if (!Double.isNaN(v)) {
                            cb.call(v, Integer.toString(d));
                        }
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("cohort_dry_run_cgroup_cpu_quota_ratio")
                .help("Dry run: the CPU quota in CPUs the last tick that planned it would have set on a managed cgroup (+Inf: unlimited; nothing is written)")
                .labelNames("cgroup").callback(cb -> {
                    for (int g = 0; g < quotaCpus.length(); g++) {
                        double v = Double.longBitsToDouble(quotaCpus.get(g));
                        if (!Double.isNaN(v)) {
                            cb.call(v, topo.cgroups().get(g).name());
                        }
                    }
                }).register(registry);
    }

    private static AtomicLongArray nans(int n) {
        AtomicLongArray a = new AtomicLongArray(n);
        for (int i = 0; i < n; i++) {
            a.set(i, Double.doubleToRawLongBits(Double.NaN));
        }
        return a;
    }

    /** Counts and keeps one dry-run tick's plan (the settings it would have written). */
    void record(List<Setting> plan) {
        for (Setting s : plan) {
            wouldWrite[s.control().ordinal()].inc();
            switch (s) {
                case Setting.FreqMaxKhz f -> freqHz.set(f.domain(), Double.doubleToRawLongBits(f.khz() * 1e3));
                case Setting.CpuMaxUsec q -> quotaCpus.set(q.cgroup(), Double.doubleToRawLongBits(
                        q.quotaUsec() < 0 ? Double.POSITIVE_INFINITY : (double) q.quotaUsec() / q.periodUsec()));
                default -> { } // EPP, weight, minimum frequency and MBA: counted only
            }
        }
    }
}
