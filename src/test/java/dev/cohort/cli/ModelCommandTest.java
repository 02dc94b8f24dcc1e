package dev.cohort.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.learn.onnx.OnnxExporter;
import dev.cohort.policy.ModelContract;
import dev.cohort.policy.ObservationSpec;
import dev.cohort.policy.Role;
import dev.cohort.policy.TestModels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run cohort(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void inspectPrintsTheContractAndThatItMatches() {
        Path f = TestModels.export(dir, Role.CORE, 11, true, 1);
        Run r = cohort("model", "inspect", f.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("role:          core"), r.out());
        assertTrue(r.out().contains("recurrent:     yes, hidden state 16 (h_in -> h_out)"), r.out());
        assertTrue(r.out().contains(" 3 ipc"), r.out());
        assertTrue(r.out().contains("scenarios:     steady-web, batch-mix"), r.out());
        assertTrue(r.out().contains("check:         matches this build (" + dev.cohort.policy.ObservationSpec.CORE.size() + " core features, 11 action levels)"), r.out());
    }

    @Test
    void valuesSaysHowMuchOfEachRolesLevelValuesIsOneConstantPerLevel() {
        Run r = cohort("model", "values", "--policy", "onnx:models/awrq-quota", "--scenario", "steady", "--seed", "5",
                "--duration", "5s");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("onnx:models/awrq-quota on steady, seed 5, 50 ticks"), r.out());
        assertTrue(r.out().matches("(?s).*\\ncore +8 +400 +[0-9.]+% +[0-9.]+ +[0-9]+ \\([0-9]+% of agent-ticks\\).*"), r.out());
        assertTrue(r.out().matches("(?s).*\\ncore constant per level, lowest first:( [+-][0-9]\\.[0-9]{2}){11}\\n.*"), r.out());
        Run refused = cohort("model", "values", "--policy", "schedutil", "--scenario", "steady");
        assertEquals(1, refused.code());
        assertEquals("cohort: policy schedutil has no values to measure: name a learned one (learned or onnx:DIR)",
                refused.err().strip());
    }

    /**
     * On a quiet host one core agent two levels lower for a tick (the governor's step from the top) saves energy and
     * costs no latency, in every state, and the pairing is exact: the policy's own level against itself differs by nothing.
     */
    @Test
    void gapPairsALevelAgainstThePolicysOwnOnTheSameArrivals() {
        Run r = cohort("model", "gap", "--scenario", "steady", "--seeds", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("performance on steady, seeds 1: one core agent at level 2 for one tick"), r.out());
        var rows = r.out().lines().filter(l -> l.matches("[0-9]\\.[0-9]-[0-9]\\.[0-9] .*")).toList();
        assertEquals(3, rows.size(), r.out());
        for (String row : rows) {
            String[] f = row.trim().split(" +");
            double gap = Double.parseDouble(f[2]);
            double gapSd = Double.parseDouble(f[3]);
            double returnSd = Double.parseDouble(f[4]);
            assertTrue(gap > 0, "a lower level saves energy at no latency cost on steady: " + row);
            assertTrue(gapSd < returnSd / 5, "paired on the same arrivals, the gap is far steadier than the return: " + row);
        }
        Run same = cohort("model", "gap", "--scenario", "steady", "--seeds", "1", "--level", "10");
        assertTrue(same.out().lines().filter(l -> l.matches("[0-9]\\.[0-9]-[0-9]\\.[0-9] .*"))
                .allMatch(l -> l.contains(" +0.0000     0.0000 ")), "the policy's own level against itself: " + same.out());
        Run refused = cohort("model", "gap", "--scenario", "steady", "--level", "11");
        assertEquals(1, refused.code());
        assertEquals("cohort: --level must be a core level of steady's machine, 0 to 10: got 11", refused.err().strip());
    }

    /** Per training scenario, the reward's spread over its drawn episodes and within each, ordered as the columns say. */
    @Test
    void spreadPrintsEachTrainingScenariosRewardDeviation() {
        Run r = cohort("model", "spread", "--config", "configs/awrq-avg.yaml", "--episodes", "3", "--ticks", "30");
        assertEquals(0, r.code(), r.err());
        var rows = r.out().lines().skip(2).toList();
        assertEquals(7, rows.size(), r.out());
        assertTrue(rows.getFirst().startsWith("colocation "), r.out());
        for (String row : rows) {
            String[] f = row.trim().split(" +");
            double median = Double.parseDouble(f[2]);
            double least = Double.parseDouble(f[3]);
            double most = Double.parseDouble(f[4]);
            assertTrue(Double.parseDouble(f[1]) >= 0 && least <= median && median <= most, row);
        }
        Run refused = cohort("model", "spread", "--config", "configs/awrq-avg.yaml", "--ticks", "2");
        assertEquals(1, refused.code());
        assertEquals("cohort: --episodes must be at least 1 and --ticks at least 3: got 12, 2", refused.err().strip());
    }

    @Test
    void inspectExitsOneWithTheDifferenceWhenTheModelWouldBeRefused() {
        var f = new ArrayList<>(ObservationSpec.CORE.features());
        f.set(3, "temperature");
        ModelContract good = TestModels.contract(Role.CORE, 11, 0);
        var unknown = new ModelContract(good.formatVersion(), good.role(), f, 11, good.actionMeaning(), good.decoding(),
                false, 0, good.inputName(), good.outputName(), "", "", "iql", good.provenance());
        Path file = dir.resolve("core.onnx");
        OnnxExporter.export(TestModels.network(Role.CORE, 11, false, 2), unknown, file, List.of());
        Run r = cohort("model", "inspect", file.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().strip().startsWith("cohort: " + file + ": feature 3 'temperature' of the model is not in this "
                + "build (its features: util,"), r.err());
        assertTrue(r.out().contains("check:         REFUSED: feature 3"), r.out());
    }

    @Test
    void inspectSaysWhichFeaturesAModelFromBeforeTheyWereAddedIsNotGiven() {
        var older = new ArrayList<>(ObservationSpec.QUOTA.features());
        older.removeAll(List.of("lc_share", "lc_util", "mem_bw"));
        ModelContract c = TestModels.contract(Role.QUOTA, 10, 0);
        var old = new ModelContract(c.formatVersion(), c.role(), older, 10, c.actionMeaning(), c.decoding(), false, 0,
                c.inputName(), c.outputName(), "", "", "iql", c.provenance());
        Path file = dir.resolve("quota.onnx");
        OnnxExporter.export(dev.cohort.learn.onnx.AgentNetwork.initialised(older.size(), 16, 10, false, 2), old, file,
                List.of());
        Run r = cohort("model", "inspect", file.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("check:         runs on this build (reads 12 of its 15 quota features, not given: "
                + "lc_share, lc_util, mem_bw; 10 action levels)"), r.out());
        Run json = cohort("model", "inspect", "--json", file.toString());
        assertTrue(json.out().replaceAll("\\s", "").contains("\"featuresNotGiven\":[\"lc_share\",\"lc_util\",\"mem_bw\"]"),
                json.out());
    }

    @Test
    void inspectChecksActionLevelsAgainstTheGivenHost() {
        Path f = TestModels.export(dir, Role.MEMORY, 10, false, 3);
        assertEquals(0, cohort("model", "inspect", f.toString()).code(), "memory levels unchecked without --levels");
        Run r = cohort("model", "inspect", "--levels", "8", f.toString());
        assertEquals(1, r.code());
        assertEquals("cohort: " + f + ": the model has 10 memory action levels, this host 8", r.err().strip());
    }

    @Test
    void inspectJsonCarriesTheContractAndTheCheck() throws Exception {
        Path f = TestModels.export(dir, Role.QUOTA, 10, true, 4);
        Run r = cohort("model", "inspect", "--json", f.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("quota", j.get("role").asText());
        assertEquals(ObservationSpec.QUOTA.features().get(0), j.get("features").get(0).asText());
        assertEquals(16, j.get("hiddenSize").asInt());
        assertEquals("42", j.get("provenance").get("seed").asText());
        assertTrue(j.get("check").get("matches").asBoolean());
    }

    @Test
    void inspectOfAMissingFileIsAOneLineError() {
        Run r = cohort("model", "inspect", dir.resolve("none.onnx").toString());
        assertEquals(1, r.code());
        assertEquals("cohort: " + dir.resolve("none.onnx") + ": no such model file", r.err().strip());
    }

    @Test
    void benchTimesTheShippedModelsAndReportsMedianAndP99() {
        Run r = cohort("bench", "onnx", "--cpus", "8", "--ticks", "20", "--warmup", "5");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("models: " + dev.cohort.policy.Policies.defaultModelsDir()), "the shipped models: " + r.out());
        Run init = cohort("bench", "onnx", "--initialised", "--cpus", "8", "--ticks", "20", "--warmup", "5");
        assertEquals(0, init.code(), init.err());
        assertTrue(init.out().contains("initialised GRU agents") && init.out().contains("(untrained)"), init.out());
        assertTrue(r.out().contains("agents: core 8, memory 2, quota 4; 20 ticks after 5 warm-up"), r.out());
        assertTrue(r.out().matches("(?s).*per tick: median [0-9.]+ [mµ]?s, p99 [0-9.]+ [mµ]?s.*"), r.out());
    }
}
