package dev.cohort.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** cohort(1), as {@code man cohort} shows it: every command's help under its name, and nothing troff would eat. */
class ManPageTest {
    static final Set<String> MACROS = Set.of(".TH", ".SH", ".SS", ".nf", ".fi", ".B", ".TP", ".I", ".BR");

    @Test
    void everyCommandsHelpIsOnThePageUnderItsName() {
        String page = ManPage.render(Main.commandLine());
        List<CommandLine> commands = ManPage.commands(Main.commandLine());
        assertTrue(commands.size() > 20, "commands: " + commands.size());
        for (CommandLine cl : commands) {
            String name = cl.getCommandSpec().qualifiedName();
            assertTrue(page.contains(".SS \"" + ManPage.escape(name) + "\"\n.nf\n" + ManPage.escape("Usage: " + name)), name);
        }
        assertTrue(page.contains(".SS \"cohort tune release\""), "nested commands are on the page");
        assertTrue(!page.contains(".SS \"cohort help\""), "picocli's help command is not a command of cohort's");
        assertTrue(page.contains("\\-\\-config=FILE"), "options keep their ASCII minus signs");
    }

    @Test
    void noLineStartsWithWhatTroffTakesForARequestAndAllIsAscii() {
        String page = ManPage.render(Main.commandLine());
        assertTrue(page.chars().allMatch(c -> c < 128), "groff warns about characters beyond ASCII without preconv");
        for (String line : page.split("\n")) {
            if (line.startsWith(".") || line.startsWith("'")) {
                assertTrue(MACROS.contains(line.split(" ")[0]), "a text line troff reads as a request: " + line);
            }
        }
    }

    @Test
    void backslashesMinusSignsAndNonAsciiAreEscaped() {
        assertEquals("a\\eb \\-\\-x 2\\[u00D7]3 \\[u00B5]s", ManPage.escape("a\\b --x 2×3 µs"));
    }
}
