package dev.cohort.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.control.ControllerConfig;
import dev.cohort.platform.CohortException;
import dev.cohort.policy.ActionSpace;
import dev.cohort.policy.ModelContract;
import dev.cohort.policy.ObservationSpec;
import dev.cohort.policy.OnnxRoleModel;
import dev.cohort.policy.Role;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cohort model}: learned-policy files. */
@Command(name = "model", mixinStandardHelpOptions = true, description = "Inspect learned-policy (ONNX) files (their latency: bench onnx).",
        subcommands = {ModelCommand.Inspect.class})
final class ModelCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code cohort model inspect FILE}: prints the contract and checks it against this build. */
    @Command(name = "inspect", mixinStandardHelpOptions = true, description = {"Print a model file's contract and check it against this build's observation "
            + "spec and action levels.", "Exits 1 with the difference when the model would be refused."})
    static final class Inspect implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "An ONNX model file, e.g. models/default/core.onnx.")
        Path file;

        @Option(names = "--levels", paramLabel = "N", description = "The host's action levels for the model's role "
                + "(default: this build's default for core and quota; memory levels depend on the host's MBA granularity "
                + "and are not checked without this option).")
        Integer levels;

        @Option(names = "--json", description = "Print the contract and the check as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            ModelContract c;
            try (OnnxRoleModel m = OnnxRoleModel.open(file)) {
                c = m.contract();
            }
            ActionSpace host = hostActions(c.role());
            Optional<String> diff = c.validate(ObservationSpec.of(c.role()), host);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(new ObjectMapper().writerWithDefaultPrettyPrinter()
                        .writeValueAsString(ContractText.json(file, c, host, diff)));
            } else {
                ContractText.print(out, file, c, host, diff);
            }
            out.flush();
            if (diff.isPresent()) {
                throw new CohortException(file + ": " + diff.get());
            }
            return 0;
        }

        private ActionSpace hostActions(Role r) {
            Integer n = levels;
            if (n == null) {
                n = switch (r) {
                    case CORE -> ControllerConfig.DEFAULT.coreLevels();
                    case QUOTA -> ControllerConfig.DEFAULT.quotaLevels();
                    case MEMORY -> null;
                };
            }
            return n == null ? null : new ActionSpace(r, n);
        }
    }
}
