package dev.cohort.cli;

import dev.cohort.platform.CgroupRole;
import dev.cohort.platform.Signal;
import dev.cohort.platform.StateStore;
import dev.cohort.platform.linux.DoctorReport;
import dev.cohort.platform.linux.LinuxPlatform;
import dev.cohort.service.Backend;
import dev.cohort.service.config.DaemonConfig;
import dev.cohort.service.config.LatencySpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cohort doctor}: what this host has for cohort, what is missing and why, and which host tests would run. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Reports what this host offers cohort: every signal and control, available or missing and why.",
                "Also the privilege each needs, the kernel and drivers seen, and which host-tagged tests would be skipped. "
                        + "With --config, reads the host as the daemon would: its host.root, its cgroups and their latency "
                        + "sources. Writes nothing."})
public final class DoctorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Option(names = "--config", paramLabel = "FILE", description = "The daemon's configuration file: its host.root, managed cgroups "
            + "and latency sources are checked (default: none; the host alone).")
    Path config;

    @Option(names = "--root", paramLabel = "DIR", description = "Read a captured tree under DIR instead of the configuration's "
            + "host.root, or / without --config.")
    Path root;

    @Override
    public Integer call() {
        DaemonConfig cfg = config == null ? null : DaemonConfig.load(config);
        Path r = root != null ? root : cfg != null ? cfg.host().root() : Path.of("/");
        if (!Files.isDirectory(r)) {
            throw new dev.cohort.platform.CohortException((root != null ? "--root " : "host.root ") + r + " is not a directory");
        }
        LinuxPlatform.Options o = cfg == null ? LinuxPlatform.Options.readOnly(r) : withRoot(Backend.linuxOptions(cfg, StateStore.inMemory(), true), r);
        DoctorReport report;
        try (LinuxPlatform p = new LinuxPlatform(o)) {
            report = p.doctor();
        }
        if (cfg != null) {
            report = withConfig(report, cfg);
        }
        spec.commandLine().getOut().print(json ? report.toJson() + "\n" : report.toText());
        return 0;
    }

    private static LinuxPlatform.Options withRoot(LinuxPlatform.Options o, Path root) {
        return new LinuxPlatform.Options(root, o.cgroups(), o.resctrlGroup(), o.reservedCpus(), o.store(), o.perf());
    }

    /**
     * The report as the daemon sees the host: the latency the daemon reads (the SLO quantile of each latency-critical
     * service) comes from the configured sources, which the kernel-only report cannot know.
     */
    static DoctorReport withConfig(DoctorReport report, DaemonConfig cfg) {
        List<String> sources = new ArrayList<>();
        List<String> proxied = new ArrayList<>();
        for (DaemonConfig.Cgroup g : cfg.cgroups()) {
            if (g.role() != CgroupRole.LATENCY_CRITICAL) {
                continue;
            }
            switch (g.latency()) {
                case LatencySpec.Prometheus p -> sources.add(g.name() + ": prometheus " + p.url() + " " + p.metric());
                case LatencySpec.File f -> sources.add(g.name() + ": file " + f.file());
                case LatencySpec.Psi ignored -> proxied.add(g.name());
                default -> sources.add(g.name() + ": " + g.latency().source());
            }
        }
        String quantile = Signal.CGROUP_LATENCY_QUANTILE_USEC.name().toLowerCase(java.util.Locale.ROOT)
                .replaceFirst("^cgroup_", "cgroup.");
        List<DoctorReport.Item> signals = new ArrayList<>();
        for (DoctorReport.Item i : report.signals()) {
            if (i.name().equals(quantile) && !i.available()) {
                String psi = proxied.isEmpty() ? "" : (sources.isEmpty() ? "" : "; ") + String.join(", ", proxied)
                        + " on the PSI proxy (cpu.pressure)";
                i = sources.isEmpty()
                        ? new DoctorReport.Item(i.name(), false, "the configuration gives no latency source"
                                + (proxied.isEmpty() ? " (no latency-critical cgroup)" : ": " + String.join(", ", proxied)
                                + " on the PSI proxy (cpu.pressure)"), "set latency: under the cgroup in " + cfg.source(),
                                i.source(), i.privilege())
                        : new DoctorReport.Item(i.name(), true, "", "", "configured in " + cfg.source() + ": "
                                + String.join(", ", sources) + psi, "a local connection or file read");
            }
            signals.add(i);
        }
        Map<String, String> host = new LinkedHashMap<>(report.host());
        host.put("config", cfg.source());
        return new DoctorReport(host, signals, report.controls(), report.tests());
    }
}
