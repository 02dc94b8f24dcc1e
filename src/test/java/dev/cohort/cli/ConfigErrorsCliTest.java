package dev.cohort.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reviewer's bad configurations through {@code cohort run}: exit 1, one line naming file, line and key, nothing written. */
class ConfigErrorsCliTest {
    @TempDir
    Path dir;

    List<String> listing() throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(Path::toString).sorted().toList();
        }
    }

    @Test
    void eachBadValueIsOneLineAndExitCodeOne() throws Exception {
        String[][] cases = {
                {"cgroups:\n  - {name: b, path: ../../../../outside/cg, role: best-effort}\n", "c.yaml:2: cgroups[0].path: "},
                {"host:\n  resctrl_group: \".\"\n", "c.yaml:2: host.resctrl_group: "},
                {"host:\n  resctrl_group: a/b\n", "c.yaml:2: host.resctrl_group: "},
                {"policy:\n  core: \"static:core=NaN\"\n", "c.yaml:2: policy.core: "},
                {"host:\n  tdp: 0W\n", "c.yaml:2: host.tdp: "},
                {"host:\n  memory_peak: 0GB/s\n", "c.yaml:2: host.memory_peak: "},
                {"host:\n  reserved_cpus: \"0-2000000000\"\n", "c.yaml:2: host.reserved_cpus: "},
        };
        for (String[] c : cases) {
            Path f = dir.resolve("c.yaml");
            Files.writeString(f, "paths: {state_dir: " + dir.resolve("run") + ", journal: " + dir.resolve("j.jsonl") + "}\n"
                    + "backend: sim\nmetrics: {enabled: false}\n" + c[0]);
            List<String> before = listing();
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.run(new PrintWriter(out), new PrintWriter(err), "run", "--config", f.toString());
            assertEquals(1, code, c[0] + "\n" + err);
            String e = err.toString();
            assertEquals(1, e.lines().count(), e);
            String expected = "cohort: " + dir + "/" + c[1].replaceFirst("^c\\.yaml:2:", "c.yaml:5:");
            assertTrue(e.startsWith(expected), e + " does not start with " + expected);
            assertTrue(!e.contains("internal error") && !e.contains("Exception"), e);
            assertEquals(before, listing(), "nothing written");
        }
    }
}
