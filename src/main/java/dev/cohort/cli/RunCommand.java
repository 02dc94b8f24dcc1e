package dev.cohort.cli;

import dev.cohort.service.Daemon;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cohort run}: the daemon. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs the daemon: the control loop, until SIGTERM or SIGINT restores every knob.",
                "It runs at the configured period until SIGTERM or SIGINT, then restores every knob (restore_on_exit) and exits 0. SIGHUP reloads the configuration and policies, keeping the knobs.",
                "Takes the single-writer lock, restores a crashed run's state file first, reports competing tuners, "
                        + "serves status on a local socket and metrics on 127.0.0.1, and tells systemd READY/WATCHDOG/STOPPING."})
public final class RunCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (default: /etc/cohort/cohort.yaml if present, else built-in defaults).")
    Path config;

    @Option(names = "--backend", paramLabel = "linux|sim", description = "Overrides the configuration's backend.")
    String backend;

    @Option(names = "--dry-run", description = "Decide and journal what would be written; write nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        if (backend != null) {
            try {
                dev.cohort.service.config.DaemonConfig.BackendKind.parse(backend);
            } catch (IllegalArgumentException e) {
                throw new dev.cohort.platform.CohortException("--backend: " + e.getMessage());
            }
        }
        return new Daemon(Daemon.Options.cli(config, backend, dryRun ? Boolean.TRUE : null)).run();
    }
}
