package dev.cohort.learn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.platform.CohortException;
import dev.cohort.policy.DjlRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run is deterministic for its seed, and a resumed run continues exactly as an uninterrupted one. */
@Tag("pytorch")
class TrainerTest {
    @TempDir
    Path dir;

    private static final Trainer.Listener QUIET = new Trainer.Listener() {
    };

    @Test
    void resumingFromACheckpointGivesTheSameUpdatesAsContinuing() throws Exception {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        Path cfgFile = TrainTests.config(dir, "split", "qmix", 120, "");
        Trainer.Result first = Trainer.run(TrainConfig.load(cfgFile), false, QUIET);
        assertEquals(120, first.envSteps());
        Trainer.Result resumed = Trainer.run(TrainConfig.load(cfgFile).withBudget(240, 0), true, QUIET);
        Trainer.Result straight = Trainer.run(TrainConfig.load(TrainTests.config(dir, "straight", "qmix", 240, "")), false, QUIET);
        assertEquals(240, resumed.envSteps());
        assertEquals(straight.updates(), resumed.updates());
        assertTrue(straight.updates() > 4, "updates happened after the resume point");
        assertTrue(straight.finalWeights().sameAs(resumed.finalWeights()), "the same weights, bit for bit");
        List<Map<?, ?>> a = lines(resumed.log());
        List<Map<?, ?>> b = lines(straight.log());
        assertEquals(b.size(), a.size(), "one log line per iteration, none repeated on resume");
        for (int i = 0; i < a.size(); i++) {
            for (String k : List.of("iteration", "env_steps", "updates", "episode_reward", "loss", "q_mean", "grad_norm", "eval_score")) {
                assertEquals(b.get(i).get(k), a.get(i).get(k), k + " of iteration " + i);
            }
        }
    }

    /**
     * {@code evaluation.reward}: a run learning under one reward and judged by another learns exactly what the run judged
     * by its own reward learns (the same weights, bit for bit), but scores its evaluations by the judging weights, and
     * says so in its models' provenance.
     */
    @Test
    void aJudgingRewardChangesTheScoresNotTheLearning() throws Exception {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        Trainer.Result own = Trainer.run(TrainConfig.load(TrainTests.config(dir, "own", "iql", 120, "reward: {alpha: 10}")), false, QUIET);
        Path judgedFile = TrainTests.config(dir, "judged", "iql", 120, "reward: {alpha: 10}");
        Files.writeString(judgedFile, Files.readString(judgedFile).replace("bar: false}", "bar: false, reward: {delta: 6}}"));
        TrainConfig judgedCfg = TrainConfig.load(judgedFile);
        assertEquals(10, judgedCfg.evalReward().alpha(), "a judging weight not written is the run's own");
        assertEquals(6, judgedCfg.evalReward().delta());
        Trainer.Result judged = Trainer.run(judgedCfg, false, QUIET);
        assertTrue(own.finalWeights().sameAs(judged.finalWeights()), "the judge does not change what is learned");
        List<Map<?, ?>> a = lines(own.log());
        List<Map<?, ?>> b = lines(judged.log());
        var scored = a.stream().filter(l -> l.get("eval_score") != null).toList();
        assertFalse(scored.isEmpty(), "the runs evaluated");
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).get("eval_score") != null) {
                assertTrue(((Number) b.get(i).get("eval_score")).doubleValue() > ((Number) a.get(i).get("eval_score")).doubleValue(),
                        "batch work done is worth three times as much to the judge, iteration " + i);
            }
        }
        try (var p = dev.cohort.policy.OnnxPolicy.load("t", dir.resolve("judged").resolve("models"),
                dev.cohort.policy.baseline.Baselines.create("performance"), Map.of())) {
            var role = p.modelRoles().iterator().next();
            assertEquals("alpha=10,beta=1,gamma=0.1,delta=2 (judged by alpha=10,beta=1,gamma=0.1,delta=6)",
                    p.contract(role).orElseThrow().provenance().reward());
        }
        assertTrue(Files.readString(judged.log().resolveSibling("report.md")).contains("- reward: alpha=10,beta=1,gamma=0.1,"
                + "delta=2 learnt; judged (evaluations, bar, best-static) by alpha=10,beta=1,gamma=0.1,delta=6\n"));
        assertFalse(TrainConfig.load(judgedFile).fingerprint().equals(TrainConfig.load(dir.resolve("own.yaml")).fingerprint()),
                "a checkpoint judged by one reward is not resumed under another");
    }

    /**
     * Terms valued apart (energy and progress): a run resumed from its checkpoint (the terms' statistics and heads in it) ends
     * with the same weights as one run straight through, and exports models that load with the one-head contract
     * (the export checks the file against the training forward pass).
     */
    @Test
    void termsValuedApartResumeExactlyAndExport() throws Exception {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        Trainer.Result[] runs = resumesExactly("e", "episodesPerIteration: 1, valuedApart: [energy, progress]");
        Trainer.Result straight = runs[0];
        Trainer.Result whole = runs[1];
        assertEquals(whole.finalWeights().names(), straight.finalWeights().names(), "the acting weights keep their names");
        for (String name : whole.finalWeights().names()) {
            assertArrayEquals(whole.finalWeights().shape(name), straight.finalWeights().shape(name), name + ": one head's shape");
        }
        String report = Files.readString(straight.log().resolveSibling("report.md"));
        assertTrue(report.matches("(?s).*- terms valued apart: the policy acts on the rest's values \\+ [0-9.e+-]+ × energy's "
                + "\\+ [0-9.e+-]+ × progress's.*"), report);
        assertFalse(straight.models().isEmpty(), "models exported");
        for (var model : straight.models()) {
            assertTrue(Files.isRegularFile(model.file()), model.file() + " exported");
            assertFalse(model.checks().isEmpty(), model.file() + ": checked against the training forward pass");
        }
    }

    /**
     * A two-head AWRQ run with {@code learning} keys, stopped at 120 ticks and resumed to 240, ends with the weights of the
     * same run straight through to 240, bit for bit, and the keys make it another run than the one without them; returns
     * that straight run and the one without the keys.
     */
    private Trainer.Result[] resumesExactly(String name, String learning) throws Exception {
        return resumesExactly(name, "awrq: {heads: 2}", learning);
    }

    /** The same with top-level keys of its own ({@code extra}) beside two AWRQ heads. */
    private Trainer.Result[] resumesExactly(String name, String extra, String learning) throws Exception {
        Path cfgFile = TrainTests.config(dir, name + "split", "awrq", 120, extra, learning);
        Trainer.run(TrainConfig.load(cfgFile), false, QUIET);
        Trainer.Result resumed = Trainer.run(TrainConfig.load(cfgFile).withBudget(240, 0), true, QUIET);
        Trainer.Result straight = Trainer.run(TrainConfig.load(TrainTests.config(dir, name + "straight", "awrq", 240,
                extra, learning)), false, QUIET);
        assertTrue(straight.updates() > 4, "updates happened after the resume point");
        assertTrue(straight.finalWeights().sameAs(resumed.finalWeights()), "the same weights, bit for bit");
        Trainer.Result plain = Trainer.run(TrainConfig.load(TrainTests.config(dir, name + "plain", "awrq", 240, "awrq: {heads: 2}")),
                false, QUIET);
        assertFalse(plain.finalWeights().sameAs(straight.finalWeights()), learning + " is another run");
        return new Trainer.Result[] {straight, plain};
    }

    /** {@link #resumesExactly}, then the straight run's report. */
    private String reportOfResumed(String name, String learning) throws Exception {
        return Files.readString(resumesExactly(name, learning)[0].log().resolveSibling("report.md"));
    }

    /** Energy credited by domain resumes exactly, is another run than the shared reward's, and says so in its report. */
    @Test
    void domainEnergyCreditResumesExactlyAndIsAnotherRun() throws Exception {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        String report = reportOfResumed("c", "episodesPerIteration: 1, energyCredit: domain");
        assertTrue(report.contains("- energy credited by domain"), report);
        assertTrue(report.matches("(?s).*## Do the agents' values answer the state\\?.*\\| core \\| [0-9.]+% \\| [0-9]+ \\([0-9]+% of "
                + "agent-ticks\\) \\|.*"), "the report checks the exported agents' values: " + report);
    }

    /** A decaying learning rate resumes exactly (it is a function of the ticks), is another run, and the report says so. */
    @Test
    void aDecayingLearningRateResumesExactlyAndIsAnotherRun() throws Exception {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        Trainer.Result straight = resumesExactly("lr", "awrq: {heads: 2}\noptimiser: {lrEnd: 0.00005, lrDecayTicks: 200}",
                "episodesPerIteration: 1")[0];
        String report = Files.readString(straight.log().resolveSibling("report.md"));
        assertTrue(report.contains("- learning rate decayed linearly from 5.0E-4 to 5.0E-5 over the first 200 ticks"), report);
    }

    /** Rewards standardised per scenario resume exactly (format 8 keeps their statistics), are another run, and say so. */
    @Test
    void rewardsPerScenarioResumeExactlyAndAreAnotherRun() throws Exception {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        String report = reportOfResumed("p", "episodesPerIteration: 1, standardiseRewards: perScenario");
        assertTrue(report.matches("(?s).*- rewards standardised per training scenario .*; σ: [^ ]+ [0-9.e+-]+, colocation [0-9.e+-]+ .*"), report);
    }

    /**
     * Paired advantages resume exactly (format 9 keeps the chunks' pairs and each scenario's scale of them), are another
     * run, and the report says so.
     */
    @Test
    void pairedAdvantagesResumeExactlyAndAreAnotherRun() throws Exception {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        String report = reportOfResumed("pa", "episodesPerIteration: 1, pairedAdvantage: {every: 5, horizon: 2, weight: 1, alone: true, "
                + "scale: perScenario}");
        assertTrue(report.contains("- paired advantages: one agent branched every 5 ticks, 2 ticks of reward after, loss weight "
                + "1.0; the levels' differences learnt from the pairs alone; pairs on each scenario's own scale"), report);
        // cohort train pairs: the run's pairs per scenario, band and direction, and all scenarios together
        List<PairTable.Row> rows = PairTable.of(TrainConfig.load(dir.resolve("pastraight.yaml")), dev.cohort.policy.Role.CORE,
                PairTable.By.UTIL);
        List<PairTable.Row> all = rows.stream().filter(r -> r.scenario().equals("all")).toList();
        assertFalse(all.isEmpty(), "the replay holds core pairs: " + rows);
        for (PairTable.Row a : all) {
            long each = rows.stream().filter(r -> !r.scenario().equals("all") && r.band().equals(a.band()) && r.lower() == a.lower())
                    .mapToLong(PairTable.Row::pairs).sum();
            assertEquals(a.pairs(), each, "all scenarios together are the sum of each: " + a);
            assertTrue(Double.isFinite(a.target()) && Double.isFinite(a.predicted()) && a.rmse() >= 0 && a.above() >= 0
                    && a.above() <= 1, a.toString());
        }
        // each band's states' mean load lies inside the band (the columns that say whether inputs tell bands apart)
        for (PairTable.Row r : rows) {
            double low = Double.parseDouble(r.band().substring(5, 8));
            double high = Double.parseDouble(r.band().substring(9, 12));
            assertTrue(r.load() >= low && r.load() <= high && Double.isFinite(r.peak()), r.toString());
        }
        assertTrue(PairTable.text(rows).lines().anyMatch(l -> l.matches("all +load 0\\.[0-9]-[01]\\.[0-9] +(lower|higher) +[0-9]+ .*% +0\\.[0-9]{3} +-?[0-9.]+")),
                PairTable.text(rows));
        // banded by how much the load swings instead: the same pairs, counted once each
        List<PairTable.Row> bySpread = PairTable.of(TrainConfig.load(dir.resolve("pastraight.yaml")), dev.cohort.policy.Role.CORE,
                PairTable.By.SPREAD);
        assertEquals(all.stream().mapToLong(PairTable.Row::pairs).sum(), bySpread.stream().filter(r -> r.scenario().equals("all"))
                .mapToLong(PairTable.Row::pairs).sum());
        assertTrue(bySpread.stream().allMatch(r -> r.band().startsWith("spread ")), bySpread.toString());
        // or by how far the level tried is from the one taken: every pair once, in the band of its distance
        List<PairTable.Row> byStep = PairTable.of(TrainConfig.load(dir.resolve("pastraight.yaml")), dev.cohort.policy.Role.CORE,
                PairTable.By.STEP);
        List<PairTable.Row> allByStep = byStep.stream().filter(r -> r.scenario().equals("all")).toList();
        assertEquals(all.stream().mapToLong(PairTable.Row::pairs).sum(), allByStep.stream().mapToLong(PairTable.Row::pairs).sum());
        assertTrue(allByStep.stream().allMatch(r -> r.band().matches("1 level away|2-3 levels away|4\\+ levels away")), byStep.toString());
        assertTrue(allByStep.stream().map(PairTable.Row::band).distinct().count() >= 2, "levels drawn uniformly land at several distances: "
                + allByStep);
        // or by how far the load's recent peak is above the present load: every pair once
        List<PairTable.Row> byPeak = PairTable.of(TrainConfig.load(dir.resolve("pastraight.yaml")), dev.cohort.policy.Role.CORE,
                PairTable.By.PEAK);
        assertEquals(all.stream().mapToLong(PairTable.Row::pairs).sum(), byPeak.stream().filter(r -> r.scenario().equals("all"))
                .mapToLong(PairTable.Row::pairs).sum());
        assertTrue(byPeak.stream().allMatch(r -> r.band().matches("peak \\+0-0\\.05|peak \\+0\\.05-0\\.2|peak \\+0\\.2-1")),
                byPeak.toString());
        // or by how each episode was drawn from its file: this run varies loads by ±20% and SLOs by ±10%, swaps no arrivals
        for (PairTable.By draw : List.of(PairTable.By.SLO_FACTOR, PairTable.By.LOAD_SCALE, PairTable.By.ARRIVALS)) {
            List<PairTable.Row> byDraw = PairTable.of(TrainConfig.load(dir.resolve("pastraight.yaml")), dev.cohort.policy.Role.CORE, draw)
                    .stream().filter(r -> r.scenario().equals("all")).toList();
            assertEquals(all.stream().mapToLong(PairTable.Row::pairs).sum(), byDraw.stream().mapToLong(PairTable.Row::pairs).sum());
            String only = switch (draw) {
                case SLO_FACTOR -> "SLO 0\\.8-1\\.25x";
                case ARRIVALS -> "own arrivals";
                default -> "load (< 0\\.9x|0\\.9-1\\.1x|> 1\\.1x)";
            };
            assertTrue(byDraw.stream().allMatch(r -> r.band().matches(only)), draw + ": " + byDraw);
        }
        var memoryPeak = assertThrows(dev.cohort.platform.CohortException.class, () -> PairTable.of(TrainConfig.load(
                dir.resolve("pastraight.yaml")), dev.cohort.policy.Role.MEMORY, PairTable.By.PEAK));
        assertEquals("--by peak: only the core and quota agents see a load's peak (load_peak, the quota agents' lc_peak) (use util "
                + "or slack for the memory role)", memoryPeak.getMessage());
        // the quota agents band by their services' peak above their present load, every quota pair once
        List<PairTable.Row> quotaAll = PairTable.of(TrainConfig.load(dir.resolve("pastraight.yaml")), dev.cohort.policy.Role.QUOTA,
                PairTable.By.UTIL).stream().filter(r -> r.scenario().equals("all")).toList();
        List<PairTable.Row> quotaPeak = PairTable.of(TrainConfig.load(dir.resolve("pastraight.yaml")), dev.cohort.policy.Role.QUOTA,
                PairTable.By.PEAK).stream().filter(r -> r.scenario().equals("all")).toList();
        assertFalse(quotaAll.isEmpty(), "every agent is branched, the quota agents too");
        assertEquals(quotaAll.stream().mapToLong(PairTable.Row::pairs).sum(), quotaPeak.stream().mapToLong(PairTable.Row::pairs).sum());
        assertTrue(quotaPeak.stream().allMatch(r -> r.band().startsWith("peak +")), quotaPeak.toString());
        var quotaSpread = assertThrows(dev.cohort.platform.CohortException.class, () -> PairTable.of(TrainConfig.load(
                dir.resolve("pastraight.yaml")), dev.cohort.policy.Role.QUOTA, PairTable.By.SPREAD));
        assertEquals("--by spread: only the core agents see util_spread (use util or slack for the quota role)",
                quotaSpread.getMessage());
        var none = assertThrows(dev.cohort.platform.CohortException.class, () -> PairTable.of(TrainConfig.load(
                dir.resolve("paplain.yaml")), dev.cohort.policy.Role.CORE, PairTable.By.UTIL));
        assertEquals("the configuration has no learning.pairedAdvantage: its runs keep no pairs", none.getMessage());
        var untrained = assertThrows(dev.cohort.platform.CohortException.class, () -> PairTable.of(TrainConfig.load(
                TrainTests.config(dir, "panever", "awrq", 240, "awrq: {heads: 2}", "episodesPerIteration: 1, pairedAdvantage: "
                        + "{every: 5}")), dev.cohort.policy.Role.CORE, PairTable.By.UTIL));
        assertEquals(dir.resolve("panever").resolve("checkpoint.bin") + ": no checkpoint (train with this configuration first)",
                untrained.getMessage());
    }

    /**
     * Collector threads change nothing but the speed; batching by agent counts is another run, and as deterministic.
     * The two scenarios have different machines, so the replay mixes agent counts.
     */
    @Test
    void collectorThreadsLeaveTheRunAsItIsAndBatchByAgentsIsDeterministic() throws Exception {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        Trainer.Result one = Trainer.run(TrainConfig.load(TrainTests.config(dir, "t1", "qmix", 480, "", "episodesPerIteration: 3")),
                false, QUIET);
        Trainer.Result two = Trainer.run(TrainConfig.load(TrainTests.config(dir, "t2", "qmix", 480, "",
                "episodesPerIteration: 3, collectorThreads: 2")), false, QUIET);
        assertTrue(one.updates() > 4, "updates happened");
        assertEquals(one.updates(), two.updates());
        assertTrue(one.finalWeights().sameAs(two.finalWeights()), "the same weights, bit for bit, on two collector threads");
        String grouped = "episodesPerIteration: 3, batchByAgents: true";
        Trainer.Result g1 = Trainer.run(TrainConfig.load(TrainTests.config(dir, "g1", "qmix", 480, "", grouped)), false, QUIET);
        Trainer.Result g2 = Trainer.run(TrainConfig.load(TrainTests.config(dir, "g2", "qmix", 480, "", grouped)), false, QUIET);
        assertTrue(g1.finalWeights().sameAs(g2.finalWeights()), "batching by agents: the same run twice");
        assertTrue(!g1.finalWeights().sameAs(one.finalWeights()), "batching by agents changes what is learned");
    }

    /**
     * A weight average changes what is judged and exported, never what is learned: the same updates as the run
     * without it, other exported weights, a message beside each evaluation, and the same result across a resume.
     */
    @Test
    void aWeightAverageIsJudgedAndExportedWithoutChangingTheLearning() throws Exception {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        String averaged = "episodesPerIteration: 1, weightAverage: 0.2";
        Trainer.Result plain = Trainer.run(TrainConfig.load(TrainTests.config(dir, "plain", "qmix", 240, "")), false, QUIET);
        List<String> said = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Trainer.Result avg = Trainer.run(TrainConfig.load(TrainTests.config(dir, "avg", "qmix", 240, "", averaged)), false,
                new Trainer.Listener() {
                    @Override
                    public void message(String text) {
                        said.add(text);
                    }
                });
        assertTrue(plain.updates() > 4, "updates happened");
        assertEquals(plain.updates(), avg.updates());
        List<Map<?, ?>> a = lines(avg.log());
        List<Map<?, ?>> b = lines(plain.log());
        for (int i = 0; i < a.size(); i++) {
            for (String k : List.of("episode_reward", "loss", "q_mean", "grad_norm")) {
                assertEquals(b.get(i).get(k), a.get(i).get(k), k + " of iteration " + i + ": the learning is the same");
            }
        }
        assertTrue(!plain.finalWeights().sameAs(avg.finalWeights()), "the averaged weights are not the latest ones");
        assertTrue(said.stream().anyMatch(m -> m.matches("evaluation after \\d+ ticks: averaged weights -?[0-9.]+, latest weights -?[0-9.]+")),
                "each evaluation says how both scored: " + said);
        assertTrue(a.stream().anyMatch(l -> l.get("eval_score") != null && l.get("eval_score_latest") instanceof Number),
                "and the log keeps both scores");
        assertTrue(b.stream().noneMatch(l -> l.containsKey("eval_score_latest")), "without an average, one score");
        Path split = TrainTests.config(dir, "avgsplit", "qmix", 120, "", averaged);
        Trainer.run(TrainConfig.load(split), false, QUIET);
        Trainer.Result resumed = Trainer.run(TrainConfig.load(split).withBudget(240, 0), true, QUIET);
        assertTrue(avg.finalWeights().sameAs(resumed.finalWeights()), "the average survives a checkpoint, bit for bit");
    }

    /** Demonstrations are collected once, kept in the checkpoint, trained on from the first iteration, and reported. */
    @Test
    void demonstrationsSurviveAResumeAndAreReported() throws Exception {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        String demos = "demonstrations: {policy: headroom, scenarios: [colocation], episodes: 2, share: 0.5, margin: 0.5}";
        Path cfgFile = TrainTests.config(dir, "dsplit", "qmix", 80, demos);
        Trainer.run(TrainConfig.load(cfgFile), false, QUIET);
        Trainer.Result resumed = Trainer.run(TrainConfig.load(cfgFile).withBudget(160, 0), true, QUIET);
        List<String> said = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Trainer.Result straight = Trainer.run(TrainConfig.load(TrainTests.config(dir, "dstraight", "qmix", 160, demos)), false,
                new Trainer.Listener() {
                    @Override
                    public void message(String text) {
                        said.add(text);
                    }
                });
        assertTrue(straight.finalWeights().sameAs(resumed.finalWeights()), "the same weights, bit for bit");
        assertTrue(said.contains("demonstrations: 2 of 2 episodes"), "the user sees the demonstrations' progress: " + said);
        List<Map<?, ?>> log = lines(straight.log());
        assertEquals(2, ((Number) log.getFirst().get("updates")).intValue(), "updates on the demonstrations before the replay is warm");
        String report = Files.readString(straight.log().resolveSibling("report.md"));
        assertTrue(report.contains("- demonstrations: 2 episodes of `headroom` on colocation"), report);
        assertTrue(report.contains("2 of every 4 chunks once the replay is warm; large-margin loss: margin 0.5, weight 1"), report);
    }

    @Test
    void anUnknownDemonstratorIsRefusedBeforeAnyTraining() throws Exception {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        Path cfgFile = TrainTests.config(dir, "dbad", "qmix", 80, "demonstrations: {policy: turbo, scenarios: [colocation]}");
        var e = assertThrows(CohortException.class, () -> Trainer.run(TrainConfig.load(cfgFile), false, QUIET));
        assertTrue(e.getMessage().startsWith("dbad.yaml: demonstrations.policy: unknown policy 'turbo' (baselines: performance"),
                e.getMessage());
        assertEquals(0, Files.readAllLines(dir.resolve("dbad").resolve("train.jsonl")).size(), "no iteration ran");
        Path several = TrainTests.config(dir, "dbad2", "qmix", 80, "demonstrations: {policy: 'oracle, turbo', scenarios: [colocation]}");
        var e2 = assertThrows(CohortException.class, () -> Trainer.run(TrainConfig.load(several), false, QUIET));
        assertTrue(e2.getMessage().startsWith("dbad2.yaml: demonstrations.policy: unknown policy 'turbo'"), e2.getMessage());
    }

    @Test
    void aCheckpointIsRefusedForAnotherConfiguration() throws Exception {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        Path cfgFile = TrainTests.config(dir, "r", "vdn", 40, "");
        Trainer.run(TrainConfig.load(cfgFile), false, QUIET);
        String changed = Files.readString(cfgFile).replace("seed: 3", "seed: 4");
        Files.writeString(cfgFile, changed);
        var e = assertThrows(CohortException.class, () -> Trainer.run(TrainConfig.load(cfgFile).withBudget(80, 0), true, QUIET));
        assertTrue(e.getMessage().contains("another configuration"), e.getMessage());
    }

    private static List<Map<?, ?>> lines(Path log) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<Map<?, ?>> out = new java.util.ArrayList<>();
        for (String s : Files.readAllLines(log)) {
            if (!s.isBlank()) {
                out.add(json.readValue(s, Map.class));
            }
        }
        return out;
    }
}
