package dev.cohort.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.service.JournalReader;
import dev.cohort.service.config.DaemonConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cohort journal}: recent decisions and events, readable. */
@Command(name = "journal", mixinStandardHelpOptions = true,
        description = {"Shows recent decisions and events from the journal.",
                "Recent decisions (ticks that changed or noted something) and events (start, reload, override, stop) "
                        + "from the JSON Lines journal, rotated files included. The file itself is readable with jq."})
public final class JournalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (for the journal path).")
    Path config;

    @Option(names = "--since", paramLabel = "WHEN", description = "Only entries newer than WHEN: a duration back (10m, 2h) or a UTC time.")
    String since;

    @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "20", description = "Show the last N entries (default: ${DEFAULT-VALUE}).")
    int lines;

    @Option(names = "--all", description = "Include ticks that decided nothing.")
    boolean all;

    @Option(names = "--json", description = "Print the journal's JSON lines as they are.")
    boolean json;

    @Override
    public Integer call() {
        DaemonConfig cfg = DaemonConfig.load(config);
        Instant from = since == null ? null : JournalReader.since(since, Instant.now());
        for (JsonNode n : JournalReader.read(cfg.journal(), from, all, Math.max(1, lines))) {
            spec.commandLine().getOut().println(json ? n.toString() : JournalReader.format(n));
        }
        return 0;
    }
}
