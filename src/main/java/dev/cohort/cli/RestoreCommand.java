package dev.cohort.cli;

import dev.cohort.platform.RestoreReport;
import dev.cohort.service.Operator;
import dev.cohort.service.RestoreLines;
import dev.cohort.service.config.DaemonConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cohort restore}: every knob in the state file back to its original, one line per knob. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Restores every knob saved in the state file, reporting each.",
                "Its knobs were left by a crash, a stop with restore_on_exit never, or cohort tune; they are restored in "
                        + "reverse order. A knob someone else changed since cohort wrote it is theirs: it is left as found and "
                        + "stays in the state file, marked left, until --force writes its original or --forget drops it. "
                        + "Refused while the daemon runs (it restores on stop)."})
public final class RestoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (for the state directory).")
    Path config;

    @Option(names = "--force", description = "Also write back the originals of knobs someone else changed since cohort wrote them.")
    boolean force;

    @Option(names = "--forget", paramLabel = "KNOB|all", description = "Drop a knob left to someone else (its id, the end of "
            + "its id such as policy0/scaling_max_freq, or all) from the state file, writing nothing: its original is never put back.")
    String forget;

    @Override
    public Integer call() {
        DaemonConfig cfg = DaemonConfig.load(config);
        if (forget != null) {
            if (force) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--force and --forget exclude each other: "
                        + "--force writes originals back, --forget drops them");
            }
            for (String id : Operator.forget(cfg, forget)) {
                spec.commandLine().getOut().println("forgot " + id + ": left as it is; its original is no longer kept");
            }
            return 0;
        }
        RestoreReport r = Operator.restore(cfg, force);
        if (r == null) {
            spec.commandLine().getOut().println("nothing to restore: " + cfg.stateFile() + " holds no saved knobs");
            return 0;
        }
        RestoreLines.of(r).forEach(spec.commandLine().getOut()::println);
        return r.ok() ? 0 : Errors.FAILED;
    }
}
