package dev.cohort.platform.sim;

import dev.cohort.platform.CohortException;
import dev.cohort.platform.ConfigNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds and loads scenario files: from a path, or built in on the classpath under
 * {@code /configs/scenarios/<name>.yaml}. A trace named in a scenario is resolved relative to the
 * scenario file, falling back to the classpath {@code /configs/...} as seen from {@code /configs/scenarios/}
 * (so a copy of a built-in still finds the shipped trace). Every error is a {@link CohortException} whose
 * one-line message names the file, the line, the key and what is allowed.
 */
public final class Scenarios {
    private static final String BUILT_IN_DIR = "/configs/scenarios/";
    private static final List<String> BUILT_IN = List.of("steady", "colocation", "membw", "diurnal", "trace", "large");

    private Scenarios() {
    }

    /**
     * Loads a scenario file; its name defaults to the file name without {@code .yaml}.
     *
     * @throws CohortException when the file is missing, is not YAML, or has an unknown key or a bad value
     */
    public static Scenario load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CohortException(file + ": no such scenario file (built-in scenarios: " + String.join(", ", BUILT_IN) + ")");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CohortException(file + ": cannot read the scenario file: " + e.getMessage(), e);
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(text, file.toString(), stem(file.getFileName().toString()), rel -> {
            Path p = dir.resolve(rel).normalize();
            if (Files.isRegularFile(p)) {
                return new ScenarioParser.TraceOpener.Opened(p.toString(), Files.newBufferedReader(p, StandardCharsets.UTF_8));
            }
            return classpathTrace(rel, p + " and ");
        });
    }

    /**
     * Loads the built-in scenario {@code name} from the classpath.
     *
     * @throws CohortException naming the built-in scenarios when there is no such one
     */
    public static Scenario builtIn(String name) {
        String res = BUILT_IN_DIR + name + ".yaml";
        try (InputStream in = Scenarios.class.getResourceAsStream(res)) {
            if (in == null || !name.matches("[A-Za-z0-9_.-]+")) {
                throw new CohortException("no built-in scenario '" + name + "' (built-in scenarios: "
                        + String.join(", ", BUILT_IN) + "; or give a path to a scenario file)");
            }
            String origin = "classpath:" + res;
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return parse(text, origin, name, rel -> classpathTrace(rel, ""));
        } catch (IOException e) {
            throw new CohortException("classpath:" + res + ": cannot read the built-in scenario: " + e.getMessage(), e);
        }
    }

    /** The names of the scenarios shipped with cohort. */
    public static List<String> builtInNames() {
        return BUILT_IN;
    }

    /**
     * A path if {@code nameOrPath} names an existing file, else a built-in scenario of that name.
     *
     * @throws CohortException listing the built-in names when it is neither
     */
    public static Scenario resolve(String nameOrPath) {
        Path p;
        try {
            p = Path.of(nameOrPath);
        } catch (java.nio.file.InvalidPathException e) {
            p = null;
        }
        if (p != null && Files.isRegularFile(p)) {
            return load(p);
        }
        if (nameOrPath.contains("/") || nameOrPath.endsWith(".yaml") || nameOrPath.endsWith(".yml")) {
            throw new CohortException(nameOrPath + ": no such scenario file (built-in scenarios: "
                    + String.join(", ", BUILT_IN) + ")");
        }
        return builtIn(nameOrPath);
    }

    private static Scenario parse(String text, String origin, String defaultName, ScenarioParser.TraceOpener traces) {
        return new ScenarioParser(ConfigNode.parse(origin, text), defaultName, traces).parse();
    }

    private static ScenarioParser.TraceOpener.Opened classpathTrace(String rel, String alsoTried)
            throws java.io.FileNotFoundException {
        String res = Path.of(BUILT_IN_DIR).resolve(rel).normalize().toString().replace('\\', '/');
        InputStream in = Scenarios.class.getResourceAsStream(res);
        if (in == null) {
            throw new java.io.FileNotFoundException("not found (looked in " + alsoTried + "classpath:" + res + ")");
        }
        return new ScenarioParser.TraceOpener.Opened("classpath:" + res,
                new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
    }

    private static String stem(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }
}
