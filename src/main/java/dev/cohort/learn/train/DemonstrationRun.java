package dev.cohort.learn.train;

import dev.cohort.learn.nn.ParamSet;
import dev.cohort.learn.replay.Chunk;
import dev.cohort.learn.replay.ReplayBuffer;
import dev.cohort.platform.CohortException;
import dev.cohort.platform.Topology;
import java.util.List;

/** A run's demonstrations (DQfD's): the named policies play episodes, kept apart from the replay for the whole run. */
final class DemonstrationRun {
    private DemonstrationRun() {
    }

    /**
     * Runs the demonstration episodes into {@code s.demos} before the first iteration; their rewards count in the
     * statistics and their time in the run's.
     */
    static void collect(TrainConfig cfg, RunState s, Collector collector, ParamSet weights, Topology topology,
                        Trainer.Listener listener) {
        Demonstrations d = cfg.demonstrations();
        try {
            Demonstrator.createAll(d.policy(), topology).forEach(Demonstrator::close);
        } catch (CohortException e) {
            throw new CohortException(cfg.source().getFileName() + ": demonstrations.policy: " + e.getMessage(), e);
        }
        int threads = Math.max(1, cfg.collectorThreads());
        listener.message("collecting " + d.episodes() + " demonstration episodes of " + d.policy() + " on "
                + String.join(", ", d.scenarios()) + " (" + threads + (threads == 1 ? " thread)" : " threads)"));
        List<String> names = List.copyOf(cfg.scenarios().keySet());
        int[] scenarios = d.scenarios().stream().mapToInt(names::indexOf).toArray();
        long t0 = System.nanoTime();
        int perEpisode = cfg.episodeTicks() / cfg.chunkTicks();
        s.demos = new ReplayBuffer(d.episodes() * perEpisode);
        double reward = 0;
        double slo = 0;
        List<Collector.Episode> episodes = collector.demonstrate(d.episodes(), weights,
                () -> Demonstrator.createAll(d.policy(), topology), scenarios, threads,
                done -> {
                    if (done % Math.max(1, d.episodes() / 10) == 0 || done == d.episodes()) { // a tenth at a time
                        listener.message("demonstrations: " + done + " of " + d.episodes() + " episodes");
                    }
                });
        for (Collector.Episode e : episodes) {
            for (Chunk ch : e.chunks()) {
                s.demos.add(ch);
                s.observe(ch, cfg.learner().valuedApart());
            }
            for (int r = 0; r < s.rolesSeen.length; r++) {
                s.rolesSeen[r] |= e.agents()[r] > 0;
            }
            reward += e.meanReward() / d.episodes();
            slo += e.sloTickShare() / d.episodes();
        }
        s.demoReward = reward;
        s.demoSloShare = slo;
        s.wallSeconds += (System.nanoTime() - t0) / 1e9; // part of what training costs
        listener.message(String.format(java.util.Locale.ROOT, "demonstrations: %d chunks, mean reward %.3f, ticks over SLO %.4f, %.1f s",
                s.demos.size(), reward, slo, (System.nanoTime() - t0) / 1e9));
    }
}
