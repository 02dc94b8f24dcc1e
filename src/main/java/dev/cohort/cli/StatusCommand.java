package dev.cohort.cli;

import dev.cohort.service.Operator;
import dev.cohort.service.config.DaemonConfig;
import dev.cohort.service.status.StatusText;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cohort status}: the running daemon's view, or the host read directly when none runs. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Shows the daemon's view of the host, or the host read directly when no daemon runs.",
                "Per frequency domain (frequency, utilisation, IPC, limits), package (power, energy), cgroup (quota, "
                        + "usage, throttling, latency, slack), memory domain (MBA, bandwidth); the policy per role, lambda, tick "
                        + "statistics and the last decisions. Asks the daemon over its socket; without one, reads the host."})
public final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (for the socket path and the cgroups).")
    Path config;

    @Option(names = "--json", description = "Print the status document (schema in docs/operations.md).")
    boolean json;

    @Option(names = "--watch", paramLabel = "SECONDS", arity = "0..1", fallbackValue = "2",
            description = "Refresh every SECONDS (default 2) until interrupted.")
    Double watch;

    @Option(names = "--times", paramLabel = "N", defaultValue = "0", description = "With --watch: stop after N refreshes (0: never).")
    int times;

    @Option(names = "--decisions", paramLabel = "N", defaultValue = "8", description = "Last decisions to list (default: ${DEFAULT-VALUE}).")
    int decisions;

    @Override
    public Integer call() throws InterruptedException {
        DaemonConfig cfg = DaemonConfig.load(config);
        PrintWriter out = spec.commandLine().getOut();
        for (int i = 1; ; i++) {
            Operator.Status s = Operator.status(cfg);
            if (watch != null && !json) {
                out.print("\033[H\033[2J");
            }
            if (json) {
                out.println(s.doc().toString());
            } else {
                if (!s.note().isEmpty()) {
                    out.println(s.note());
                }
                out.print(StatusText.render(s.doc(), decisions));
            }
            out.flush();
            if (watch == null || (times > 0 && i >= times)) {
                return 0;
            }
            Thread.sleep((long) (Math.max(0.2, watch) * 1000));
        }
    }
}
