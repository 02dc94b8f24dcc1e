package dev.cohort.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command's --help, as a user reads it: no picocli warning, no sentence cut across description lines. */
class HelpTextTest {
    private static void collect(CommandLine cl, List<CommandLine> into) {
        into.add(cl);
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (!into.contains(sub)) {
                collect(sub, into);
            }
        }
    }

    @Test
    void everyHelpPrintsWithoutWarningsAndEveryParagraphEndsASentence() {
        List<CommandLine> all = new ArrayList<>();
        collect(Main.commandLine(), all);
        PrintStream saved = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        try {
            // picocli's tracer writes its warnings to System.err
            System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
            for (CommandLine cl : all) {
                String name = cl.getCommandSpec().qualifiedName();
                var out = new StringWriter();
                var err = new StringWriter();
                String[] path = name.replaceFirst("^cohort ?", "").isEmpty() ? new String[0] : name.replaceFirst("^cohort ", "").split(" ");
                String[] args = java.util.Arrays.copyOf(path, path.length + 1);
                args[path.length] = "--help";
                assertEquals(0, Main.run(new PrintWriter(out), new PrintWriter(err), args), name + ": " + err);
                assertTrue(!out.toString().contains("WARN") && err.toString().isEmpty(), name + ": " + out + err);
                for (String paragraph : cl.getCommandSpec().usageMessage().description()) {
                    String p = paragraph.strip().replaceAll("%n$", "");
                    assertTrue(p.endsWith(".") || p.endsWith(".)"), name + ": a description line ends mid-sentence: '" + p + "'");
                }
            }
        } finally {
            System.setErr(saved);
        }
        assertEquals("", warnings.toString(StandardCharsets.UTF_8), "picocli warnings");
    }
}
