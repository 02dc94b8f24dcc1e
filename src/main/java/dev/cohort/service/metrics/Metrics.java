package dev.cohort.service.metrics;

import dev.cohort.control.TickRecord;
import dev.cohort.platform.CgroupRole;
import dev.cohort.platform.RecentSamples;
import dev.cohort.platform.SettingResult;
import dev.cohort.platform.Signal;
import dev.cohort.platform.TelemetryInterval;
import dev.cohort.platform.Topology;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Locale;
import java.util.concurrent.Executors;

/**
 * The daemon's Prometheus metrics, named by the conventions ({@code cohort_} prefix, base units in the name,
 * {@code _total} on counters, labels with few values: a domain index, a package, a cgroup name, a control and a
 * result). Counters and the tick histogram are updated by the loop once per tick ({@link #onTick}); gauges are read
 * at scrape time from the latest samples and knob values ({@link Source}), so a scrape costs the loop nothing.
 * Served on {@code address:port} (127.0.0.1 by default) by the client library's HTTP server, one thread.
 * The metric list and meanings are in {@code docs/operations.md}.
 */
public final class Metrics implements AutoCloseable {

    /** What gauges read at scrape time; called from the HTTP server's thread, so implementations read volatile state. */
    public interface Source {
        Topology topology();

        /** The latest samples, or null before the first. */
        RecentSamples samples();

        /** The maximum-frequency limit cohort holds on frequency domain {@code d}, kHz; NaN when it holds none. */
        double freqLimitKhz(int d);

        /** The CPU quota of cgroup {@code g} in CPUs; NaN when unlimited or unknown. */
        double quotaCpus(int g);

        /** The MBA limit of memory domain {@code m} as a fraction of full bandwidth; NaN when none is held. */
        double mbaRatio(int m);

        /** Latency of cgroup {@code g} at its SLO quantile over the last interval, µs (NaN when unknown). */
        double latencyUsec(int g);

        /** Slack of cgroup {@code g} (1 − latency/SLO, or the pressure proxy), −1..1. */
        double slack(int g);

        double lambda();

        int overrides();

        int competitors();

        /** The package power budget in force (configured, or held by cohort tune), W, sum over packages; NaN when none. */
        double powerBudgetWatts();

        /** The packages' power the last tick estimated (the cost estimator, on a host without RAPL), W; NaN otherwise. */
        double estimatedPowerWatts();

        /** The cost estimator's package power for the last decision, W; NaN without an estimator. */
        double predictedPowerWatts();
    }

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter ticks;
    private final Counter overruns;
    private final Counter writes;
    private final Counter sloViolations;
    private final Counter fallbacks;
    private final Counter modelFallbacks;
    private final Histogram tickSeconds;
    private final Topology topo;
    private final io.prometheus.metrics.core.datapoints.CounterDataPoint[][] writesBy;
    private final Counter overBudget;
    private final Counter budgetWindows;
    private final Counter overBudgetWindows;
    private final Counter overBudgetAtBoundWindows;
    private final Source src;
    /** In a dry run: what the ticks would have written ({@link DryRunSettings}); null otherwise. */
    private final DryRunSettings wouldBe;
    private HTTPServer server;

    /** Registers every metric; {@link #serve} starts the endpoint. */
    public Metrics(Source src, String version, String backend, boolean dryRun) {
        this.topo = src.topology();
        this.src = src;
        ticks = Counter.builder().name("cohort_ticks_total").help("Control ticks run").register(registry);
        overruns = Counter.builder().name("cohort_tick_overruns_total")
                .help("Tick deadlines skipped because a tick or the host ran past them").register(registry);
        writes = Counter.builder().name("cohort_knob_writes_total")
                .help("Knob settings the ticks asked for, by control and result (applied, clamped, failed, unsupported, changed_by_other; dry_run: would have been written)")
                .labelNames("control", "result").register(registry);
        sloViolations = Counter.builder().name("cohort_slo_violations_total")
                .help("Control intervals in which a latency-critical service's latency at its SLO quantile exceeded its target (its pressure proxy passed the SLO's edge, for latency source psi)")
                .labelNames("cgroup").register(registry);
        fallbacks = Counter.builder().name("cohort_policy_fallbacks_total")
                .help("Ticks in which the configured policy failed and the fallback baseline decided").register(registry);
        modelFallbacks = Counter.builder().name("cohort_model_fallbacks_total")
                .help("Ticks in which a role's learned model could not decide (NaN, out of range, inference error) and its baseline decided that role")
                .labelNames("role").register(registry);
        for (dev.cohort.policy.Role role : dev.cohort.policy.Role.values()) {
            modelFallbacks.labelValues(role.id()); // present at 0 from the start
        }
        tickSeconds = Histogram.builder().name("cohort_tick_duration_seconds")
                .help("Duration of one tick: sense, decide, act and journal (a simulator's step excluded)")
                .classicOnly().classicUpperBounds(50e-6, 100e-6, 250e-6, 500e-6, 1e-3, 2.5e-3, 5e-3, 10e-3, 25e-3, 50e-3, 100e-3, 250e-3)
                .register(registry);
        for (int g : topo.cgroupsWithRole(CgroupRole.LATENCY_CRITICAL)) {
            sloViolations.labelValues(topo.cgroups().get(g).name()); // present at 0 from the start
        }
        var controls = dev.cohort.platform.Control.values();
        var outcomes = SettingResult.Outcome.values();
        writesBy = new io.prometheus.metrics.core.datapoints.CounterDataPoint[controls.length][outcomes.length];
        for (var c : controls) {
            for (var o : outcomes) { // looked up once, not per write
                writesBy[c.ordinal()][o.ordinal()] = writes.labelValues(c.name().toLowerCase(Locale.ROOT), o.name().toLowerCase(Locale.ROOT));
            }
        }
        overBudget = Counter.builder().name("cohort_over_budget_ticks_total")
                .help("Ticks whose interval's package power exceeded the power budget in force (cohort_power_budget_watts)")
                .register(registry);
        budgetWindows = Counter.builder().name("cohort_budget_windows_total")
                .help("Balancer steps (windows of whole ticks, 1 s by default) judged while a power budget was in force")
                .register(registry);
        overBudgetWindows = Counter.builder().name("cohort_over_budget_windows_total")
                .help("Balancer windows whose mean package power exceeded the power budget in force (MaRCA's judge)")
                .register(registry);
        overBudgetAtBoundWindows = Counter.builder().name("cohort_over_budget_at_bound_windows_total")
                .help("Of those, windows over the budget with λ at or near its bound (pi, mpc): the budget out of the balancer's reach")
                .register(registry);
        wouldBe = dryRun ? new DryRunSettings(topo, writes, registry) : null;
        Info.builder().name("cohort_daemon_info").help("The running daemon: version, backend, dry run")
                .labelNames("version", "backend", "dry_run").register(registry)
                .setLabelValues(version, backend, Boolean.toString(dryRun));
        gauges(src);
        ProcessMetrics.builder().register(registry);
    }

    // long: a flat list of gauge registrations, one per metric, in docs/operations.md's order
    private void gauges(Source src) {
        CounterWithCallback.builder().name("cohort_package_energy_joules_total")
                .help("Package energy (RAPL) since the daemon started").labelNames("package")
                .callback(cb -> {
                    var s = src.samples();
                    if (s != null && s.current().has(Signal.PKG_ENERGY_UJ) && s.first().has(Signal.PKG_ENERGY_UJ)) {
                        for (int p = 0; p < s.current().width(Signal.PKG_ENERGY_UJ); p++) {
                            long d = s.current().counter(Signal.PKG_ENERGY_UJ, p) - s.first().counter(Signal.PKG_ENERGY_UJ, p);
                            cb.call(Math.max(0, d) / 1e6, Integer.toString(p));
                        }
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("cohort_package_power_watts")
                .help("Package power over the last interval: measured by RAPL per package, or estimated by the cost"
                        + " estimator for all packages together (package=\"all\") where the host has no RAPL")
                .labelNames("package", "source").callback(cb -> {
                    TelemetryInterval iv = interval(src);
                    if (iv != null && iv.has(Signal.PKG_ENERGY_UJ)) {
                        for (int p = 0; p < iv.current().width(Signal.PKG_ENERGY_UJ); p++) {
                            cb.call(iv.packageWatts(p), Integer.toString(p), "measured");
                        }
                    } else if (Double.isFinite(src.estimatedPowerWatts())) {
                        cb.call(src.estimatedPowerWatts(), "all", "estimated");
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("cohort_predicted_power_watts")
                .help("Package power the cost estimator predicts for the last decision (sum over packages); absent without one")
                .callback(cb -> {
                    double w = src.predictedPowerWatts();
                    if (Double.isFinite(w)) {
                        cb.call(w);
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("cohort_cpu_frequency_hertz")
                .help("Mean current frequency of a frequency domain's CPUs over the last interval").labelNames("domain")
                .callback(cb -> perDomain(src, (iv, d) -> meanOver(iv, d, true) * 1e3, cb)).register(registry);
        GaugeWithCallback.builder().name("cohort_cpu_utilisation_ratio")
                .help("Busy share of a frequency domain's CPUs over the last interval").labelNames("domain")
                .callback(cb -> perDomain(src, (iv, d) -> meanOver(iv, d, false), cb)).register(registry);
        GaugeWithCallback.builder().name("cohort_frequency_limit_hertz")
                .help("Maximum frequency cohort holds on a frequency domain (scaling_max_freq)").labelNames("domain")
                .callback(cb -> {
                    for (int d = 0; d < topo.frequencyDomains().size(); d++) {
                        double k = src.freqLimitKhz(d);
                        if (!Double.isNaN(k)) {
                            cb.call(k * 1e3, Integer.toString(d));
                        }
                    }
                }).register(registry);
        CounterWithCallback.builder().name("cohort_cgroup_cpu_usage_seconds_total")
                .help("CPU time used by a managed cgroup since the daemon started").labelNames("cgroup")
                .callback(cb -> cgroupCounter(src, Signal.CGROUP_USAGE_USEC, cb)).register(registry);
        CounterWithCallback.builder().name("cohort_cgroup_throttled_seconds_total")
                .help("Time a managed cgroup was throttled by its CPU quota since the daemon started").labelNames("cgroup")
                .callback(cb -> cgroupCounter(src, Signal.CGROUP_THROTTLED_USEC, cb)).register(registry);
        GaugeWithCallback.builder().name("cohort_cgroup_cpu_quota_ratio")
                .help("CPU quota of a managed cgroup in CPUs (quota over period); absent when unlimited").labelNames("cgroup")
                .callback(cb -> {
                    for (int g = 0; g < topo.cgroups().size(); g++) {
                        double q = src.quotaCpus(g);
                        if (!Double.isNaN(q)) {
                            cb.call(q, topo.cgroups().get(g).name());
                        }
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("cohort_service_latency_seconds")
                .help("Latency of a latency-critical service at its SLO quantile over the last interval").labelNames("cgroup")
                .callback(cb -> perService(src, g -> src.latencyUsec(g) / 1e6, cb)).register(registry);
        GaugeWithCallback.builder().name("cohort_service_slo_slack_ratio")
                .help("Slack of a latency-critical service: 1 - latency/target (or its pressure proxy), -1..1").labelNames("cgroup")
                .callback(cb -> perService(src, src::slack, cb)).register(registry);
        GaugeWithCallback.builder().name("cohort_memory_bandwidth_limit_ratio")
                .help("MBA limit of the best-effort group in a memory domain, as a fraction of full bandwidth").labelNames("domain")
                .callback(cb -> {
                    for (int m = 0; m < topo.memoryDomains().size(); m++) {
                        double r = src.mbaRatio(m);
                        if (!Double.isNaN(r)) {
                            cb.call(r, Integer.toString(m));
                        }
                    }
                }).register(registry);
        CounterWithCallback.builder().name("cohort_memory_traffic_bytes_total")
                .help("Bytes moved to and from memory in a memory domain (resctrl MBM) since the daemon started").labelNames("domain")
                .callback(cb -> {
                    var s = src.samples();
                    if (s != null && s.current().has(Signal.MEM_BYTES) && s.first().has(Signal.MEM_BYTES)) {
                        for (int m = 0; m < s.current().width(Signal.MEM_BYTES); m++) {
                            cb.call(Math.max(0, s.current().counter(Signal.MEM_BYTES, m) - s.first().counter(Signal.MEM_BYTES, m)),
                                    Integer.toString(m));
                        }
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("cohort_energy_weight_lambda").help("The energy weight multiplier lambda in force")
                .callback(cb -> cb.call(src.lambda())).register(registry);
        GaugeWithCallback.builder().name("cohort_lambda")
                .help("The energy price lambda in force (the balancer's output; the same value as cohort_energy_weight_lambda)")
                .callback(cb -> cb.call(src.lambda())).register(registry);
        GaugeWithCallback.builder().name("cohort_manual_overrides").help("Knobs held as manual overrides (cohort tune, or hand changes cohort found)")
                .callback(cb -> cb.call(src.overrides())).register(registry);
        GaugeWithCallback.builder().name("cohort_power_budget_watts")
                .help("Package power budget in force, configured or held by cohort tune budget (sum over packages); absent when none")
                .callback(cb -> {
                    double w = src.powerBudgetWatts();
                    if (!Double.isNaN(w)) {
                        cb.call(w);
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("cohort_competing_tuners").help("Competing tuners found at start or last reload")
                .callback(cb -> cb.call(src.competitors())).register(registry);
    }

    private interface DomainValue {
        double of(TelemetryInterval iv, Topology.FrequencyDomain d);
    }

    private void perDomain(Source src, DomainValue f, GaugeWithCallback.Callback cb) {
        TelemetryInterval iv = interval(src);
        if (iv == null) {
            return;
        }
        for (int d = 0; d < topo.frequencyDomains().size(); d++) {
            double v = f.of(iv, topo.frequencyDomains().get(d));
            if (!Double.isNaN(v)) {
                cb.call(v, Integer.toString(d));
            }
        }
    }

    private void perService(Source src, java.util.function.IntToDoubleFunction f, GaugeWithCallback.Callback cb) {
        for (int g : topo.cgroupsWithRole(CgroupRole.LATENCY_CRITICAL)) {
            double v = f.applyAsDouble(g);
            if (!Double.isNaN(v)) {
                cb.call(v, topo.cgroups().get(g).name());
            }
        }
    }

    private void cgroupCounter(Source src, Signal s, CounterWithCallback.Callback cb) {
        var x = src.samples();
        if (x == null || !x.current().has(s) || !x.first().has(s)) {
            return;
        }
        for (int g = 0; g < topo.cgroups().size(); g++) {
            cb.call(Math.max(0, x.current().counter(s, g) - x.first().counter(s, g)) / 1e6, topo.cgroups().get(g).name());
        }
    }

    public static double meanOver(TelemetryInterval iv, Topology.FrequencyDomain d, boolean freq) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < d.cpus().size(); i++) {
            int c = d.cpus().get(i);
            double v = freq ? iv.freqKhz(c) : iv.utilisation(c);
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private static TelemetryInterval interval(Source src) {
        var s = src.samples();
        return s == null ? null : s.interval();
    }

    /**
     * Counts one tick: its duration, the overruns since the last one, its writes by result (in a dry run its
     * would-be writes, as {@code result="dry_run"}), SLO breaches, and whether its power was over the budget.
     */
    public void onTick(TickRecord r, long durationNanos, long newOverruns, boolean fallback) {
        ticks.inc();
        tickSeconds.observe(durationNanos / 1e9);
        if (newOverruns > 0) {
            overruns.inc(newOverruns);
        }
        if (fallback) {
            fallbacks.inc();
        }
        for (var f : r.modelFallbacks()) {
            modelFallbacks.labelValues(f.role().id()).inc();
        }
        for (SettingResult res : r.results()) {
            writesBy[res.setting().control().ordinal()][res.outcome().ordinal()].inc();
        }
        if (r.dryRun() && wouldBe != null) {
            wouldBe.record(r.plan());
        }
        double budget = src.powerBudgetWatts();
        if (!Double.isNaN(budget) && r.packageWatts() > budget) { // NaN power (no RAPL) is never over
            overBudget.inc();
        }
        for (int g : topo.cgroupsWithRole(CgroupRole.LATENCY_CRITICAL)) {
            // slack < 0 is latency over the target where the service reports latency, and past the pressure proxy's
            // edge where it does not (latency source psi): both are the breach the governor and the roll-out gates act on
            if (src.slack(g) < 0) {
                sloViolations.labelValues(topo.cgroups().get(g).name()).inc();
            }
        }
    }

    /**
     * Counts one balancer window judged under a budget, whether its mean power was over it, and whether it was over with
     * λ at its bound.
     */
    public void onWindow(boolean over, boolean atBound) {
        budgetWindows.inc();
        if (over) {
            overBudgetWindows.inc();
        }
        if (over && atBound) {
            overBudgetAtBoundWindows.inc();
        }
    }

    /** Counts overruns outside a tick (a late wake-up). */
    public void onOverruns(long n) {
        if (n > 0) {
            overruns.inc(n);
        }
    }

    /** The registry (tests scrape it without HTTP). */
    public PrometheusRegistry registry() {
        return registry;
    }

    /**
     * Starts the endpoint.
     *
     * @return the port it listens on (the chosen one when configured as 0)
     * @throws IOException when the address cannot be bound
     */
    public int serve(String address, int port) throws IOException {
        server = HTTPServer.builder().inetAddress(InetAddress.getByName(address)).port(port).registry(registry)
                .executorService(Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "cohort-metrics");
                    t.setDaemon(true);
                    return t;
                })).buildAndStart();
        return server.getPort();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
