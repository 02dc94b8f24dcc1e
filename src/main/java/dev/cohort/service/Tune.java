package dev.cohort.service;

import dev.cohort.platform.CgroupRole;
import dev.cohort.platform.CohortException;
import dev.cohort.platform.Setting;
import dev.cohort.platform.SettingResult;
import dev.cohort.platform.Topology;
import dev.cohort.service.config.Units;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code cohort tune}: one manual knob change in the units people use, validated against the host's topology
 * before anything is written. The same code validates a request whether the CLI applies it directly or the
 * running daemon does (as an override it holds until released), so both paths give the same errors.
 *
 * <ul>
 *   <li>{@code freq TARGET 2.4GHz} (maximum frequency; {@code freq-min} for the minimum): TARGET is a frequency
 *       domain index, its policy name ({@code policy4}), or {@code all}</li>
 *   <li>{@code quota CGROUP 250%}: at most 2.5 CPUs of time per period; {@code max} lifts the limit</li>
 *   <li>{@code weight CGROUP 200}: cgroup v2 {@code cpu.weight}, 1..10000</li>
 *   <li>{@code mba TARGET 50%}: memory bandwidth of the best-effort group in a memory domain (or {@code all})</li>
 *   <li>{@code epp TARGET balance_power}: energy-performance preference by name, or 0..255</li>
 *   <li>{@code budget 120W} or {@code budget 80%} (of TDP): the daemon's power budget, held in place of the configured
 *       one until released ({@code budget off}, or {@code release budget}); the daemon's alone, as it is no knob</li>
 * </ul>
 */
public final class Tune {
    /** The knob kinds {@code cohort tune} accepts. */
    public static final List<String> KINDS = List.of("freq", "freq-min", "quota", "weight", "mba", "epp");
    /** The power budget's kind: not a knob but the daemon's, so only a running daemon takes it. */
    public static final String BUDGET = "budget";
    /** {@code tune budget off}: the same as {@code tune release budget}. */
    public static final String BUDGET_OFF = "off";
    static final List<String> EPP_NAMES = List.of("default", "performance", "balance_performance", "balance_power", "power");

    private Tune() {
    }

    /**
     * One request as typed.
     *
     * @param kind   one of {@link #KINDS}
     * @param target domain index, policy name, cgroup name or {@code all}
     * @param value  the value with its unit
     * @param force  allow what is refused by default: a quota on a latency-critical cgroup
     */
    public record Request(String kind, String target, String value, boolean force) {
        /** A request without {@code --force}. */
        public Request(String kind, String target, String value) {
            this(kind, target, value, false);
        }
    }

    /**
     * The settings a request means on this host.
     *
     * @param quotaPeriodUsec CFS period written with a quota
     * @throws CohortException one line naming the value and the allowed range or names
     */
    public static List<Setting> resolve(Request r, Topology t, long quotaPeriodUsec) {
        return switch (r.kind()) {
            case "freq", "freq-min" -> freq(r, t);
            case "epp" -> epp(r, t);
            case "quota" -> quota(r, t, quotaPeriodUsec);
            case "weight" -> weight(r, t);
            case "mba" -> mba(r, t);
            default -> throw new CohortException("cannot tune '" + r.kind() + "' (one of " + String.join(", ", KINDS) + ")");
        };
    }

    private static List<Setting> freq(Request r, Topology t) {
        if (r.value().strip().startsWith("-")) {
            throw new CohortException(r.kind() + " " + r.value().strip() + " is negative: use a frequency within the"
                    + " domain's range, e.g. 2.4GHz");
        }
        long khz = parse(r, Units::khz);
        List<Setting> out = new ArrayList<>();
        for (int d : freqDomains(r, t)) {
            Topology.FrequencyDomain fd = t.frequencyDomains().get(d);
            if (khz < fd.minKhz() || khz > fd.maxKhz()) {
                throw new CohortException(r.value() + " is outside freq-domain " + d + " (" + fd.name() + ") range "
                        + Units.formatKhz(fd.minKhz()) + ".." + Units.formatKhz(fd.maxKhz()));
            }
            out.add(r.kind().equals("freq") ? new Setting.FreqMaxKhz(d, khz) : new Setting.FreqMinKhz(d, khz));
        }
        return out;
    }

    private static List<Setting> epp(Request r, Topology t) {
        String v = r.value().strip().toLowerCase(Locale.ROOT);
        if (!EPP_NAMES.contains(v)) {
            try {
                int n = Integer.parseInt(v);
                if (n < 0 || n > 255) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new CohortException("EPP '" + r.value() + "' is not one of " + String.join(", ", EPP_NAMES) + " or 0..255");
            }
        }
        return freqDomains(r, t).stream().map(d -> (Setting) new Setting.Epp(d, v)).toList();
    }

    private static List<Setting> quota(Request r, Topology t, long quotaPeriodUsec) {
        int g = cgroup(r, t);
        Topology.CgroupInfo c = t.cgroups().get(g);
        if (r.value().strip().equals("max")) {
            return List.of(new Setting.CpuMaxUsec(g, -1, quotaPeriodUsec));
        }
        int max = Math.max(1, c.cpus().size());
        double min = 1000.0 / quotaPeriodUsec;
        String range = Units.trim(min * 100) + "%.." + max * 100 + "% (1 ms per " + quotaPeriodUsec / 1000
                + " ms period up to its " + max + " CPUs); or max for no limit";
        if (r.value().strip().startsWith("-")) {
            throw new CohortException("quota " + r.value().strip() + " is negative: allowed " + range);
        }
        double cpus = parse(r, Units::percent);
        if (!(cpus >= min && cpus <= max)) {
            throw new CohortException("quota " + r.value() + " for cgroup " + c.name() + " is outside " + range);
        }
        if (c.role() == CgroupRole.LATENCY_CRITICAL && !r.force()) {
            throw new CohortException("cgroup " + c.name() + " is latency-critical: a quota would throttle the service"
                    + " cohort is there to protect (its SLO " + Units.formatNanos(c.sloUsec() * 1000) + "), and cohort"
                    + " never throttles it; add --force to set it anyway");
        }
        return List.of(new Setting.CpuMaxUsec(g, Math.round(cpus * quotaPeriodUsec), quotaPeriodUsec));
    }

    private static List<Setting> weight(Request r, Topology t) {
        int g = cgroup(r, t);
        if (r.value().strip().startsWith("-")) {
            throw new CohortException("weight " + r.value().strip() + " is negative: allowed 1..10000 (cgroup v2 cpu.weight;"
                    + " 100 is the default)");
        }
        int w;
        try {
            w = Integer.parseInt(r.value().strip());
        } catch (NumberFormatException e) {
            w = -1;
        }
        if (w < 1 || w > 10000) {
            throw new CohortException("weight '" + r.value() + "' is not a whole number in 1..10000 (cgroup v2 cpu.weight; 100 is the default)");
        }
        return List.of(new Setting.CpuWeight(g, w));
    }

    private static List<Setting> mba(Request r, Topology t) {
        if (r.value().strip().startsWith("-")) {
            throw new CohortException("MBA " + r.value().strip() + " is negative: allowed a percentage up to 100% of the"
                    + " memory domain's bandwidth, e.g. 50%");
        }
        double frac = parse(r, Units::percent);
        List<Setting> out = new ArrayList<>();
        for (int m : memDomains(r, t)) {
            Topology.MbaScale s = t.memoryDomains().get(m).mba().orElseThrow();
            int v = s.percent() ? (int) Math.round(frac * 100) : (int) Math.round(frac * s.max());
            int lo = s.percent() ? s.min() : (int) Math.ceil(100.0 * Math.max(1, s.min()) / s.max());
            if (v < s.min() || v > s.max() || frac > 1) {
                throw new CohortException("MBA " + r.value() + " is outside mem-domain " + m + " range " + lo + "%..100%"
                        + (s.percent() && s.granularity() > 1 ? " (in steps of " + s.granularity() + "%, rounded up)" : ""));
            }
            out.add(new Setting.MbaPercent(m, v));
        }
        return out;
    }

    /**
     * A power budget as {@code cohort tune budget} takes it: watts or a percent of TDP, as in the configuration.
     *
     * @throws CohortException one line naming the value and the forms allowed
     */
    public static dev.cohort.balance.BudgetSpec budget(String value) {
        try {
            return dev.cohort.balance.BudgetSpec.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CohortException("budget: " + e.getMessage() + "; or off to return to the configured budget");
        }
    }

    /** The override keys a release of {@code kind target} means ({@code all}: null, every override). */
    public static List<String> releaseKeys(String kind, String target, Topology t, long quotaPeriodUsec) {
        String probe = switch (kind) {
            case "freq", "freq-min" -> Units.formatKhz(t.frequencyDomains().isEmpty() ? 1 : t.frequencyDomains().getFirst().minKhz()).replace(" ", "");
            case "quota" -> "max";
            case "weight" -> "100";
            case "mba" -> "100%";
            case "epp" -> "default";
            default -> throw new CohortException("cannot release '" + kind + "' (one of " + String.join(", ", KINDS) + ", or all)");
        };
        List<String> keys = new ArrayList<>();
        for (Setting s : resolveForRelease(new Request(kind, target, probe), t, quotaPeriodUsec)) {
            keys.add(s.knobKey());
        }
        return keys;
    }

    private static List<Setting> resolveForRelease(Request r, Topology t, long period) {
        if (r.kind().startsWith("freq")) {
            return freqDomains(r, t).stream().map(d -> r.kind().equals("freq") ? (Setting) new Setting.FreqMaxKhz(d, 0)
                    : new Setting.FreqMinKhz(d, 0)).toList();
        }
        if (r.kind().equals("mba")) {
            return memDomains(r, t).stream().map(m -> (Setting) new Setting.MbaPercent(m, 0)).toList();
        }
        return resolve(r, t, period);
    }

    private interface Parser<T> {
        T parse(String s);
    }

    private static <T> T parse(Request r, Parser<T> p) {
        try {
            return p.parse(r.value());
        } catch (IllegalArgumentException e) {
            throw new CohortException(r.kind() + ": " + e.getMessage());
        }
    }

    private static List<Integer> freqDomains(Request r, Topology t) {
        if (t.frequencyDomains().isEmpty()) {
            throw new CohortException("this host has no frequency domains (no cpufreq), so there is no " + r.kind() + " to tune");
        }
        List<Integer> out = new ArrayList<>();
        if (r.target().equals("all")) {
            for (int d = 0; d < t.frequencyDomains().size(); d++) {
                if (t.isManaged(t.frequencyDomains().get(d))) {
                    out.add(d);
                }
            }
            return out;
        }
        int d = -1;
        for (int i = 0; i < t.frequencyDomains().size(); i++) {
            if (t.frequencyDomains().get(i).name().equals(r.target())) {
                d = i;
            }
        }
        if (d < 0) {
            try {
                d = Integer.parseInt(r.target());
            } catch (NumberFormatException e) {
                d = -1;
            }
        }
        if (d < 0 || d >= t.frequencyDomains().size()) {
            throw new CohortException("no frequency domain '" + r.target() + "' (use 0.." + (t.frequencyDomains().size() - 1)
                    + ", a policy name such as " + t.frequencyDomains().getFirst().name() + ", or all)");
        }
        Topology.FrequencyDomain fd = t.frequencyDomains().get(d);
        if (!t.isManaged(fd)) {
            throw new CohortException("freq-domain " + d + " (" + fd.name() + ", CPUs " + fd.cpus() + ") holds reserved CPUs "
                    + t.reservedCpus() + "; cohort never writes it");
        }
        out.add(d);
        return out;
    }

    private static List<Integer> memDomains(Request r, Topology t) {
        List<Integer> with = new ArrayList<>();
        for (int m = 0; m < t.memoryDomains().size(); m++) {
            if (t.memoryDomains().get(m).mba().isPresent()) {
                with.add(m);
            }
        }
        if (with.isEmpty()) {
            throw new CohortException("this host has no memory bandwidth allocation (resctrl MB), so there is no mba to tune");
        }
        if (r.target().equals("all")) {
            return with;
        }
        try {
            int m = Integer.parseInt(r.target());
            if (with.contains(m)) {
                return List.of(m);
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new CohortException("no memory domain '" + r.target() + "' with MBA (use one of " + with + " or all)");
    }

    private static int cgroup(Request r, Topology t) {
        List<String> names = new ArrayList<>();
        for (int g = 0; g < t.cgroups().size(); g++) {
            names.add(t.cgroups().get(g).name());
            if (t.cgroups().get(g).name().equals(r.target())) {
                return g;
            }
        }
        throw new CohortException("no managed cgroup '" + r.target() + "' (" + (names.isEmpty()
                ? "none is configured: add it under cgroups: in the config" : "configured: " + String.join(", ", names)) + ")");
    }

    /** One line per result: the knob, requested and applied, and what happened. */
    public static String describe(SettingResult r) {
        String req = r.requested().isEmpty() ? r.setting().valueText() : r.requested();
        return String.format("%-16s %-14s requested %-22s applied %-16s %s%s", r.setting().target(), label(r.setting()),
                req, r.applied().isEmpty() ? "-" : r.applied(), r.outcome().name().toLowerCase(Locale.ROOT),
                r.detail().isEmpty() || r.outcome() == SettingResult.Outcome.CLAMPED ? "" : ": " + r.detail());
    }

    static String label(Setting s) {
        return switch (s) {
            case Setting.FreqMaxKhz f -> "max freq kHz";
            case Setting.FreqMinKhz f -> "min freq kHz";
            case Setting.Epp e -> "epp";
            case Setting.CpuMaxUsec c -> "cpu.max us";
            case Setting.CpuWeight w -> "cpu.weight";
            case Setting.MbaPercent m -> "mba";
            case Setting.PowerLimitUw p -> "power limit";
        };
    }
}
