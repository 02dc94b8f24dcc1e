package dev.cohort.cli;

import dev.cohort.platform.linux.DoctorReport;
import dev.cohort.platform.linux.LinuxPlatform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cohort doctor}: what this host has for cohort, what is missing and why, and which host tests would run. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Reports what this host offers cohort: every signal and control, available or missing and why.",
                "Also the privilege each needs, the kernel and drivers seen, and which host-tagged tests would be skipped. "
                        + "Writes nothing."})
public final class DoctorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Option(names = "--root", paramLabel = "DIR", description = "Read a captured tree under DIR instead of / (default: ${DEFAULT-VALUE}).",
            defaultValue = "/")
    Path root;

    @Override
    public Integer call() {
        if (!Files.isDirectory(root)) {
            throw new dev.cohort.platform.CohortException("--root " + root + " is not a directory");
        }
        DoctorReport report;
        try (LinuxPlatform p = new LinuxPlatform(LinuxPlatform.Options.readOnly(root))) {
            report = p.doctor();
        }
        spec.commandLine().getOut().print(json ? report.toJson() + "\n" : report.toText());
        return 0;
    }
}
