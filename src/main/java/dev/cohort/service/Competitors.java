package dev.cohort.service;

import dev.cohort.platform.linux.CpufreqSysfs;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Finds what else on the host would write the knobs cohort writes, and says so at start (stderr, the journal,
 * status and a metric): tuning daemons by process name ({@code tuned}, {@code power-profiles-daemon},
 * {@code thermald}, {@code auto-cpufreq}, {@code tlp}, GEOPM's {@code geopmd}), RDT tools ({@code pqos},
 * {@code rdtset}) and resctrl groups that are not cohort's, and cpufreq governors that choose frequencies
 * themselves below cohort's limit (the limit is then a ceiling, which is how cohort uses it, but a governor or
 * HWP that ignores it would undo cohort's choice). Another cohort is found by the lock, not here.
 * Reads {@code /proc/PID/comm} and sysfs under the configured root; never fails (an unreadable entry is skipped).
 */
public final class Competitors {
    /** Process names of known tuners and what each touches. */
    static final Map<String, String> KNOWN = new LinkedHashMap<>();

    static {
        KNOWN.put("tuned", "TuneD applies profiles to cpufreq governors, EPP, intel_pstate and cgroups; stop it or disable its cpu plugin");
        KNOWN.put("power-profiles-", "power-profiles-daemon writes EPP and platform profiles; stop it (systemctl mask power-profiles-daemon)");
        KNOWN.put("thermald", "thermald lowers scaling_max_freq and RAPL limits when hot; cohort's limits may be overridden while it acts");
        KNOWN.put("auto-cpufreq", "auto-cpufreq rewrites governors, EPP and turbo; stop it");
        KNOWN.put("tlp", "TLP writes governors, EPP and turbo on power events; disable its CPU settings");
        KNOWN.put("geopmd", "GEOPM's service writes frequency and power controls; do not run both");
        KNOWN.put("pqos", "pqos writes RDT allocations (possibly through MSRs, bypassing resctrl); do not mix it with cohort's MBA");
        KNOWN.put("rdtset", "rdtset writes RDT allocations; do not mix it with cohort's MBA");
    }

    private Competitors() {
    }

    /**
     * Scans the host under {@code root}.
     *
     * @param resctrlGroup cohort's own resctrl group (not reported)
     * @return one line per finding, empty when none
     */
    public static List<String> scan(Path root, String resctrlGroup) {
        List<String> out = new ArrayList<>();
        processes(root, out);
        governors(root, out);
        resctrl(root, resctrlGroup, out);
        return out;
    }

    private static void processes(Path root, List<String> out) {
        Path proc = root.resolve("proc");
        long self = ProcessHandle.current().pid();
        TreeMap<String, List<String>> found = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(proc, p -> p.getFileName().toString().matches("[0-9]+"))) {
            for (Path p : ds) {
                if (p.getFileName().toString().equals(Long.toString(self))) {
                    continue;
                }
                String comm;
                try {
                    comm = Files.readString(p.resolve("comm")).strip();
                } catch (IOException e) {
                    continue; // gone, or not ours to read
                }
                for (String name : KNOWN.keySet()) {
                    if (comm.equals(name) || (name.endsWith("-") && comm.startsWith(name))) {
                        found.computeIfAbsent(name, k -> new ArrayList<>()).add(p.getFileName().toString());
                    }
                }
            }
        } catch (IOException e) {
            return;
        }
        found.forEach((name, pids) -> out.add("competing tuner: " + name.replaceAll("-$", "") + " (pid " + String.join(",", pids)
                + ") is running: " + KNOWN.get(name)));
    }

    private static void governors(Path root, List<String> out) {
        try {
            CpufreqSysfs cpufreq = new CpufreqSysfs(root);
            if (!cpufreq.present()) {
                return;
            }
            TreeMap<String, List<String>> byGov = new TreeMap<>();
            String driver = "";
            for (CpufreqSysfs.Policy p : cpufreq.policies()) {
                if (p.active() && !p.governor().isEmpty()) {
                    byGov.computeIfAbsent(p.governor(), g -> new ArrayList<>()).add(p.name());
                    driver = p.driver();
                }
            }
            for (var e : byGov.entrySet()) {
                String g = e.getKey();
                if (g.equals("performance") || g.equals("userspace")) {
                    continue; // both stay at (or at cohort's) limit: nothing to undo
                }
                String n = e.getValue().size() + " polic" + (e.getValue().size() == 1 ? "y" : "ies");
                out.add("cpufreq governor " + g + " (driver " + driver + ", " + n + ") picks frequencies itself below cohort's "
                        + "scaling_max_freq: cohort's levels act as ceilings" + (driver.startsWith("intel_pstate") || driver.startsWith("amd-pstate")
                        ? " and the hardware (HWP/CPPC) may run lower" : "") + "; use governor performance to make them exact");
            }
        } catch (IOException | RuntimeException e) {
            // no readable cpufreq: nothing to report
        }
    }

    private static void resctrl(Path root, String ours, List<String> out) {
        Path r = root.resolve("sys/fs/resctrl");
        if (!Files.isDirectory(r.resolve("info"))) {
            return;
        }
        List<String> others = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(r, Files::isDirectory)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!n.equals("info") && !n.equals("mon_groups") && !n.equals("mon_data") && !n.equals(ours)) {
                    others.add(n);
                }
            }
        } catch (IOException e) {
            return;
        }
        if (!others.isEmpty()) {
            java.util.Collections.sort(others);
            out.add("resctrl groups not cohort's: " + String.join(", ", others) + " (another RDT user; cohort only writes its own group "
                    + ours + ", but their allocations share the same bandwidth)");
        }
    }
}
