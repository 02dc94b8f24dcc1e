package dev.cohort.learn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.learn.algo.Algorithm;
import dev.cohort.learn.algo.AwrqConfig;
import dev.cohort.learn.env.BatchMix;
import dev.cohort.learn.env.MachineSize;
import dev.cohort.learn.replay.ValueTerm;
import dev.cohort.platform.CohortException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainConfigTest {
    private static TrainConfig parse(String text) {
        return TrainConfig.parse(Path.of("t.yaml"), text);
    }

    @Test
    void everyShippedConfigurationLoads() throws Exception {
        for (String a : new String[]{"iql", "vdn", "qmix", "awrq", "maddpg"}) {
            TrainConfig c = TrainConfig.load(Path.of(System.getProperty("cohort.repo", "."), "configs", a + ".yaml"));
            assertEquals(Algorithm.parse(a), c.algorithm());
            assertEquals(Path.of("models", a), c.exportDir());
            assertEquals(0, c.episodeTicks() % c.chunkTicks());
        }
    }

    @Test
    void theAwrqAblationsDifferFromTheShippedConfigurationInOneKeyEach() throws Exception {
        Path configs = Path.of(System.getProperty("cohort.repo", "."), "configs");
        var fullRun = TrainConfig.load(configs.resolve("awrq.yaml"));
        var full = fullRun.learner();
        assertEquals(new AwrqConfig(8, true, true, false), full.awrq());
        var noAw = TrainConfig.load(configs.resolve("ablations/awrq-no-aw.yaml"));
        var noVgca = TrainConfig.load(configs.resolve("ablations/awrq-no-vgca.yaml"));
        assertEquals(new AwrqConfig(8, false, true, false), noAw.learner().awrq());
        assertEquals(new AwrqConfig(8, true, false, false), noVgca.learner().awrq());
        assertEquals(Path.of("models", "awrq-ablation-no-aw"), noAw.exportDir());
        for (var c : java.util.List.of(noAw, noVgca)) {
            // everything that decides what a run computes is the shipped configuration's, but the one key
            assertEquals(fullRun.fingerprint(), c.fingerprint().replace(c.learner().awrq().toString(), full.awrq().toString()));
        }
        var e = assertThrows(CohortException.class, () -> parse("algorithm: awrq\nscenarios: [steady]\nawrq: {head: 4}\n"));
        assertEquals("t.yaml:3: awrq.head: unknown key (allowed here: heads, adaptiveWeighting, vgca, mixerTrainsAgents)", e.getMessage());
        e = assertThrows(CohortException.class, () -> parse("algorithm: awrq\nscenarios: [steady]\nawrq: {heads: 0}\n"));
        assertEquals("t.yaml:3: awrq.heads: expected a whole number from 1 to 256, got '0'", e.getMessage());
    }

    /** The oracle-demonstration configuration of docs/results.md loads as written, its demonstrations on. */
    @Test
    void theOracleDemonstrationConfigurationLoads() throws Exception {
        var demo = TrainConfig.load(Path.of(System.getProperty("cohort.repo", "."), "configs", "awrq-demo.yaml"));
        assertEquals(Algorithm.AWRQ, demo.algorithm());
        assertTrue(demo.demonstrations().on());
        assertTrue(demo.demonstrations().policy().startsWith("oracle,"), demo.demonstrations().policy());
        assertEquals(java.util.List.of("diurnal", "steady", "trace"), demo.demonstrations().scenarios());
        assertFalse(demo.demonstrations().widened());
    }

    /** Collector threads change only the speed: a checkpoint takes another count; batching by agents changes the run. */
    @Test
    void collectorThreadsStayOutOfTheFingerprintAndBatchByAgentsIsInItOnlyWhenOn() {
        TrainConfig plain = parse("algorithm: qmix\nscenarios: [steady]\n");
        assertEquals(1, plain.collectorThreads());
        assertFalse(plain.batchByAgents());
        TrainConfig threads = parse("algorithm: qmix\nscenarios: [steady]\nlearning: {collectorThreads: 2}\n");
        assertEquals(2, threads.collectorThreads());
        assertEquals(plain.fingerprint(), threads.fingerprint());
        assertEquals(plain.fingerprint(), parse("algorithm: qmix\nscenarios: [steady]\nlearning: {batchByAgents: false}\n").fingerprint(),
                "the default leaves checkpoints written before the key readable");
        TrainConfig grouped = parse("algorithm: qmix\nscenarios: [steady]\nlearning: {batchByAgents: true}\n");
        assertTrue(grouped.batchByAgents());
        assertFalse(plain.fingerprint().equals(grouped.fingerprint()), "another run: its checkpoint is refused for the other");
        var e = assertThrows(CohortException.class, () -> parse("algorithm: qmix\nscenarios: [steady]\nlearning: {collectorThreads: 0}\n"));
        assertEquals("t.yaml:3: learning.collectorThreads: expected a whole number from 1 to 64, got '0'", e.getMessage());
        TrainConfig averaged = parse("algorithm: qmix\nscenarios: [steady]\nlearning: {weightAverage: 0.005}\n");
        assertEquals(0.005, averaged.weightAverage());
        assertEquals(0, plain.weightAverage(), "off unless asked for");
        assertFalse(plain.fingerprint().equals(averaged.fingerprint()), "another export: a checkpoint is refused for the other");
        e = assertThrows(CohortException.class, () -> parse("algorithm: qmix\nscenarios: [steady]\nlearning: {weightAverage: 1.5}\n"));
        assertEquals("t.yaml:3: learning.weightAverage: expected a number from 0 to 1, got '1.5'", e.getMessage());
    }

    /** evaluation.perRole: off unless asked for, and not part of the fingerprint (it changes what is kept, not learnt). */
    @Test
    void keepingTeamsPerRoleIsASelectionSettingAResumeMayChange() {
        TrainConfig plain = parse("algorithm: awrq\nscenarios: [steady]\n");
        TrainConfig team = parse("algorithm: awrq\nscenarios: [steady]\nevaluation: {perRole: true}\n");
        assertFalse(plain.evalPerRole(), "off unless asked for");
        assertTrue(team.evalPerRole());
        assertTrue(team.withSeed(2).withBudget(10, 0).withOut(Path.of("x"), null).evalPerRole(), "kept by every copy");
        assertEquals(plain.fingerprint(), team.fingerprint(), "the same learning: a checkpoint resumes either way");
        assertRefused("algorithm: awrq\nscenarios: [steady]\nevaluation: {perRole: sometimes}\n",
                "t.yaml:3: evaluation.perRole: ");
    }

    /** Terms valued apart: none unless asked for, another run when asked, in one order, only for the value learners. */
    @Test
    void termsValuedApartAreAValueLearnersRunOfTheirOwn() {
        TrainConfig plain = parse("algorithm: awrq\nscenarios: [steady]\n");
        assertEquals(java.util.List.of(), plain.learner().valuedApart());
        assertFalse(plain.fingerprint().contains("valuedApart"), "none leaves checkpoints written before the key readable");
        TrainConfig split = parse("algorithm: awrq\nscenarios: [steady]\nlearning: {valuedApart: [progress, energy]}\n");
        assertEquals(java.util.List.of(ValueTerm.ENERGY, ValueTerm.PROGRESS), split.learner().valuedApart());
        assertEquals(split.fingerprint(), parse("algorithm: awrq\nscenarios: [steady]\nlearning: {valuedApart: [energy, progress]}\n")
                .fingerprint(), "the order written does not matter");
        assertFalse(plain.fingerprint().equals(split.fingerprint()), "another run: its checkpoint is refused for the other");
        var e = assertThrows(CohortException.class, () -> parse("algorithm: maddpg\nscenarios: [steady]\nlearning: {valuedApart: [energy]}\n"));
        assertEquals("t.yaml:3: learning.valuedApart: only the value learners (iql, vdn, qmix, awrq) value terms apart; remove it "
                + "for maddpg", e.getMessage());
        e = assertThrows(CohortException.class, () -> parse("algorithm: awrq\nscenarios: [steady]\nlearning: {valuedApart: [latency]}\n"));
        assertEquals("t.yaml:3: learning.valuedApart: 'latency' is not a reward term that can be valued apart (allowed: energy, "
                + "progress)", e.getMessage());
    }

    @Test
    void domainEnergyCreditIsARunOfItsOwnForLearnersWhoseAgentsLearnAlone() {
        TrainConfig plain = parse("algorithm: awrq\nscenarios: [steady]\n");
        assertFalse(plain.domainEnergyCredit());
        assertEquals(plain.fingerprint(), parse("algorithm: awrq\nscenarios: [steady]\nlearning: {energyCredit: team}\n").fingerprint(),
                "team is the default: checkpoints written before the key stay readable");
        TrainConfig credit = parse("algorithm: awrq\nscenarios: [steady]\nlearning: {energyCredit: domain}\n");
        assertTrue(credit.domainEnergyCredit());
        assertFalse(plain.fingerprint().equals(credit.fingerprint()), "another run: its checkpoint is refused for the other");
        assertTrue(parse("algorithm: iql\nscenarios: [steady]\nlearning: {energyCredit: domain}\n").domainEnergyCredit());
        var e = assertThrows(CohortException.class, () -> parse("algorithm: qmix\nscenarios: [steady]\nlearning: {energyCredit: domain}\n"));
        assertEquals("t.yaml:3: learning.energyCredit: domain credit needs agents that learn from their own TD errors (iql, awrq); "
                + "qmix's learn through the mixer: remove it", e.getMessage());
        e = assertThrows(CohortException.class, () -> parse("algorithm: awrq\nscenarios: [steady]\nlearning: {energyCredit: core}\n"));
        assertEquals("t.yaml:3: learning.energyCredit: team or domain, got 'core'", e.getMessage());
        e = assertThrows(CohortException.class, () -> parse(
                "algorithm: awrq\nscenarios: [steady]\nlearning: {energyCredit: domain, valuedApart: [energy]}\n"));
        assertEquals("t.yaml:3: learning.energyCredit: domain credit and valuedApart together are not supported: remove one",
                e.getMessage());
    }

    @Test
    void valuesPolynomialInTheLevelAreARunOfTheirOwnForValueLearners() {
        TrainConfig plain = parse("algorithm: awrq\nscenarios: [steady]\n");
        assertEquals(0, plain.learner().levelDegree());
        assertFalse(plain.fingerprint().contains("levelDegree"), "checkpoints written before the key stay readable");
        assertEquals(plain.fingerprint(), parse("algorithm: awrq\nscenarios: [steady]\nnetwork: {levelDegree: 0}\n").fingerprint());
        TrainConfig quadratic = parse("algorithm: iql\nscenarios: [steady]\nnetwork: {levelDegree: 2}\n");
        assertEquals(2, quadratic.learner().levelDegree());
        assertTrue(quadratic.fingerprint().contains("levelDegree=2"), "another run: its checkpoint is refused for the other");
        var e = assertThrows(CohortException.class, () -> parse("algorithm: maddpg\nscenarios: [steady]\nnetwork: {levelDegree: 2}\n"));
        assertEquals("t.yaml:3: network.levelDegree: only the value learners (iql, vdn, qmix, awrq) keep their values polynomial in the "
                + "level; remove it for maddpg", e.getMessage());
        e = assertThrows(CohortException.class, () -> parse("algorithm: awrq\nscenarios: [steady]\nnetwork: {levelDegree: -1}\n"));
        assertTrue(e.getMessage().startsWith("t.yaml:3: network.levelDegree"), e.getMessage());
    }

    @Test
    void pairedAdvantagesAreARunOfTheirOwnForValueLearners() {
        TrainConfig plain = parse("algorithm: awrq\nscenarios: [steady]\n");
        assertFalse(plain.learner().paired().on());
        assertFalse(plain.fingerprint().contains("paired"), "checkpoints written before the key stay readable");
        TrainConfig paired = parse("algorithm: vdn\nscenarios: [steady]\nlearning: {pairedAdvantage: {every: 8, alone: true}}\n");
        assertEquals(new dev.cohort.learn.algo.PairedAdvantage(8, 3, 1, true), paired.learner().paired(), "horizon 3 and weight 1 by default");
        assertTrue(paired.fingerprint().contains("PairedAdvantage[every=8, horizon=3, weight=1.0, alone]"), paired.fingerprint());
        assertEquals(dev.cohort.learn.replay.PairScale.SCENARIO, parse(
                "algorithm: iql\nscenarios: [steady]\nlearning: {pairedAdvantage: {scale: perScenario}}\n").learner().paired().scale());
        TrainConfig episode = parse("algorithm: iql\nscenarios: [steady]\nlearning: {pairedAdvantage: {scale: perEpisode}}\n");
        assertEquals(dev.cohort.learn.replay.PairScale.EPISODE, episode.learner().paired().scale());
        assertTrue(episode.fingerprint().contains("weight=1.0, per episode]"), episode.fingerprint());
        assertTrue(parse("algorithm: iql\nscenarios: [steady]\nlearning: {pairedAdvantage: {draw: roles}}\n").learner().paired()
                .byRole());
        TrainConfig perRole = parse("algorithm: awrq\nscenarios: [steady]\nlearning: {pairedAdvantage: {scale: {memory: perScenario, "
                + "quota: perScenario}}}\n");
        assertArrayEquals(new dev.cohort.learn.replay.PairScale[]{dev.cohort.learn.replay.PairScale.REWARD,
                dev.cohort.learn.replay.PairScale.SCENARIO, dev.cohort.learn.replay.PairScale.SCENARIO},
                perRole.learner().paired().perRole(), "a role left out keeps the reward's scale");
        assertTrue(perRole.fingerprint().contains("per role core reward, memory scenario, quota scenario]"), perRole.fingerprint());
        var badRole = assertThrows(CohortException.class, () -> parse(
                "algorithm: awrq\nscenarios: [steady]\nlearning: {pairedAdvantage: {scale: {quota: perTick}}}\n"));
        assertEquals("t.yaml:3: learning.pairedAdvantage.scale.quota: reward, perScenario, perEpisode, perState, perBand or perStep, got 'perTick'",
                badRole.getMessage());
        assertTrue(assertThrows(CohortException.class, () -> parse(
                "algorithm: awrq\nscenarios: [steady]\nlearning: {pairedAdvantage: {scale: {cores: reward}}}\n"))
                .getMessage().contains("pairedAdvantage.scale.cores: unknown key (allowed here: core, memory, quota)"));
        var badDraw = assertThrows(CohortException.class, () -> parse(
                "algorithm: awrq\nscenarios: [steady]\nlearning: {pairedAdvantage: {draw: cores}}\n"));
        assertEquals("t.yaml:3: learning.pairedAdvantage.draw: agents or roles, got 'cores'", badDraw.getMessage());
        assertEquals(dev.cohort.learn.replay.PairScale.BAND, parse("algorithm: iql\nscenarios: [steady]\nlearning: "
                + "{pairedAdvantage: {scale: perBand}}\n").learner().paired().scale());
        TrainConfig perStep = parse("algorithm: awrq\nscenarios: [steady]\nlearning: {pairedAdvantage: {scale: perStep}}\n");
        assertEquals(dev.cohort.learn.replay.PairScale.STEP, perStep.learner().paired().scale());
        assertNotEquals(perStep.fingerprint(), parse("algorithm: awrq\nscenarios: [steady]\nlearning: {pairedAdvantage: {scale: perBand}}\n")
                .fingerprint(), "a checkpoint of another scale is refused");
        TrainConfig balanced = parse("algorithm: awrq\nscenarios: [steady]\nlearning: {pairedAdvantage: {balance: scenarios}}\n");
        assertTrue(balanced.learner().paired().balanced());
        assertFalse(perRole.learner().paired().balanced(), "every pair alike by default");
        assertTrue(balanced.fingerprint().contains("scenarios balanced]"), "a checkpoint of another balance is refused: "
                + balanced.fingerprint());
        assertEquals("t.yaml:3: learning.pairedAdvantage.balance: none or scenarios, got 'roles'", assertThrows(
                CohortException.class, () -> parse("algorithm: awrq\nscenarios: [steady]\nlearning: {pairedAdvantage: "
                        + "{balance: roles}}\n")).getMessage());
        TrainConfig near = parse("algorithm: awrq\nscenarios: [steady]\nlearning: {pairedAdvantage: {reach: 3}}\n");
        assertEquals(3, near.learner().paired().reach());
        assertEquals(0, balanced.learner().paired().reach(), "every other level by default");
        assertTrue(near.fingerprint().contains(", reach 3]"), "a checkpoint of another reach is refused: " + near.fingerprint());
        assertTrue(TrainReport.pairedLine(near).contains("branched every 10 ticks at a level at most 3 from the one chosen, 3 "
                + "ticks of reward after"), TrainReport.pairedLine(near));
        assertFalse(TrainReport.pairedLine(balanced).contains("at most"), "no reach, no words on it");
        assertTrue(assertThrows(CohortException.class, () -> parse("algorithm: awrq\nscenarios: [steady]\nlearning: "
                + "{pairedAdvantage: {reach: -1}}\n")).getMessage().startsWith("t.yaml:3: learning.pairedAdvantage.reach"));
        TrainConfig coreOnly = parse("algorithm: awrq\nscenarios: [steady]\nlearning: {pairedAdvantage: {alone: true, "
                + "roles: [core]}}\n");
        assertTrue(coreOnly.learner().paired().pairs(dev.cohort.policy.Role.CORE));
        assertFalse(coreOnly.learner().paired().pairs(dev.cohort.policy.Role.QUOTA));
        assertTrue(near.learner().paired().pairs(dev.cohort.policy.Role.QUOTA), "every role by default");
        assertTrue(coreOnly.fingerprint().contains(", roles core]"), "a checkpoint of other roles is refused: "
                + coreOnly.fingerprint());
        assertFalse(near.fingerprint().contains("roles"), "runs from before the key keep their fingerprint");
        assertTrue(TrainReport.pairedLine(coreOnly).contains("one agent of the core agents branched")
                && TrainReport.pairedLine(coreOnly).contains("(the other roles' from the TD loss)"), TrainReport.pairedLine(coreOnly));
        assertEquals("t.yaml:3: learning.pairedAdvantage.roles: core, memory or quota, got 'cpu'", assertThrows(
                CohortException.class, () -> parse("algorithm: awrq\nscenarios: [steady]\nlearning: {pairedAdvantage: "
                        + "{roles: [cpu]}}\n")).getMessage());
        assertTrue(assertThrows(CohortException.class, () -> parse("algorithm: awrq\nscenarios: [steady]\nlearning: "
                + "{pairedAdvantage: {roles: []}}\n")).getMessage().contains("learning.pairedAdvantage.roles: expected at least one name"));
        var bad = assertThrows(CohortException.class, () -> parse(
                "algorithm: awrq\nscenarios: [steady]\nlearning: {pairedAdvantage: {scale: episode}}\n"));
        assertEquals("t.yaml:3: learning.pairedAdvantage.scale: reward, perScenario, perEpisode, perState, perBand or perStep, got 'episode'", bad.getMessage());
        var e = assertThrows(CohortException.class, () -> parse(
                "algorithm: maddpg\nscenarios: [steady]\nlearning: {pairedAdvantage: {every: 8}}\n"));
        assertEquals("t.yaml:3: learning.pairedAdvantage: only the value learners (iql, vdn, qmix, awrq) learn from paired "
                + "advantages; remove it for maddpg", e.getMessage());
        e = assertThrows(CohortException.class, () -> parse(
                "algorithm: awrq\nscenarios: [steady]\nlearning: {pairedAdvantage: {every: 0}}\n"));
        assertTrue(e.getMessage().startsWith("t.yaml:3: learning.pairedAdvantage.every"), e.getMessage());
        e = assertThrows(CohortException.class, () -> parse(
                "algorithm: awrq\nscenarios: [steady]\nlearning: {pairedAdvantage: {weight: 0, alone: true}}\n"));
        assertEquals("t.yaml:3: learning.pairedAdvantage.weight: must be positive when alone is true (the levels' differences "
                + "come only from the pairs)", e.getMessage());
        e = assertThrows(CohortException.class, () -> parse(
                "algorithm: awrq\nscenarios: [steady]\nlearning: {pairedAdvantage: {alone: true}, valuedApart: [energy, progress]}\n"));
        assertEquals("t.yaml:3: learning.pairedAdvantage.alone: with pairs alone only energy can be valued apart: use "
                + "valuedApart: [energy]", e.getMessage());
        e = assertThrows(CohortException.class, () -> parse("algorithm: awrq\nscenarios: [steady]\nlearning: "
                + "{pairedAdvantage: {alone: true, scale: perEpisode}, valuedApart: [energy]}\n"));
        assertEquals("t.yaml:3: learning.pairedAdvantage.scale: with pairs alone and energy valued apart, one scale for "
                + "every role, not perEpisode", e.getMessage());
        assertTrue(parse("algorithm: awrq\nscenarios: [steady]\nlearning: {pairedAdvantage: {alone: true, scale: perState}, "
                + "valuedApart: [energy]}\n").learner().pairsInParts(), "energy apart with pairs alone: each pair in parts");
        e = assertThrows(CohortException.class, () -> parse(
                "algorithm: awrq\nscenarios: [steady]\nlearning: {pairedAdvantage: {every: 5, span: 3}}\n"));
        assertTrue(e.getMessage().contains("span"), e.getMessage());
    }

    @Test
    void rewardsStandardisedPerScenarioAreARunOfTheirOwn() {
        TrainConfig plain = parse("algorithm: awrq\nscenarios: [steady]\n");
        assertTrue(plain.standardiseRewards());
        assertFalse(plain.rewardsPerScenario());
        assertEquals(plain.fingerprint(), parse("algorithm: awrq\nscenarios: [steady]\nlearning: {standardiseRewards: true}\n")
                .fingerprint(), "true is the default: checkpoints written before perScenario stay readable");
        TrainConfig per = parse("algorithm: qmix\nscenarios: [steady]\nlearning: {standardiseRewards: perScenario}\n");
        assertTrue(per.standardiseRewards() && per.rewardsPerScenario());
        assertTrue(per.fingerprint().endsWith("|rewards standardised per scenario"));
        assertFalse(parse("algorithm: awrq\nscenarios: [steady]\nlearning: {standardiseRewards: false}\n").standardiseRewards());
        var e = assertThrows(CohortException.class, () -> parse("algorithm: awrq\nscenarios: [steady]\nlearning: {standardiseRewards: yes}\n"));
        assertEquals("t.yaml:3: learning.standardiseRewards: true, false or perScenario, got 'yes'", e.getMessage());
        e = assertThrows(CohortException.class, () -> parse(
                "algorithm: awrq\nscenarios: [steady]\nlearning: {standardiseRewards: perScenario, valuedApart: [energy]}\n"));
        assertEquals("t.yaml:3: learning.standardiseRewards: perScenario and valuedApart together are not supported: remove one",
                e.getMessage());
    }

    @Test
    void unknownKeysAndBadValuesNameTheFileAndTheKey() {
        var e = assertThrows(CohortException.class, () -> parse("algorithm: qmix\nscenarios: [steady]\nlearning: {gama: 0.9}\n"));
        assertEquals("t.yaml:3: learning.gama: unknown key (allowed here: gamma, nStep, huber, batchChunks, replayChunks, warmupChunks, "
                + "episodesPerIteration, updatesPerIteration, doubleQ, targetInterval, tau, standardiseRewards, collectorThreads, "
                + "batchByAgents, weightAverage, valuedApart, energyCredit, pairedAdvantage)", e.getMessage());
        e = assertThrows(CohortException.class, () -> parse("algorithm: dqn\nscenarios: [steady]\n"));
        assertEquals("t.yaml:1: algorithm: unknown algorithm 'dqn' (allowed: iql, vdn, qmix, awrq, maddpg)", e.getMessage());
        e = assertThrows(CohortException.class, () -> parse("algorithm: vdn\nscenarios: [steady]\nlearning: {gamma: 2}\n"));
        assertEquals("t.yaml:3: learning.gamma: expected a number from 0.01 to 0.9999, got '2'", e.getMessage());
        e = assertThrows(CohortException.class, () -> parse("algorithm: vdn\n"));
        assertEquals("t.yaml:1: scenarios: required (scenario names with weights, e.g. {colocation: 1, membw: 1})", e.getMessage());
        e = assertThrows(CohortException.class, () -> parse("algorithm: vdn\nscenarios: [steady]\nepisodeTicks: 100\nchunkTicks: 30\n"));
        assertEquals("t.yaml:4: chunkTicks: 30 does not divide episodeTicks 100", e.getMessage());
    }

    @Test
    void evaluationSeedsMustBeSeedsTrainingNeverUses() {
        assertArrayEquals(new long[]{101, 102, 103}, parse("algorithm: vdn\nscenarios: [steady]\nevaluation: {seeds: 101-103}\n").evalSeedList());
        var e = assertThrows(CohortException.class, () -> parse("algorithm: vdn\nscenarios: [steady]\nevaluation: {seeds: 999-1001}\n"));
        assertEquals("t.yaml:3: evaluation.seeds: seeds must be 0..999 (training uses 1000 and above), got '999-1001'", e.getMessage());
        e = assertThrows(CohortException.class, () -> parse("algorithm: vdn\nscenarios: [steady]\nevaluation: {seeds: 0-9000000000000}\n"));
        assertEquals("t.yaml:3: evaluation.seeds: seeds must be 0..999 (training uses 1000 and above), got '0-9000000000000'",
                e.getMessage(), "refused before counting");
        e = assertThrows(CohortException.class, () -> parse("algorithm: vdn\nscenarios: [steady]\nevaluation:\n  seeds: 1..3\n"));
        assertEquals("t.yaml:4: evaluation.seeds: expected a range (201-202) or a list (7,8,9), got '1..3'", e.getMessage());
    }

    @Test
    void demonstrationsAreOffUnlessConfiguredAndMustUseATrainingScenario() {
        assertEquals(Demonstrations.NONE, parse("algorithm: qmix\nscenarios: [steady]\n").demonstrations());
        TrainConfig c = parse("algorithm: qmix\nscenarios: {steady: 1, diurnal: 2}\nlearning: {batchChunks: 32}\n"
                + "demonstrations: {policy: headroom, scenarios: [diurnal], episodes: 50, share: 0.25, margin: 0.5, weight: 2}\n");
        assertEquals(new Demonstrations("headroom", java.util.List.of("diurnal"), 50, 0.25), c.demonstrations());
        assertFalse(parse("algorithm: qmix\nscenarios: [diurnal]\ndemonstrations: {policy: headroom, widened: false}\n")
                .demonstrations().widened());
        assertEquals(8, c.demonstrations().chunksOf(c.batchChunks()));
        assertEquals(0.5, c.learner().demoMargin());
        assertEquals(2, c.learner().demoWeight());
        assertEquals(java.util.List.of("steady", "diurnal"),
                parse("algorithm: vdn\nscenarios: [steady, diurnal]\ndemonstrations: {policy: slo-guard}\n").demonstrations().scenarios());
        var e = assertThrows(CohortException.class, () -> parse("algorithm: qmix\nscenarios: [steady]\n"
                + "demonstrations: {policy: headroom, scenarios: [diurnal]}\n"));
        assertEquals("t.yaml:3: demonstrations.scenarios: 'diurnal' is not a training scenario (steady)", e.getMessage());
        e = assertThrows(CohortException.class, () -> parse("algorithm: maddpg\nscenarios: [steady]\ndemonstrations: {policy: headroom}\n"));
        assertEquals("t.yaml:3: demonstrations: only the value learners (iql, vdn, qmix, awrq) use demonstrations; remove the section "
                + "for maddpg", e.getMessage());
        e = assertThrows(CohortException.class, () -> parse("algorithm: qmix\nscenarios: [steady]\ndemonstrations: {episodes: 5}\n"));
        assertEquals("t.yaml:3: demonstrations.policy: required: the policy that demonstrates, e.g. slo-guard", e.getMessage());
    }

    @Test
    void theWidenedVariationIsReadWithItsKeys() {
        TrainConfig c = parse("""
                algorithm: qmix
                scenarios: [colocation, trace]
                variation:
                  load: 0.2
                  machineSizes: [1x4, 1x8, 1x16, 1x32, 2x8, 2x16]
                  sloRange: [0.5, 2]
                  loadScale: [0.6, 1.3]
                  batchMix: {asWritten: 2, none: 1, cpu: 1, stream: 1, both: 1}
                  burstyShare: 0.25
                """);
        var v = c.variation();
        assertEquals(6, v.machineSizes().size());
        assertEquals(new MachineSize(2, 16), v.machineSizes().getLast());
        assertEquals(0.5, v.sloMin());
        assertEquals(2, v.sloMax());
        assertEquals(1.3, v.loadScaleMax());
        assertEquals(new BatchMix(2, 1, 1, 1, 1), v.batchMix());
        assertEquals(0.25, v.burstyShare());
        assertEquals(0.5, v.burstyPareto(), "half the bursty swaps heavy-tailed unless told");
        assertEquals(0, v.asWrittenShare(), "every episode varied unless told");
        assertEquals(BatchMix.AS_WRITTEN, parse("algorithm: vdn\nscenarios: [steady]\n").variation().batchMix());
        var kept = parse("algorithm: vdn\nscenarios: [steady]\nvariation: {load: 0.2, asWrittenShare: 0.3}\n").variation();
        assertEquals(0.3, kept.asWrittenShare());
        assertEquals(0.2, kept.load(), "the share keeps the spreads");
        assertEquals("load ±20% (at most 95% busy), 30% of episodes as written", kept.toString());
        assertRefused("algorithm: vdn\nscenarios: [steady]\nvariation: {asWrittenShare: 1.5}\n", "t.yaml:3: variation.asWrittenShare: ");
    }

    @Test
    void heldOutScenariosSizesAndSlosAreRefusedInOneLineNamingTheKeyAndTheFix() {
        assertRefused("algorithm: vdn\nscenarios: [colocation, large]\n", "t.yaml:2: scenarios: 'large' is large, 128 CPUs, held out of "
                + "training as the test of scale: remove it from the training scenarios");
        assertRefused("algorithm: vdn\nscenarios:\n  colocation: 1\n  configs/scenarios/heldout/code-trace.yaml: 1\n",
                "t.yaml:2: scenarios: 'configs/scenarios/heldout/code-trace.yaml' is a held-out scenario (configs/scenarios/heldout/, "
                        + "docs/training.md): remove it from the training scenarios");
        assertRefused("algorithm: vdn\nscenarios: [my/heldout-copy.yaml]\n", "t.yaml:2: scenarios: 'my/heldout-copy.yaml' is a "
                + "held-out scenario (its name starts with heldout-): remove it from the training scenarios");
        assertRefused("algorithm: vdn\nscenarios: [steady]\nevaluation:\n  scenarios: [diurnal, configs/scenarios/heldout/loose-slo.yaml]\n",
                "t.yaml:4: evaluation.scenarios: 'configs/scenarios/heldout/loose-slo.yaml' is a held-out scenario "
                        + "(configs/scenarios/heldout/, docs/training.md): in-training validation chooses the weights and must not see it: "
                        + "remove it (evaluate it after training with cohort evaluate)");
        assertRefused("algorithm: vdn\nscenarios: [steady]\nevaluation: {scenarios: large}\n", "t.yaml:3: evaluation.scenarios: "
                + "'large' is large, 128 CPUs, held out of training as the test of scale: in-training validation");
        assertRefused("algorithm: vdn\nscenarios: [steady]\nvariation:\n  machineSizes: [1x8, 2x12]\n", "t.yaml:4: "
                + "variation.machineSizes: 2x12 is 24 CPUs, the held-out size (heldout/two-socket-24.yaml), which training never draws: "
                + "remove it (e.g. 1x4, 1x8, 1x16, 1x32, 2x8, 2x16)");
        assertRefused("algorithm: vdn\nscenarios: [steady]\nvariation:\n  machineSizes: [1x24]\n",
                "t.yaml:4: variation.machineSizes: 1x24 is 24 CPUs, the held-out size");
        assertRefused("algorithm: vdn\nscenarios: [steady]\nvariation:\n  machineSizes: [2x32]\n", "t.yaml:4: "
                + "variation.machineSizes: 2x32 is 64 CPUs, more than training's 32 (large, 128 CPUs, is the test of scale): remove it");
        assertRefused("algorithm: vdn\nscenarios: [steady]\nvariation:\n  machineSizes: [eight]\n", "t.yaml:4: "
                + "variation.machineSizes: expected sockets x cores per socket, like 1x8 or 2x16, got 'eight'");
        assertRefused("algorithm: vdn\nscenarios: [steady]\nvariation:\n  sloRange: [0.5, 2.5]\n", "t.yaml:4: variation.sloRange: "
                + "at most 2 (the held-out loose-slo.yaml runs at 2.5 × diurnal's SLO, a factor training never draws), got 2.5: lower it to 2");
        assertRefused("algorithm: vdn\nscenarios: [steady]\nvariation:\n  slo: 0.2\n  sloRange: [0.5, 2]\n", "t.yaml:5: "
                + "variation.sloRange: give slo (a ±spread) or sloRange (a range of factors), not both: remove slo");
        assertRefused("algorithm: vdn\nscenarios: [steady]\nvariation:\n  batchMix: {cpu: 1, gpu: 1}\n", "t.yaml:4: "
                + "variation.batchMix.gpu: unknown key (allowed here: asWritten, none, cpu, stream, both)");
        assertRefused("algorithm: vdn\nscenarios: [steady]\nvariation:\n  batchMix: {cpu: 0}\n",
                "t.yaml:4: variation.batchMix: at least one batch mix weight must be positive");
    }

    private static void assertRefused(String yaml, String start) {
        var e = assertThrows(CohortException.class, () -> parse(yaml));
        assertTrue(e.getMessage().startsWith(start), "expected '" + start + "...', got: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    @Test
    void epsilonFallsLinearlyToItsFloor() {
        TrainConfig c = parse("algorithm: vdn\nscenarios: [steady]\nexploration: {epsilonStart: 1, epsilonEnd: 0.1, annealSteps: 1000}\n");
        assertEquals(1.0, c.epsilon(0), 1e-12);
        assertEquals(0.55, c.epsilon(500), 1e-12);
        assertEquals(0.1, c.epsilon(5000), 1e-12);
    }

    /** optimiser.lrEnd and lrDecayTicks: a linear decay of the rate over the run's ticks, in the fingerprint and the report. */
    @Test
    void theLearningRateDecaysLinearlyToItsEndAndHolds() {
        TrainConfig decay = parse("algorithm: awrq\nscenarios: [steady]\noptimiser: {lr: 0.0005, lrEnd: 0.0001, lrDecayTicks: 400000}\n");
        assertEquals(1, decay.lrDecay().scaleAt(0), 1e-12);
        assertEquals(0.6, decay.lrDecay().scaleAt(200_000), 1e-12, "halfway: halfway from 1 to 0.2");
        assertEquals(0.2, decay.lrDecay().scaleAt(400_000), 1e-12);
        assertEquals(0.2, decay.lrDecay().scaleAt(900_000), 1e-12, "held after");
        TrainConfig plain = parse("algorithm: awrq\nscenarios: [steady]\n");
        assertEquals(LrDecay.NONE, plain.lrDecay());
        assertEquals(1, plain.lrDecay().scaleAt(900_000));
        assertFalse(plain.fingerprint().contains("learning rate"), "older checkpoints still match: " + plain.fingerprint());
        assertTrue(decay.fingerprint().endsWith("|learning rate to 0.2 of it over 400000 ticks"), decay.fingerprint());
        var half = assertThrows(CohortException.class, () -> parse("algorithm: awrq\nscenarios: [steady]\noptimiser: {lrEnd: 0.0001}\n"));
        assertTrue(half.getMessage().startsWith("t.yaml:3: optimiser.lrDecayTicks: missing: a decay needs both lrEnd"), half.getMessage());
        var up = assertThrows(CohortException.class, () -> parse("algorithm: awrq\nscenarios: [steady]\n"
                + "optimiser: {lr: 0.0005, lrEnd: 0.001, lrDecayTicks: 10}\n"));
        assertTrue(up.getMessage().contains("optimiser.lrEnd: 0.001 is above lr 5.0E-4: the rate decays, so lrEnd must be at most lr"),
                up.getMessage());
    }

    /** configs/awrq-near.yaml, models/awrq-near's configuration, is what docs/results.md says it is. */
    @Test
    void theNearPairConfigurationParsesAsDocumented() {
        TrainConfig near = TrainConfig.load(Path.of(System.getProperty("cohort.repo", "."), "configs", "awrq-near.yaml"));
        assertEquals(3, near.learner().paired().reach());
        assertTrue(near.learner().paired().hold());
        assertEquals(10, near.learner().paired().horizon());
        assertEquals(2, near.learner().levelDegree());
        assertEquals(0.002, near.weightAverage());
        assertEquals(0.3, near.variation().asWrittenShare());
        assertTrue(near.evalScenarios().contains("steady"), near.evalScenarios().toString());
    }

    /** configs/awrq-team.yaml is the pw5 configuration with pairs for the core agents only. */
    @Test
    void theTeamConfigurationIsThePw5OneWithPairsForTheCoreAgentsOnlyKeptPerRole() {
        Path configs = Path.of(System.getProperty("cohort.repo", "."), "configs");
        TrainConfig pw5 = TrainConfig.load(configs.resolve("awrq-near-pw5.yaml"));
        TrainConfig team = TrainConfig.load(configs.resolve("awrq-team.yaml"));
        assertEquals(java.util.Set.of(dev.cohort.policy.Role.CORE), team.learner().paired().roles());
        assertEquals(pw5.fingerprint().replace(", reach 3]", ", reach 3, roles core]"), team.fingerprint(),
                "otherwise the same run");
        assertTrue(team.evalPerRole(), "and it keeps the team role by role");
        assertFalse(pw5.evalPerRole());
    }

    /** configs/awrq-team-quota.yaml is the team configuration with pairs for the quota agents too, on their own scale. */
    @Test
    void theTeamQuotaConfigurationAddsTheQuotaAgentsPairsAndNothingElseThatIsLearnt() {
        Path configs = Path.of(System.getProperty("cohort.repo", "."), "configs");
        TrainConfig team = TrainConfig.load(configs.resolve("awrq-team.yaml"));
        TrainConfig quota = TrainConfig.load(configs.resolve("awrq-team-quota.yaml"));
        var paired = quota.learner().paired();
        assertEquals(java.util.Set.of(dev.cohort.policy.Role.CORE, dev.cohort.policy.Role.QUOTA), paired.roles());
        assertEquals(dev.cohort.learn.replay.PairScale.STATE, paired.perRole()[dev.cohort.policy.Role.CORE.ordinal()]);
        assertEquals(dev.cohort.learn.replay.PairScale.SCENARIO, paired.perRole()[dev.cohort.policy.Role.QUOTA.ordinal()]);
        assertTrue(paired.byRole(), "half the pairs to each role");
        assertTrue(quota.fingerprint().contains(paired.toString()), quota.fingerprint());
        String pairs = "PairedAdvantage\\[[^\\]]*\\]";
        assertEquals(team.fingerprint().replaceAll(pairs, "pairs"), quota.fingerprint().replaceAll(pairs, "pairs"),
                "otherwise the same run");
        assertEquals(team.learner().paired().weight(), paired.weight());
        assertEquals(team.learner().paired().reach(), paired.reach());
        assertEquals(team.learner().paired().hold(), paired.hold());
        assertEquals(team.evalPerRole(), quota.evalPerRole());
    }

    /**
     * configs/awrq-team-quota-state.yaml, whose seed 1 gave models/awrq-team-state's core and memory agents, is the team
     * quota configuration with the quota agents' pairs scaled per state and the loads drawn no heavier than 1.1 times
     * the file's; the SLO range, on/off sources and everything else that decides what is learnt stay.
     */
    @Test
    void theStateScaledQuotaConfigurationChangesTheQuotaScaleAndTheHeaviestLoadsOnly() {
        Path configs = Path.of(System.getProperty("cohort.repo", "."), "configs");
        var before = TrainConfig.load(configs.resolve("awrq-team-quota.yaml"));
        var state = TrainConfig.load(configs.resolve("awrq-team-quota-state.yaml"));
        assertEquals(before.learner().paired().roles(), state.learner().paired().roles());
        assertEquals(List.of(dev.cohort.learn.replay.PairScale.STATE, dev.cohort.learn.replay.PairScale.STATE),
                List.of(state.learner().paired().perRole()[dev.cohort.policy.Role.CORE.ordinal()], state.learner().paired().perRole()[dev.cohort.policy.Role.QUOTA.ordinal()]), "core and quota per state");
        assertEquals(List.of(1.3, 1.1), List.of(before.variation().loadScaleMax(), state.variation().loadScaleMax()));
        assertEquals(480_000, state.envSteps());
        // Outside the pairs and the variation, the fingerprint (everything that decides what is learnt) is the same.
        String pairs = "PairedAdvantage\\[[^\\]]*\\]";
        assertEquals(before.fingerprint().replaceAll(pairs, "pairs").replace(before.variation().toString(), "variation"),
                state.fingerprint().replaceAll(pairs, "pairs").replace(state.variation().toString(), "variation"),
                "otherwise the same run");
        assertEquals(before.variation().sloMax(), state.variation().sloMax());
        assertEquals(before.variation().burstyShare(), state.variation().burstyShare());
    }

    /** configs/awrq-near-pw5.yaml, learned's configuration, is the near configuration with the pairs weighed 5. */
    @Test
    void theShippedConfigurationIsTheNearOneWithThePairsWeighedFive() {
        Path configs = Path.of(System.getProperty("cohort.repo", "."), "configs");
        TrainConfig near = TrainConfig.load(configs.resolve("awrq-near.yaml"));
        TrainConfig pw5 = TrainConfig.load(configs.resolve("awrq-near-pw5.yaml"));
        assertEquals(5.0, pw5.learner().paired().weight());
        assertEquals(near.learner().paired().reach(), pw5.learner().paired().reach());
        assertEquals(near.learner().levelDegree(), pw5.learner().levelDegree());
        assertEquals(near.weightAverage(), pw5.weightAverage());
        assertEquals(near.evalScenarios(), pw5.evalScenarios());
        assertEquals(near.variation(), pw5.variation());
    }
}
