package dev.cohort.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The house's size rule: no main source file over {@value #MAX_FILE_LINES} lines and no method or constructor over
 * {@value #MAX_METHOD_LINES}, unless a comment says why: {@code // size: REASON} anywhere in the file for a file, and
 * {@code // long: REASON} on one of the three lines above a method's signature for a method. A test of the scanner
 * checks it finds methods across strings, text blocks, comments and lambdas.
 */
class SourceSizeTest {
    static final int MAX_FILE_LINES = 400;
    static final int MAX_METHOD_LINES = 80;
    private static final Pattern SIGNATURE = Pattern.compile(
            "^\\s*(?:(?:public|private|protected|static|final|synchronized|default|abstract)\\s+)*(?:<[^>]+>\\s+)?"
                    + "(?:[\\w.]+(?:<[^()]*>)?(?:\\[])*\\s+)?\\w+\\s*\\(.*");
    private static final Set<String> NOT_A_METHOD = Set.of("if", "for", "while", "switch", "catch", "try", "else", "do",
            "return", "new", "throw", "case", "synchronized", "yield", "assert");

    /** A method or constructor: where its signature starts (1-based) and how many lines it spans. */
    record Method(int line, int lines, boolean explained) {
    }

    @Test
    void noFileOrMethodIsOverTheLimitWithoutAReason() throws IOException {
        Path main = Path.of(System.getProperty("cohort.repo", ".")).resolve("src/main/java");
        List<String> problems = new ArrayList<>();
        int files = 0;
        try (Stream<Path> s = Files.walk(main)) {
            for (Path p : s.filter(x -> x.toString().endsWith(".java")).sorted().toList()) {
                files++;
                String text = Files.readString(p);
                long lines = text.lines().count();
                if (lines > MAX_FILE_LINES && !text.contains("// size: ")) {
                    problems.add(main.relativize(p) + ": " + lines + " lines (at most " + MAX_FILE_LINES + ", or say why: // size: ...)");
                }
                for (Method m : methods(text)) {
                    if (m.lines() > MAX_METHOD_LINES && !m.explained()) {
                        problems.add(main.relativize(p) + ":" + m.line() + ": a method of " + m.lines() + " lines (at most "
                                + MAX_METHOD_LINES + ", or say why above it: // long: ...)");
                    }
                }
            }
        }
        assertTrue(files > 200, "read the sources: " + files);
        assertEquals(List.of(), problems);
    }

    @Test
    void theScannerFindsMethodsAcrossStringsCommentsAndLambdas() {
        String body = "        int x = 1;\n".repeat(85);
        String src = """
                class A {
                    /* a { brace in a comment */
                    private static String s() {
                        return "}{" + '}' + \"""
                            a text block with { and }
                            \""";
                    }

                    // long: a reason
                    void big() {
                %s        Runnable r = () -> { };
                    }

                    void bigToo(int a,
                                int b) {
                %s    }
                }
                """.formatted(body, body);
        List<Method> ms = methods(src);
        assertEquals(3, ms.size(), ms.toString());
        assertEquals(5, ms.get(0).lines());
        assertTrue(ms.get(1).lines() > 80 && ms.get(1).explained(), ms.toString());
        assertTrue(ms.get(2).lines() > 80 && !ms.get(2).explained(), ms.toString());
    }

    /** The methods and constructors of a Java source, found by brace depth outside comments, strings and text blocks. */
    static List<Method> methods(String src) {
        List<String> lines = src.lines().toList();
        List<Method> out = new ArrayList<>();
        Deque<int[]> open = new ArrayDeque<>(); // {signature line or -1}
        int pending = -1;
        boolean block = false;
        boolean textBlock = false;
        for (int i = 0; i < lines.size(); i++) {
            StringBuilder code = new StringBuilder();
            String l = lines.get(i);
            for (int c = 0; c < l.length(); c++) {
                char ch = l.charAt(c);
                if (block) {
                    if (l.startsWith("*/", c)) {
                        block = false;
                        c++;
                    }
                } else if (textBlock) {
                    if (l.startsWith("\"\"\"", c)) {
                        textBlock = false;
                        c += 2;
                    }
                } else if (l.startsWith("//", c)) {
                    break;
                } else if (l.startsWith("/*", c)) {
                    block = true;
                    c++;
                } else if (l.startsWith("\"\"\"", c)) {
                    textBlock = true;
                    c += 2;
                } else if (ch == '"' || ch == '\'') {
                    c = skipLiteral(l, c, ch);
                    code.append(' ');
                } else {
                    code.append(ch);
                }
            }
            String t = code.toString().strip();
            if (pending < 0 && !t.isEmpty() && SIGNATURE.matcher(code).matches() && !t.endsWith(";") && !t.contains("->")
                    && !NOT_A_METHOD.contains(t.split("[\\s(]")[0]) && !t.matches(".*\\b(class|record|interface|enum)\\b.*")) {
                pending = i;
            }
            for (char ch : code.toString().toCharArray()) {
                if (ch == '{') {
                    open.push(new int[]{pending});
                    pending = -1;
                } else if (ch == '}' && !open.isEmpty()) {
                    int start = open.pop()[0];
                    if (start >= 0) {
                        out.add(new Method(start + 1, i - start + 1, explained(lines, start)));
                    }
                }
            }
            if (t.endsWith(";")) {
                pending = -1;
            }
        }
        out.sort(java.util.Comparator.comparingInt(Method::line));
        return out;
    }

    private static int skipLiteral(String l, int c, char quote) {
        for (int j = c + 1; j < l.length(); j++) {
            if (l.charAt(j) == '\\') {
                j++;
            } else if (l.charAt(j) == quote) {
                return j;
            }
        }
        return l.length();
    }

    private static boolean explained(List<String> lines, int signature) {
        for (int k = Math.max(0, signature - 3); k <= signature; k++) {
            if (lines.get(k).contains("// long: ")) {
                return true;
            }
        }
        return false;
    }
}
