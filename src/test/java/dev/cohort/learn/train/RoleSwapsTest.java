package dev.cohort.learn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.learn.nn.AgentNet;
import dev.cohort.learn.nn.ParamSet;
import dev.cohort.policy.DjlRuntime;
import dev.cohort.policy.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code evaluation.perRole}: teams put together role by role inside one run. */
class RoleSwapsTest {
    private static final List<AgentNet> NETS = List.of(new AgentNet("core", 2, 2, 2, false),
            new AgentNet("memory", 2, 2, 2, false), new AgentNet("quota", 2, 2, 2, false));

    @TempDir
    Path dir;

    private static ParamSet weights(float v) {
        ParamSet p = new ParamSet();
        for (AgentNet n : NETS) {
            p.add(n.prefix() + ".w", new int[]{2}, new float[]{v, v});
        }
        return p;
    }

    @Test
    void aSwapTakesOneRolesAgentsAndLeavesBothSetsAsTheyWere() {
        ParamSet best = weights(1);
        ParamSet later = weights(2);
        ParamSet team = RoleSwaps.swap(best, later, NETS.get(Role.QUOTA.ordinal()));
        assertArrayEquals(new float[]{2, 2}, team.get("quota.w"), "the quota agents come from the later weights");
        assertArrayEquals(new float[]{1, 1}, team.get("core.w"), "the core agents stay the best's");
        assertArrayEquals(new float[]{1, 1}, team.get("memory.w"));
        assertArrayEquals(new float[]{1, 1}, best.get("quota.w"), "the best weights are not changed");
        assertArrayEquals(new float[]{2, 2}, later.get("core.w"));
    }

    @Test
    void eachRoleThatDiffersIsJudgedOnceAndNothingWithoutABestOrASecondRole() {
        ParamSet best = weights(1);
        ParamSet later = weights(1);
        later.get("core.w")[0] = 5;
        later.get("quota.w")[1] = 7;
        List<ParamSet> judged = new ArrayList<>();
        List<RoleSwaps.Trial> trials = RoleSwaps.run(best, later, NETS, new boolean[]{true, true, true}, w -> {
            judged.add(w);
            return List.of();
        });
        assertEquals(List.of(Role.CORE, Role.QUOTA), trials.stream().map(RoleSwaps.Trial::role).toList(),
                "the memory agents are the same in both, so that team is not judged again");
        assertEquals(2, judged.size());
        assertArrayEquals(new float[]{5, 1}, trials.get(0).weights().get("core.w"));
        assertArrayEquals(new float[]{1, 1}, trials.get(0).weights().get("quota.w"));
        assertTrue(RoleSwaps.run(null, later, NETS, new boolean[]{true, true, true}, w -> List.of()).isEmpty(),
                "before the first evaluation there is no best to swap into");
        assertTrue(RoleSwaps.run(best, later, NETS, new boolean[]{true, false, false}, w -> List.of()).isEmpty(),
                "with one role a swap is the weights themselves");
    }

    @Test
    void theKeptTeamSaysWhereEachRolesAgentsCameFrom() {
        RunState s = new RunState();
        BestWeights best = new BestWeights(s);
        boolean[] seen = {true, true, true};
        assertTrue(best.offer(1.0, 4, 100, weights(1)));
        assertEquals("after 100 ticks", best.origin(seen));
        long[] base = best.roleEnvSteps(); // an evaluation after 300 ticks starts: its teams are built from these
        assertTrue(best.offer(1.5, 9, 300, weights(2)), "the whole weights of that evaluation are kept first");
        assertTrue(best.offerRole(2.0, Role.QUOTA, 9, 300, weights(3), base));
        assertEquals("a team: core agents after 100 ticks, memory agents after 100 ticks, quota agents after 300 ticks",
                best.origin(seen), "the team's other roles are those it was built from, not the whole weights kept since");
        assertFalse(best.offerRole(1.8, Role.CORE, 12, 400, weights(4), best.roleEnvSteps()),
                "a team below the best is not kept");
        assertEquals(2.0, best.score());
        assertEquals(300, best.envSteps());
        assertTrue(best.offerRole(2.5, Role.CORE, 14, 500, weights(5), best.roleEnvSteps()));
        assertEquals("a team: core agents after 500 ticks, memory agents after 100 ticks, quota agents after 300 ticks",
                best.origin(seen));
        assertTrue(best.offer(3.0, 16, 600, weights(6)));
        assertEquals("after 600 ticks", best.origin(seen), "whole weights that score better replace the team");
    }

    /**
     * A run with {@code evaluation.perRole} learns exactly as one without it, says how each team scored beside each
     * evaluation, exports weights that score at least as well on the validation seeds, and keeps its teams across a
     * resume.
     */
    @Test
    @Tag("pytorch")
    void aRunThatKeepsTeamsLearnsTheSameAndExportsNoWorse() throws Exception {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        Trainer.Result plain = Trainer.run(TrainConfig.load(TrainTests.config(dir, "plain", "qmix", 400, "")), false,
                quiet(new ArrayList<>()));
        List<String> said = Collections.synchronizedList(new ArrayList<>());
        Path teamCfg = perRole(TrainTests.config(dir, "team", "qmix", 400, ""));
        Trainer.Result team = Trainer.run(TrainConfig.load(teamCfg), false, quiet(said));
        List<String> a = Files.readAllLines(team.log());
        List<String> b = Files.readAllLines(plain.log());
        ObjectMapper json = new ObjectMapper();
        assertEquals(b.size(), a.size());
        for (int i = 0; i < a.size(); i++) {
            for (String k : List.of("episode_reward", "loss", "q_mean", "eval_score")) {
                assertEquals(json.readTree(b.get(i)).get(k), json.readTree(a.get(i)).get(k), k + " of iteration " + i);
            }
        }
        assertTrue(said.stream().anyMatch(m -> m.matches(
                "evaluation after \\d+ ticks: the best weights with these (core|memory|quota) agents -?[0-9.]+( \\(kept\\))?")),
                "each evaluation after the first says how the teams scored: " + said);
        assertTrue(exportedReward(team.out()) >= exportedReward(plain.out()),
                "the exported weights score no worse than the whole weights' best");
        assertTrue(Files.readString(team.report()).contains("kept per role"), "the report says how the weights were kept");
        Path split = perRole(TrainTests.config(dir, "split", "qmix", 200, ""));
        Trainer.run(TrainConfig.load(split), false, quiet(new ArrayList<>()));
        Trainer.Result resumed = Trainer.run(TrainConfig.load(split).withBudget(400, 0), true, quiet(new ArrayList<>()));
        assertEquals(summary(team.out()).get("exported"), summary(resumed.out()).get("exported"),
                "the kept team and where its agents came from survive a checkpoint");
    }

    private static Path perRole(Path cfg) throws Exception {
        Files.writeString(cfg, Files.readString(cfg).replace("bar: false}", "bar: false, perRole: true}"));
        return cfg;
    }

    private static JsonNode summary(Path out) throws Exception {
        return new ObjectMapper().readTree(out.resolve(RunSummary.FILE).toFile());
    }

    private static double exportedReward(Path out) throws Exception {
        return summary(out).get("validation").get(0).get("mean_reward").asDouble();
    }

    private static Trainer.Listener quiet(List<String> said) {
        return new Trainer.Listener() {
            @Override
            public void message(String text) {
                said.add(text);
            }
        };
    }
}
