package dev.cohort.platform.sim;

import dev.cohort.platform.CohortException;
import dev.cohort.platform.ConfigNode;
import dev.cohort.platform.CpuSet;
import dev.cohort.platform.Topology;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a scenario's YAML tree into a {@link Scenario}: applies defaults, checks every value against what is
 * allowed and resolves {@code load} values into request rates. Defaults and their sources are listed in
 * {@code docs/simulator.md}; keep the two in step.
 */
final class ScenarioParser {
    private static final double ANY = Double.MAX_VALUE;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    /** Opens a trace file named in a scenario, relative to that scenario. */
    interface TraceOpener {
        /** The trace's reader and a name for messages; the exception's message says where it looked. */
        Opened open(String file) throws IOException;

        /** An opened trace. */
        record Opened(String source, BufferedReader reader) {
        }
    }

    private final ConfigNode root;
    private final String defaultName;
    private final TraceOpener traces;

    ScenarioParser(ConfigNode root, String defaultName, TraceOpener traces) {
        this.root = root;
        this.defaultName = defaultName;
        this.traces = traces;
    }

    Scenario parse() {
        root.allow("name", "description", "durationSeconds", "tickMillis", "stepMicros", "machine", "services", "batch");
        String name = root.text("name", defaultName);
        String description = root.text("description", "");
        long stepNanos = Math.round(root.number("stepMicros", 1000, 1, 1_000_000) * 1e3);
        long tickNanos = Math.round(root.number("tickMillis", 100, 0.001, 3_600_000) * 1e6);
        if (tickNanos % stepNanos != 0) {
            throw root.error("tickMillis", "must be a whole number of internal steps (stepMicros = "
                    + stepNanos / 1e3 + "), got " + tickNanos / 1e6);
        }
        long durationNanos = Math.round(root.number("durationSeconds", 60, 0.001, 1e7) * 1e9);
        MachineSpec machine = machine(root.mapping("machine"));
        List<ServiceSpec> services = new ArrayList<>();
        for (ConfigNode s : root.list("services")) {
            services.add(service(s, machine, durationNanos));
        }
        List<BatchSpec> batch = new ArrayList<>();
        for (ConfigNode b : root.list("batch")) {
            batch.add(batch(b, machine));
        }
        checkDisjoint(root.list("services"), services.stream().map(ServiceSpec::cpus).toList(), "services");
        checkDisjoint(root.list("batch"), batch.stream().map(BatchSpec::cpus).toList(), "batch jobs");
        Set<String> names = new HashSet<>();
        List<ConfigNode> nodes = new ArrayList<>(root.list("services"));
        nodes.addAll(root.list("batch"));
        List<String> all = new ArrayList<>(services.stream().map(ServiceSpec::name).toList());
        all.addAll(batch.stream().map(BatchSpec::name).toList());
        for (int i = 0; i < all.size(); i++) {
            if (!names.add(all.get(i))) {
                throw nodes.get(i).error("name", "'" + all.get(i) + "' is already the name of another service or batch job");
            }
        }
        return new Scenario(name, description, durationNanos, tickNanos, stepNanos, machine, services, batch, root.file());
    }

    private MachineSpec machine(ConfigNode n) {
        n.allow("sockets", "coresPerSocket", "coresPerFreqDomain", "reservedCpus", "frequency", "power", "memory", "rapl");
        int sockets = (int) n.integer("sockets", 1, 1, 64);
        int cores = (int) n.integer("coresPerSocket", 8, 1, 4096);
        int perDomain = (int) n.integer("coresPerFreqDomain", 1, 1, cores);
        if (cores % perDomain != 0) {
            throw n.error("coresPerFreqDomain", "must divide coresPerSocket (" + cores + "), got " + perDomain);
        }
        CpuSet reserved = n.cpus("reservedCpus", CpuSet.empty());
        checkInside(n, "reservedCpus", reserved, sockets * cores);

        ConfigNode f = n.mapping("frequency").allow("minMhz", "maxMhz", "stepMhz", "minVolts", "maxVolts", "kneeMhz");
        double minMhz = f.number("minMhz", 1000, 100, 10_000);
        double maxMhz = f.number("maxMhz", 3000, minMhz, 10_000);
        double stepMhz = f.number("stepMhz", 100, 1, 10_000);
        double minVolts = f.number("minVolts", 0.75, 0.3, 2.0);
        double maxVolts = f.number("maxVolts", 1.10, minVolts, 2.0);
        double kneeMhz = f.number("kneeMhz", 1800, 0, maxMhz);
        var dvfs = new MachineSpec.Dvfs(khz(minMhz), khz(maxMhz), khz(stepMhz), minVolts, maxVolts, khz(kneeMhz));

        ConfigNode p = n.mapping("power").allow("capacitanceNf", "stallActivity", "staticWattsPerVolt", "packageIdleWatts",
                "uncoreWattsPerGBps", "dramIdleWatts", "dramWattsPerGBps");
        var power = new MachineSpec.Power(p.number("capacitanceNf", 1.24, 0, 100), p.number("stallActivity", 0.3, 0, 1),
                p.number("staticWattsPerVolt", 0.8, 0, 100), p.number("packageIdleWatts", 12, 0, 10_000),
                p.number("uncoreWattsPerGBps", 0.1, 0, 100), p.number("dramIdleWatts", 3, 0, 10_000),
                p.number("dramWattsPerGBps", 0.15, 0, 100));

        ConfigNode m = n.mapping("memory").allow("peakGBps", "coreMaxGBps", "idleLatencyNs", "latencySlope", "rhoMax",
                "maxLatencyFactor", "lineBytes", "mbaMinPercent", "mbaStepPercent");
        int mbaMin = (int) m.integer("mbaMinPercent", 10, 1, 100);
        int mbaStep = (int) m.integer("mbaStepPercent", 10, 1, 100);
        var memory = new MachineSpec.Memory(m.number("peakGBps", 80, 0.1, 100_000), m.number("coreMaxGBps", 12, 0.01, 10_000),
                m.number("idleLatencyNs", 85, 1, 10_000), m.number("latencySlope", 0.18, 0, 100),
                m.number("rhoMax", 0.95, 0.05, 0.999), m.number("maxLatencyFactor", 1.6, 1, 1000),
                (int) m.integer("lineBytes", 64, 1, 4096), new Topology.MbaScale(mbaMin, mbaStep, 100, true));

        ConfigNode r = n.mapping("rapl").allow("rangeUj", "present");
        long range = r.integer("rangeUj", 262_143_328_850L, 1000, Long.MAX_VALUE / 4);
        boolean rapl = r.bool("present", true);
        return new MachineSpec(sockets, cores, perDomain, reserved, dvfs, power, memory, range, rapl);
    }

    private static long khz(double mhz) {
        return Math.round(mhz * 1000);
    }

    private ServiceSpec service(ConfigNode n, MachineSpec machine, long durationNanos) {
        n.allow("name", "cpus", "sloMicros", "sloQuantile", "cpuWeight", "cpuMax", "maxQueue", "request", "arrivals");
        String name = name(n);
        CpuSet cpus = requiredCpus(n, machine);
        long slo = Math.round(n.number("sloMicros", 1, 1e9));
        double q = n.number("sloQuantile", 0.99, 0.5, 0.99999);
        int weight = (int) n.integer("cpuWeight", 100, 1, 10_000);
        CpuMax cpuMax = cpuMax(n);
        int maxQueue = (int) n.integer("maxQueue", 100_000, 1, 100_000_000);

        ConfigNode r = n.mapping("request").allow("cycles", "llcMisses", "mlp", "ipc", "distribution", "cv");
        var request = new ServiceSpec.Request(r.number("cycles", 1e6, 1, 1e13), r.number("llcMisses", 0, 0, 1e12),
                r.number("mlp", 1, 1, 1000), r.number("ipc", 1.5, 0.01, 16),
                r.choice("distribution", ServiceSpec.SizeDistribution.EXPONENTIAL, ServiceSpec.SizeDistribution.class),
                r.number("cv", 1, 0.01, 100));
        // One request's time on an idle core at the top frequency: "load" is relative to this.
        double serviceSec = request.serviceNanos(machine.dvfs().maxKhz(), machine.memory().idleLatencyNanos()) / 1e9;
        double fullRate = cpus.size() / serviceSec;
        ArrivalSpec arrivals = arrivals(n.mapping("arrivals"), fullRate, durationNanos);
        return new ServiceSpec(name, cpus, slo, q, weight, cpuMax.quotaUsec(), cpuMax.periodUsec(), maxQueue, request, arrivals);
    }

    private ArrivalSpec arrivals(ConfigNode a, double fullRate, long durationNanos) {
        String[] profiles = {"constant", "step", "diurnal", "bursty", "trace"};
        String profile = a.text("profile", "constant");
        switch (profile) {
            case "constant" -> {
                a.allow("profile", "load", "ratePerSec");
                if (a.has("load") == a.has("ratePerSec")) {
                    throw a.error("load", "give exactly one of load (share of the service's cores at the top frequency) "
                            + "or ratePerSec");
                }
                return new ArrivalSpec.Constant(a.has("load") ? a.number("load", 0, 10) * fullRate
                        : a.number("ratePerSec", 0, ANY));
            }
            case "step" -> {
                a.allow("profile", "steps");
                List<Long> at = new ArrayList<>();
                List<Double> rates = new ArrayList<>();
                for (ConfigNode s : a.list("steps")) {
                    s.allow("atSeconds", "load");
                    long t = Math.round(s.number("atSeconds", 0, 1e7) * 1e9);
                    if (at.isEmpty() ? t != 0 : t <= at.getLast()) {
                        throw s.error("atSeconds", at.isEmpty() ? "the first step must be at 0"
                                : "steps must be in increasing time order");
                    }
                    at.add(t);
                    rates.add(s.number("load", 0, 10) * fullRate);
                }
                if (at.isEmpty()) {
                    throw a.error("steps", "missing (a list of {atSeconds, load}, the first at 0, is required)");
                }
                return new ArrivalSpec.Step(at, rates);
            }
            case "diurnal" -> {
                a.allow("profile", "minLoad", "peakLoad", "periodSeconds");
                return new ArrivalSpec.Diurnal(a.number("minLoad", 0.1, 0, 10) * fullRate,
                        a.number("peakLoad", 0.9, 0, 10) * fullRate,
                        Math.round(a.number("periodSeconds", durationNanos / 1e9, 0.001, 1e7) * 1e9));
            }
            case "bursty" -> {
                a.allow("profile", "baseLoad", "burstLoad", "meanOffSeconds", "meanOnSeconds", "onOffTail", "shape");
                var tail = a.choice("onOffTail", ArrivalSpec.Bursty.OnOffTail.EXPONENTIAL, ArrivalSpec.Bursty.OnOffTail.class);
                if (tail != ArrivalSpec.Bursty.OnOffTail.PARETO && a.has("shape")) {
                    throw a.error("shape", "only with onOffTail: pareto (exponential durations have no shape)");
                }
                return new ArrivalSpec.Bursty(a.number("baseLoad", 0.3, 0, 10) * fullRate,
                        a.number("burstLoad", 0.9, 0, 10) * fullRate,
                        Math.round(a.number("meanOffSeconds", 2, 0.0001, 1e7) * 1e9),
                        Math.round(a.number("meanOnSeconds", 0.5, 0.0001, 1e7) * 1e9), tail,
                        tail == ArrivalSpec.Bursty.OnOffTail.PARETO ? a.number("shape", 1.5, 1.05, 100) : 0);
            }
            case "trace" -> {
                a.allow("profile", "file", "timestampColumn", "sizeColumns", "load", "timeScale", "loop", "phase");
                return trace(a, fullRate);
            }
            default -> throw a.error("profile", "expected one of " + String.join(", ", profiles) + ", got '" + profile + "'");
        }
    }

    private ArrivalSpec trace(ConfigNode a, double fullRate) {
        String file = a.text("file");
        String tsColumn = a.text("timestampColumn", "TIMESTAMP");
        var columns = a.weights("sizeColumns");
        TraceData data;
        String source;
        try {
            TraceOpener.Opened opened = traces.open(file);
            source = opened.source();
            try (BufferedReader in = opened.reader()) {
                data = TraceData.read(in, opened.source(), tsColumn, columns);
            }
        } catch (IOException e) {
            throw a.error("file", "cannot read trace '" + file + "': " + e.getMessage());
        }
        if (a.has("load") == a.has("timeScale")) {
            throw a.error("load", "give exactly one of load (the time scale is then chosen so the replay averages "
                    + "this share of the service's cores) or timeScale");
        }
        double timeScale;
        if (a.has("load")) {
            double load = a.number("load", 0.0001, 10);
            // mean rate after scaling = trace rate / timeScale = load · fullRate (sizes have mean 1).
            timeScale = data.meanRatePerSec() / (load * fullRate);
        } else {
            timeScale = a.number("timeScale", 1e-9, 1e9);
        }
        boolean loop = a.bool("loop", true);
        var phase = a.choice("phase", ArrivalSpec.Trace.Phase.START, ArrivalSpec.Trace.Phase.class);
        if (phase == ArrivalSpec.Trace.Phase.SEEDED && !loop) {
            throw a.error("phase", "a seeded phase needs loop: true (the replay wraps around the end of the trace)");
        }
        return new ArrivalSpec.Trace(source, data, timeScale, loop, phase);
    }

    private BatchSpec batch(ConfigNode n, MachineSpec machine) {
        n.allow("name", "cpus", "kind", "ipc", "mpki", "mlp", "cpuWeight", "cpuMax");
        String name = name(n);
        CpuSet cpus = requiredCpus(n, machine);
        BatchSpec.Kind kind = n.choice("kind", BatchSpec.Kind.CPU, BatchSpec.Kind.class);
        CpuMax cpuMax = cpuMax(n);
        return new BatchSpec(name, cpus, kind, n.number("ipc", kind.defaultIpc(), 0.01, 16),
                n.number("mpki", kind.defaultMpki(), 0, 1000), n.number("mlp", kind.defaultMlp(), 1, 1000),
                (int) n.integer("cpuWeight", 100, 1, 10_000), cpuMax.quotaUsec(), cpuMax.periodUsec());
    }

    private static String name(ConfigNode n) {
        String name = n.text("name");
        if (!NAME.matcher(name).matches()) {
            throw n.error("name", "'" + name + "' is not a valid name (letters, digits, '_', '.', '-'; starting with a"
                    + " letter or digit)");
        }
        return name;
    }

    private static CpuMax cpuMax(ConfigNode n) {
        try {
            return CpuMax.parse(n.text("cpuMax", "max 100000"), CpuMax.DEFAULT_PERIOD_USEC);
        } catch (IllegalArgumentException e) {
            throw n.error("cpuMax", e.getMessage());
        }
    }

    private static CpuSet requiredCpus(ConfigNode n, MachineSpec machine) {
        if (!n.has("cpus")) {
            throw n.error("cpus", "missing (a CPU list like 0-3 is required)");
        }
        CpuSet cpus = n.cpus("cpus", CpuSet.empty());
        if (cpus.isEmpty()) {
            throw n.error("cpus", "must name at least one CPU");
        }
        checkInside(n, "cpus", cpus, machine.cpuCount());
        return cpus;
    }

    private static void checkInside(ConfigNode n, String key, CpuSet cpus, int cpuCount) {
        if (!cpus.isEmpty() && cpus.get(cpus.size() - 1) >= cpuCount) {
            throw n.error(key, "CPU " + cpus.get(cpus.size() - 1) + " is outside the machine (CPUs 0-" + (cpuCount - 1) + ")");
        }
    }

    private static void checkDisjoint(List<ConfigNode> nodes, List<CpuSet> sets, String what) {
        for (int i = 0; i < sets.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (sets.get(i).intersects(sets.get(j))) {
                    throw nodes.get(i).error("cpus", "overlaps the CPUs of an earlier entry (" + sets.get(j)
                            + "); " + what + " must use disjoint CPUs");
                }
            }
        }
    }
}
