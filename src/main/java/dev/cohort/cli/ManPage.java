package dev.cohort.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * The manual page {@code cohort(1)} in troff: every command's {@code --help} text, as the CLI prints it, under its own
 * heading, so {@code man cohort} and {@code --help} never disagree. The Debian package installs it
 * ({@code bin/package-deb} runs {@link #main}); it is generated from the command tree, not written by hand.
 */
public final class ManPage {
    /** Picocli's default width, so the page reads as the terminal help does. */
    static final int WIDTH_COLUMNS = 80;

    private ManPage() {
    }

    /** Prints the page to standard output. */
    public static void main(String[] args) {
        System.out.print(render(Main.commandLine()));
        System.out.flush();
    }

    /** The page for a command tree rooted at {@code top}. */
    public static String render(CommandLine top) {
        String version = new CohortCommand.Version().getVersion()[0];
        StringBuilder t = new StringBuilder();
        t.append(".TH COHORT 1 \"\" \"").append(escape(version)).append("\" \"cohort manual\"\n");
        t.append(".SH NAME\ncohort \\- ").append(escape(String.join(" ", top.getCommandSpec().usageMessage().description())
                .replace("%n", " ").strip())).append('\n');
        t.append(".SH SYNOPSIS\n.B cohort\n[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGUMENTS\\fR]\n");
        t.append(".SH DESCRIPTION\nEach command below is shown with its \\fB\\-\\-help\\fR text. "
                + "The daemon runs as the systemd unit \\fBcohort.service\\fR (\\fBcohort run\\fR), configured by "
                + "\\fI/etc/cohort/cohort.yaml\\fR.\n");
        t.append(".SH COMMANDS\n");
        for (CommandLine cl : commands(top)) {
            t.append(".SS \"").append(escape(cl.getCommandSpec().qualifiedName())).append("\"\n.nf\n");
            cl.setUsageHelpWidth(WIDTH_COLUMNS);
            for (String line : cl.getUsageMessage(CommandLine.Help.Ansi.OFF).split("\n", -1)) {
                t.append(line.startsWith(".") || line.startsWith("'") ? "\\&" : "").append(escape(line)).append('\n');
            }
            t.append(".fi\n");
        }
        t.append("""
                .SH FILES
                .TP
                .I /etc/cohort/cohort.yaml
                the daemon's configuration (every option, its default and meaning are in the file)
                .TP
                .I /run/cohort/state.json
                the original value of every knob cohort changed, for the restore
                .TP
                .I /var/lib/cohort/journal.jsonl
                one line per control tick and per event
                .TP
                .I /opt/cohort/models
                the shipped learned policies (policy: learned)
                .SH SEE ALSO
                .BR systemctl (1),
                .I /opt/cohort/docs/operations.md
                """);
        return t.toString();
    }

    /** Every command below {@code top} (and {@code top}), depth first, without picocli's help command or hidden ones. */
    static List<CommandLine> commands(CommandLine top) {
        List<CommandLine> all = new ArrayList<>();
        collect(top, all);
        return all;
    }

    private static void collect(CommandLine cl, List<CommandLine> into) {
        if (cl.getCommandSpec().usageMessage().hidden() || cl.getCommand() instanceof CommandLine.HelpCommand || into.contains(cl)) {
            return;
        }
        into.add(cl);
        cl.getSubcommands().values().forEach(sub -> collect(sub, into));
    }

    /**
     * Text as troff prints it: backslashes escaped, minus signs that copy and paste as the ASCII '-' of an option, and
     * characters beyond ASCII (the help's "×", "µ") as troff's Unicode escapes, which groff reads without preconv.
     */
    static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            switch (c) {
                case '\\' -> b.append("\\e");
                case '-' -> b.append("\\-");
                default -> b.append(c < 128 ? Character.toString(c) : String.format("\\[u%04X]", c));
            }
        });
        return b.toString();
    }
}
