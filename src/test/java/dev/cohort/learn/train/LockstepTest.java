package dev.cohort.learn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.learn.nn.AgentNet;
import dev.cohort.learn.nn.ParamSet;
import dev.cohort.learn.replay.Chunk;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.Scenarios;
import dev.cohort.policy.ObservationSpec;
import dev.cohort.policy.Role;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Lockstep collection gives, bit for bit, the episodes that sequential collection gives one after another: the same
 * chunks (observations, hidden states, levels, rewards, global states), the same exploration draws and the same
 * statistics, whatever the number of threads stepping the environments, on episodes of different machine sizes in
 * one batch. Plain-Java networks only: this never needs the training engine, so it never skips.
 */
class LockstepTest {
    private static final int[] LEVELS = {11, 10, 10};

    @Test
    void lockstepEpisodesAreTheSequentialOnesBitForBit() {
        for (boolean recurrent : new boolean[]{true, false}) {
            for (boolean sample : new boolean[]{false, true}) {
                TrainConfig cfg = config();
                List<AgentNet> nets = nets(recurrent);
                ParamSet weights = weights(nets);
                List<Collector.Episode> sequential = new ArrayList<>();
                Collector one = collector(cfg, nets, sample);
                for (long j = 5; j < 10; j++) {
                    sequential.add(one.run(j, weights, 0.3));
                }
                Set<Integer> sizes = new HashSet<>();
                sequential.forEach(e -> sizes.add(e.agents()[Role.CORE.ordinal()]));
                assertTrue(sizes.size() > 1, "the batch mixes machine sizes: " + sizes);
                for (int threads : new int[]{1, 2, 3}) {
                    Collector c = collector(cfg, nets, sample);
                    List<Collector.Episode> lockstep = c.runLockstep(5, 5, weights, 0.3, threads);
                    String what = (recurrent ? "recurrent" : "feed-forward") + (sample ? ", sampling" : ", ε-greedy") + ", "
                            + threads + " threads";
                    for (int i = 0; i < 5; i++) {
                        same(sequential.get(i), lockstep.get(i), what + ", episode " + (5 + i));
                    }
                    // a second iteration on the same collector (environments reused) is again the sequential one
                    List<Collector.Episode> again = c.runLockstep(7, 2, weights, 0.3, threads);
                    same(sequential.get(2), again.get(0), what + ", reused environments");
                    same(sequential.get(3), again.get(1), what + ", reused environments");
                }
            }
        }
    }

    private static void same(Collector.Episode a, Collector.Episode b, String what) {
        assertEquals(a.scenario(), b.scenario(), what);
        assertEquals(a.simSeed(), b.simSeed(), what);
        assertEquals(a.lambda(), b.lambda(), what);
        assertArrayEquals(a.agents(), b.agents(), what);
        assertEquals(a.actions(), b.actions(), what);
        assertEquals(a.nonGreedy(), b.nonGreedy(), what + ": the same exploration draws");
        assertTrue(a.nonGreedy() > 0, what + ": it explored");
        assertEquals(a.meanReward(), b.meanReward(), 0, what);
        assertEquals(a.energyJoules(), b.energyJoules(), 0, what);
        assertEquals(a.sloTickShare(), b.sloTickShare(), 0, what);
        assertEquals(a.chunks().size(), b.chunks().size(), what);
        for (int k = 0; k < a.chunks().size(); k++) {
            Chunk x = a.chunks().get(k);
            Chunk y = b.chunks().get(k);
            String at = what + ", chunk " + k;
            assertArrayEquals(x.rewards(), y.rewards(), at);
            assertArrayEquals(x.state(), y.state(), at);
            for (int r = 0; r < LEVELS.length; r++) {
                assertArrayEquals(x.obs()[r], y.obs()[r], at + ", observations of role " + r);
                assertArrayEquals(x.hidden()[r], y.hidden()[r], at + ", hidden states of role " + r);
                assertArrayEquals(x.actions()[r], y.actions()[r], at + ", levels of role " + r);
            }
        }
    }

    private static TrainConfig config() {
        return TrainConfig.parse(Path.of("lockstep.yaml"), """
                algorithm: qmix
                seed: 11
                scenarios: {colocation: 1, membw: 1}
                variation: {machineSizes: [1x4, 1x8, 2x8], load: 0.2, batch: 0.2}
                lambda: [0.5, 2]
                episodeTicks: 40
                chunkTicks: 20
                """);
    }

    private static Collector collector(TrainConfig cfg, List<AgentNet> nets, boolean sample) {
        List<Scenario> bases = List.of(Scenarios.builtIn("colocation"), Scenarios.builtIn("membw"));
        return new Collector(cfg, bases, new double[]{1, 1}, nets, sample);
    }

    private static List<AgentNet> nets(boolean recurrent) {
        List<AgentNet> nets = new ArrayList<>();
        for (Role r : Role.values()) {
            nets.add(new AgentNet(r.id(), ObservationSpec.of(r).size(), 8, LEVELS[r.ordinal()], recurrent));
        }
        return nets;
    }

    private static ParamSet weights(List<AgentNet> nets) {
        ParamSet ps = new ParamSet();
        SplittableRandom rng = new SplittableRandom(3);
        for (AgentNet n : nets) {
            n.init(ps, rng);
        }
        return ps;
    }
}
