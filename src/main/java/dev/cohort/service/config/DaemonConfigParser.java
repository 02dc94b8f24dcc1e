package dev.cohort.service.config;

import dev.cohort.balance.BalancerKind;
import dev.cohort.balance.BudgetLoop;
import dev.cohort.balance.BudgetSpec;
import dev.cohort.control.ControllerConfig;
import dev.cohort.control.GovernorConfig;
import dev.cohort.control.RewardWeights;
import dev.cohort.platform.CgroupRole;
import dev.cohort.platform.CohortException;
import dev.cohort.platform.ConfigNode;
import dev.cohort.platform.CpuSet;
import dev.cohort.policy.Policies;
import dev.cohort.policy.Role;
import dev.cohort.policy.baseline.Baselines;
import dev.cohort.service.metrics.Metrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@link DaemonConfig} from YAML ({@code configs/cohort.yaml} documents every option): every value checked, every
 * error one line naming the file, the line and the key, unknown keys refused. Reads only the configuration file.
 */
final class DaemonConfigParser {
    private DaemonConfigParser() {
    }

    /**
     * Loads {@code file}; when {@code file} is null the default file is read if it exists, else built-in defaults.
     *
     * @throws CohortException naming file, line and key on any error
     */
    static DaemonConfig load(Path file) {
        Path f = file == null ? DaemonConfig.DEFAULT_FILE : file;
        String text;
        try {
            text = Files.readString(f);
        } catch (NoSuchFileException e) {
            if (file == null) {
                return parse("built-in defaults", "");
            }
            throw new CohortException("config file " + f + " does not exist (see configs/cohort.yaml for a commented example)");
        } catch (IOException e) {
            throw new CohortException(ConfigNode.oneLine("cannot read config file " + f + ": " + e.getMessage()));
        }
        return parse(f.toString(), text);
    }

    /** Parses a configuration document; {@code file} names it in errors. */
    static DaemonConfig parse(String file, String yaml) {
        ConfigNode root = ConfigNode.parse(file, yaml);
        long period = duration(root, "period", 100_000_000L);
        if (period < 1_000_000L || period > 60_000_000_000L) {
            throw root.error("period", Units.formatNanos(period) + " is outside 1ms..60s");
        }
        DaemonConfig.BackendKind backend = root.value("backend", DaemonConfig.BackendKind.LINUX, DaemonConfig.BackendKind::parse);
        boolean dry = root.bool("dry_run", false);
        RestorePolicy restore = root.value("restore_on_exit", RestorePolicy.ALWAYS, RestorePolicy::parse);

        ConfigNode paths = root.mapping("paths");
        Path stateDir = paths.value("state_dir", Path.of("/run/cohort"), DaemonConfigParser::path);
        Path socket = paths.value("status_socket", stateDir.resolve("cohort.sock"), DaemonConfigParser::path);
        Path journal = paths.value("journal", Path.of("/var/lib/cohort/journal.jsonl"), DaemonConfigParser::path);
        if (socket.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 107) {
            throw paths.error("status_socket", "'" + socket + "' is longer than the 107 bytes a Unix socket path may have");
        }

        DaemonConfig.JournalFiles journalFiles = journalFiles(root.mapping("journal"), journal);

        ConfigNode h = root.mapping("host");
        DaemonConfig.Host host = new DaemonConfig.Host(h.value("root", Path.of("/"), DaemonConfigParser::path),
                h.value("reserved_cpus", CpuSet.empty(), s -> s.isBlank() ? CpuSet.empty() : CpuSet.parse(s, DaemonConfig.MAX_CPU)),
                h.value("resctrl_group", "cohort-be", DaemonConfigParser::resctrlGroup), h.bool("perf", true));
        double tdp = h.value("tdp", ControllerConfig.DEFAULT.tdpWatts(), v -> positive(Units.watts(v), v, "150W"));
        double memPeak = h.value("memory_peak", ControllerConfig.DEFAULT.memPeakBytesPerSec(),
                v -> positive(Units.bytesPerSec(v), v, "40GB/s"));

        ConfigNode s = root.mapping("sim");
        DaemonConfig.Sim sim = new DaemonConfig.Sim(s.text("scenario", "steady"), s.value("seed", 1L, DaemonConfigParser::wholeNumber));

        ConfigNode pol = root.mapping("policy");
        DaemonConfig.PolicyChoice choice = policyChoice(file, pol);
        double lambda = pol.number("lambda", 1.0, 0, 1000);
        int coreLevels = pol.intValue("core_levels", ControllerConfig.DEFAULT.coreLevels(), 2, 64);
        int quotaLevels = pol.intValue("quota_levels", ControllerConfig.DEFAULT.quotaLevels(), 2, 64);
        long quotaPeriod = duration(pol, "quota_period", ControllerConfig.DEFAULT.quotaPeriodUsec() * 1000L) / 1000;
        if (quotaPeriod < 1000 || quotaPeriod > 1_000_000) {
            throw pol.error("quota_period", "must be 1ms..1s (the kernel's cpu.max period range)");
        }

        ConfigNode rw = root.mapping("reward");
        RewardWeights d = RewardWeights.DEFAULT;
        RewardWeights reward = new RewardWeights(rw.number("alpha", d.alpha(), 0, 1e6), rw.number("beta", d.beta(), 0, 1e6),
                rw.number("gamma", d.gamma(), 0, 1e6), rw.number("delta", d.delta(), 0, 1e6));

        ConfigNode gov = root.mapping("governor");
        GovernorConfig governor = governor(gov);
        double idle = h.value("idle_power", Double.NaN, v -> v.equals("none") ? Double.NaN : positive(Units.watts(v), v, "40W, or none"));
        DaemonConfig.Budget budget = budget(file, root, gov, period, idle);
        ControllerConfig controller = new ControllerConfig(coreLevels, quotaLevels, quotaPeriod, tdp, memPeak, lambda,
                reward, governor);

        List<DaemonConfig.Cgroup> cgroups = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ConfigNode c : root.list("cgroups")) {
            DaemonConfig.Cgroup cg = cgroup(c);
            if (!names.add(cg.name())) {
                throw c.error("name", "'" + cg.name() + "' is used by another cgroup");
            }
            cgroups.add(cg);
        }

        ConfigNode m = root.mapping("metrics");
        DaemonConfig.Metrics metrics = new DaemonConfig.Metrics(m.bool("enabled", true), m.text("address", "127.0.0.1"), m.intValue("port", 9464, 0, 65535));
        root.finish();
        return new DaemonConfig(file, new DaemonConfig.Run(period, backend, dry, restore), new DaemonConfig.Paths(stateDir, socket),
                journalFiles, host, sim, choice, controller, cgroups, metrics, budget);
    }

    /**
     * {@code power_budget}, {@code balancer}, {@code balancer_step} and {@code lambda_max}; and the deprecated
     * {@code governor.power_budget}, read as {@code power_budget} in watts with {@code balancer: governor}. The budget
     * meets the machine's idle power and TDP when the daemon starts ({@code DaemonBudget}).
     */
    private static DaemonConfig.Budget budget(String file, ConfigNode root, ConfigNode gov, long period, double idle) {
        BudgetSpec spec = root.value("power_budget", null, v -> v.equals("none") ? null : BudgetSpec.parse(v));
        BalancerKind kind = root.value("balancer", DaemonConfig.Budget.NONE.balancer(), BalancerKind::parse);
        // unset: the whole number of periods nearest 1 s, so that any period works without a budget; set: exactly that
        long dflt = Math.max(1, Math.round((double) BudgetLoop.DEFAULT_STEP_NANOS / period)) * period;
        long step = duration(root, "balancer_step", dflt);
        if (step < period || step % period != 0) {
            throw root.error("balancer_step", Units.formatNanos(step) + " must be a whole number of periods (period "
                    + Units.formatNanos(period) + "), at least one");
        }
        double lambdaMax = root.value("lambda_max", BudgetLoop.DEFAULT_LAMBDA_MAX, v -> {
            double x;
            try {
                x = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                x = Double.NaN;
            }
            if (!(x >= 0) || Double.isInfinite(x)) {
                throw new IllegalArgumentException("'" + v + "' must be a number of at least 0 (λ is never negative), e.g. 4");
            }
            return x;
        });
        String where = file + ":" + root.line("power_budget") + ": power_budget";
        boolean alias = false;
        double w = gov.value("power_budget", Double.NaN,
                v -> v.equals("none") ? Double.NaN : positive(Units.watts(v), v, "200W, or none"));
        if (!Double.isNaN(w)) {
            if (spec != null) {
                throw gov.error("power_budget", "is the deprecated form of power_budget with balancer: governor;"
                        + " give only power_budget (and balancer)");
            }
            if (root.has("balancer") && kind != BalancerKind.GOVERNOR) {
                throw gov.error("power_budget", "is the deprecated form of power_budget with balancer: governor, and"
                        + " balancer is " + kind.key() + "; write power_budget: " + Units.trim(w) + "W instead");
            }
            spec = new BudgetSpec.Watts(w);
            kind = BalancerKind.GOVERNOR;
            alias = true;
            where = file + ":" + gov.line("power_budget") + ": governor.power_budget";
        }
        Path dynamics = root.value("dynamics_model", DaemonConfig.Budget.NONE.dynamicsModel(), DaemonConfigParser::path);
        boolean costSet = root.has("cost_model");
        Path cost = root.value("cost_model", DaemonConfig.Budget.NONE.costModel(), DaemonConfigParser::path);
        return new DaemonConfig.Budget(spec, kind, step, lambdaMax, idle, alias, where, dynamics, cost, costSet);
    }

    private static DaemonConfig.JournalFiles journalFiles(ConfigNode j, Path journal) {
        long maxBytes = j.value("max_size", DaemonConfig.JOURNAL_MAX_SIZE, Units::bytes);
        if (maxBytes < 4096) {
            throw j.error("max_size", "at least 4KiB, got " + maxBytes + " bytes");
        }
        int keep = j.intValue("keep", DaemonConfig.JOURNAL_KEEP, 0, 1000);
        long maxTotal = j.value("max_total", Math.max(DaemonConfig.JOURNAL_MAX_TOTAL, maxBytes), Units::bytes);
        if (maxTotal < maxBytes) {
            throw j.error("max_total", "is below journal.max_size (" + maxBytes + " bytes): the current file alone may reach"
                    + " max_size; raise max_total or lower max_size");
        }
        return new DaemonConfig.JournalFiles(journal, maxBytes, keep, maxTotal, j.bool("observations", false));
    }

    private static DaemonConfig.PolicyChoice policyChoice(String file, ConfigNode pol) {
        Map<Role, String> policies = new EnumMap<>(Role.class);
        Map<Role, String> lines = new EnumMap<>(Role.class);
        for (Role r : Role.values()) {
            policies.put(r, policySpec(pol, r.id(), "slo-guard"));
            lines.put(r, file + ":" + pol.line(r.id()) + ": policy." + r.id());
        }
        String fallback = policySpec(pol, "fallback", "slo-guard");
        if (!Baselines.isBaseline(fallback)) {
            throw pol.error("fallback", "must be a baseline (" + String.join(", ", Baselines.NAMES) + "), got '" + fallback + "'");
        }
        return new DaemonConfig.PolicyChoice(policies, fallback, lines);
    }

    private static String policySpec(ConfigNode pol, String key, String def) {
        return pol.value(key, def, v -> {
            if (v.strip().equals(Policies.ORACLE)) {
                throw new IllegalArgumentException(Policies.ORACLE_NEEDS_SIMULATOR);
            }
            if (Policies.SIMULATOR_ONLY.contains(v.strip())) {
                throw new IllegalArgumentException(Policies.simulatorOnly(v).getMessage());
            }
            if (!Baselines.isBaseline(v) && !v.startsWith("onnx:") && !v.equals("learned") && !v.startsWith("learned,")) {
                throw new IllegalArgumentException("unknown policy '" + v + "' (baselines: " + String.join(", ", Baselines.NAMES)
                        + "; learned models: onnx:DIR or learned)");
            }
            if (Baselines.isBaseline(v)) {
                try {
                    Baselines.check(v);
                } catch (CohortException e) {
                    throw new IllegalArgumentException(e.getMessage());
                }
            }
            return v;
        });
    }

    /** A duration in nanoseconds, written with its unit ({@code 100ms}). */
    private static long duration(ConfigNode n, String key, long defNanos) {
        return n.value(key, defNanos, Units::nanos);
    }

    /** A file system path as written: not empty, no NUL (checked, never touched: loading reads only the config file). */
    static Path path(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("is empty: give a path, e.g. /run/cohort");
        }
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("contains a NUL character: give a plain path, e.g. /run/cohort");
        }
        return Path.of(text);
    }

    /** A whole number ({@code long}). */
    static long wholeNumber(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number (e.g. 1)");
        }
    }

    /** {@code value} when it is finite and above zero; else an error showing an accepted form. */
    static double positive(double value, String text, String example) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("'" + text + "' must be a positive, finite value (e.g. " + example + ")");
        }
        return value;
    }

    /**
     * A managed cgroup's path below the hierarchy root, normalised to its relative form: a leading {@code /} (as
     * {@code /proc/PID/cgroup} prints it) is dropped, as is a trailing one; the root itself, empty segments, {@code .}
     * and {@code ..} are refused, so no configured path can reach outside the cgroup tree.
     */
    static String cgroupPath(String text) {
        String p = text;
        if (p.startsWith("/")) {
            p = p.substring(1);
        }
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' is the root of the cgroup hierarchy; name a cgroup below it"
                    + " (e.g. system.slice/web.service)");
        }
        for (int i = 0; i < p.length(); i++) {
            if (p.charAt(i) < 0x20 || p.charAt(i) == 0x7f) {
                throw new IllegalArgumentException("'" + text + "' holds a control character; give a path below the"
                        + " hierarchy root (e.g. system.slice/web.service)");
            }
        }
        for (String seg : p.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
                throw new IllegalArgumentException("'" + text + "' is not a plain path below the cgroup hierarchy root (no '..',"
                        + " '.' or empty segments; e.g. system.slice/web.service)");
            }
        }
        return p;
    }

    /** The resctrl group: one plain directory name directly under the resctrl root, never the root or its own files. */
    static String resctrlGroup(String text) {
        if (!text.matches("[A-Za-z0-9_.-]{1,64}") || text.equals(".") || text.equals("..")
                || DaemonConfig.RESCTRL_RESERVED.contains(text)) {
            throw new IllegalArgumentException("'" + text + "' is not a group name cohort may create: use one plain"
                    + " directory name of letters, digits, '.', '_' and '-' (not ., .., " + String.join(", ", DaemonConfig.RESCTRL_RESERVED)
                    + "), e.g. cohort-be");
        }
        return text;
    }

    /** The governor's limits; its power budget is the daemon's to set ({@code balancer: governor}), so none here. */
    private static GovernorConfig governor(ConfigNode g) {
        GovernorConfig d = GovernorConfig.DEFAULT;
        double budget = Double.NaN;
        return new GovernorConfig(g.number("lc_freq_floor", d.lcFreqFloor(), 0, 1),
                g.intValue("lc_freq_step_down", d.lcFreqStepDown(), 1, 64), g.intValue("be_grow_step", d.beGrowStep(), 1, 64),
                g.number("be_quota_floor", d.beQuotaFloor(), 0, 1), g.value("freq_dead_band", d.freqDeadBandKhz(), Units::khz),
                g.bool("slo_override", d.sloOverride()), g.number("override_pressure", d.overridePressure(), 0, 1), budget);
    }

    private static DaemonConfig.Cgroup cgroup(ConfigNode c) {
        String name = c.text("name");
        if (!name.matches("[A-Za-z0-9_.-]+")) {
            throw c.error("name", "'" + name + "' may use only letters, digits, '.', '_' and '-'");
        }
        c.text("path");
        String path = c.value("path", "", DaemonConfigParser::cgroupPath);
        CgroupRole role = c.value("role", CgroupRole.BEST_EFFORT, v -> switch (v) {
            case "latency-critical" -> CgroupRole.LATENCY_CRITICAL;
            case "best-effort" -> CgroupRole.BEST_EFFORT;
            default -> throw new IllegalArgumentException("'" + v + "' is not latency-critical or best-effort");
        });
        ConfigNode slo = c.mapping("slo");
        long target = duration(slo, "target", 0) / 1000;
        double q = slo.number("quantile", 0.99, 0.5, 0.99999);
        if (role == CgroupRole.LATENCY_CRITICAL && target <= 0) {
            throw c.error("slo.target: a latency-critical cgroup needs a latency target (e.g. slo: {target: 5ms, quantile: 0.99})");
        }
        LatencySpec latency = latency(c.mapping("latency"));
        if (role == CgroupRole.BEST_EFFORT && !(latency instanceof LatencySpec.Psi)) {
            throw c.error("latency", "only latency-critical cgroups have a latency source");
        }
        double reference = c.number("reference_rate", Double.NaN, 1, 1e15);
        if (role == CgroupRole.LATENCY_CRITICAL && !Double.isNaN(reference)) {
            throw c.error("reference_rate", "only best-effort cgroups have a reference rate (their progress is measured against it)");
        }
        return new DaemonConfig.Cgroup(name, path, role, target, q, latency, reference);
    }

    private static LatencySpec latency(ConfigNode l) {
        String source = l.choice("source", "psi", List.of("psi", "prometheus", "file"));
        // a Prometheus metric is in seconds by convention; a file is taken to hold microseconds unless told
        double perUnit = l.value("unit", source.equals("file") ? 1.0 : 1e6, LatencySpec::usecPerUnit);
        long interval = duration(l, "interval", 1_000_000_000L);
        if (interval < 10_000_000L) {
            throw l.error("interval", "at least 10ms");
        }
        return switch (source) {
            case "prometheus" -> {
                String path = l.text("path", "/metrics");
                if (!path.matches("/[!-~]*")) {
                    throw l.error("path", "'" + path + "' must start with / and hold no spaces (the host is always 127.0.0.1),"
                            + " e.g. /metrics");
                }
                String type = l.choice("type", "histogram", List.of("histogram", "summary"));
                int port = l.intValue("port", -1, 1, 65535);
                if (port < 0) {
                    throw l.error("port: required for source prometheus (the service's metrics port on 127.0.0.1)");
                }
                yield new LatencySpec.Prometheus(port, path, l.text("metric"),
                        type.equals("histogram"), l.number("quantile", 0.99, 0.5, 0.99999), l.stringMap("labels"), perUnit, interval);
            }
            case "file" -> {
                l.text("file");
                yield new LatencySpec.File(l.value("file", Path.of("/"), DaemonConfigParser::path), perUnit, interval);
            }
            default -> new LatencySpec.Psi();
        };
    }
}
