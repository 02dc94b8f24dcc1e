package dev.cohort.learn.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One line of the training log ({@code train.jsonl}): what an iteration collected and learned, and, when it
 * evaluated, how the greedy policy did on the held-out seeds.
 *
 * @param iteration        iteration number (0-based)
 * @param envSteps         environment ticks collected so far (after this iteration)
 * @param episodes         episodes so far
 * @param updates          learner updates so far
 * @param wallSeconds      wall-clock time since the run started (resumes included)
 * @param episodeReward    mean per-tick reward of this iteration's episodes (exploring)
 * @param episodeSloShare  share of this iteration's ticks with a service over its SLO
 * @param exploration      share of this iteration's actions that were not the greedy one
 * @param epsilon          ε: the share of uniformly random actions
 * @param loss             mean TD (or critic) loss of this iteration's updates (NaN without updates)
 * @param actorLoss        mean actor loss (MADDPG; NaN otherwise)
 * @param qMean            mean Q of the taken actions
 * @param gradNorm         mean gradient norm before clipping
 * @param envStepsPerSec   collection speed: ticks of this iteration over the collector's busy time
 * @param updatesPerSec    learner speed: updates over the learner's busy time
 * @param evaluation       per evaluation scenario: mean reward, energy (J), SLO tick share, best-effort work share over the
 *                         seeds; empty when not evaluated
 * @param evalScore        the selection score of the evaluation (NaN when not evaluated): with the bar, the mean relative
 *                         margin of the reward over the best baseline; without, the mean reward
 * @param bar              when evaluated with baselines: whether every scenario met the bar (null otherwise)
 * @param evalScoreLatest  with a weight average: the same score of the latest weights, judged beside the averaged ones
 *                         (NaN otherwise)
 */
public record IterationLog(long iteration, long envSteps, long episodes, long updates, double wallSeconds, double episodeReward,
                           double episodeSloShare, double exploration, double epsilon, double loss, double actorLoss,
                           double qMean, double gradNorm, double envStepsPerSec, double updatesPerSec,
                           List<Evaluator.ScenarioResult> evaluation, double evalScore, Boolean bar, double evalScoreLatest) {

    /** The log line as a JSON object (NaN becomes null). */
    Map<String, Object> toJson() {
        var m = new LinkedHashMap<String, Object>();
        m.put("iteration", iteration);
        m.put("env_steps", envSteps);
        m.put("episodes", episodes);
        m.put("updates", updates);
        m.put("wall_seconds", num(wallSeconds));
        m.put("episode_reward", num(episodeReward));
        m.put("episode_slo_share", num(episodeSloShare));
        m.put("exploration", num(exploration));
        m.put("epsilon", num(epsilon));
        m.put("loss", num(loss));
        m.put("actor_loss", num(actorLoss));
        m.put("q_mean", num(qMean));
        m.put("grad_norm", num(gradNorm));
        m.put("env_steps_per_sec", num(envStepsPerSec));
        m.put("updates_per_sec", num(updatesPerSec));
        if (!evaluation.isEmpty()) {
            var e = new LinkedHashMap<String, Object>();
            for (var r : evaluation) {
                var x = new LinkedHashMap<String, Object>();
                x.put("reward", num(r.meanReward()));
                x.put("energy_j", num(r.energyJoules()));
                x.put("slo_tick_share", num(r.sloTickShare()));
                x.put("be_work_share", num(r.beWorkShare()));
                e.put(r.scenario(), x);
            }
            m.put("eval", e);
            m.put("eval_score", num(evalScore));
            if (Double.isFinite(evalScoreLatest)) {
                m.put("eval_score_latest", evalScoreLatest);
            }
            if (bar != null) {
                m.put("bar", bar);
            }
        }
        return m;
    }

    /** Reads a line written by {@link #toJson}. */
    @SuppressWarnings("unchecked")
    static IterationLog fromJson(Map<String, Object> m) {
        List<Evaluator.ScenarioResult> ev = new java.util.ArrayList<>();
        if (m.get("eval") instanceof Map<?, ?> e) {
            for (var en : ((Map<String, Object>) e).entrySet()) {
                Map<String, Object> v = (Map<String, Object>) en.getValue();
                // the log keeps means over the seeds: read back as one run of the means
                ev.add(new Evaluator.ScenarioResult(en.getKey(), List.of(new Evaluator.RunFigures(d(v.get("reward")),
                        d(v.get("energy_j")), d(v.get("slo_tick_share")), d(v.get("be_work_share"))))));
            }
        }
        return new IterationLog(l(m.get("iteration")), l(m.get("env_steps")), l(m.get("episodes")), l(m.get("updates")),
                d(m.get("wall_seconds")), d(m.get("episode_reward")), d(m.get("episode_slo_share")), d(m.get("exploration")),
                d(m.get("epsilon")), d(m.get("loss")), d(m.get("actor_loss")), d(m.get("q_mean")), d(m.get("grad_norm")),
                d(m.get("env_steps_per_sec")), d(m.get("updates_per_sec")), ev, d(m.get("eval_score")),
                m.get("bar") instanceof Boolean b ? b : null, d(m.get("eval_score_latest")));
    }

    private static Object num(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static double d(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static long l(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }

    /**
     * Work over busy time across {@code lines} (each line's work is its difference from the line before; {@code before}
     * is the line preceding the first, null from the start): collected ticks per second of the collector's busy time and
     * updates per second of the learner's, NaN where there was none.
     */
    static double[] busyRates(List<IterationLog> lines, IterationLog before) {
        double ticks = 0;
        double collectBusy = 0;
        double updates = 0;
        double learnBusy = 0;
        long prevSteps = before == null ? 0 : before.envSteps();
        long prevUpdates = before == null ? 0 : before.updates();
        for (IterationLog l : lines) {
            double dt = l.envSteps() - prevSteps;
            double du = l.updates() - prevUpdates;
            if (l.envStepsPerSec() > 0) {
                ticks += dt;
                collectBusy += dt / l.envStepsPerSec();
            }
            if (l.updatesPerSec() > 0) {
                updates += du;
                learnBusy += du / l.updatesPerSec();
            }
            prevSteps = l.envSteps();
            prevUpdates = l.updates();
        }
        return new double[]{collectBusy > 0 ? ticks / collectBusy : Double.NaN, learnBusy > 0 ? updates / learnBusy : Double.NaN};
    }
}
