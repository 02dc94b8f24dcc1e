package dev.cohort.control;

import dev.cohort.platform.Setting;
import dev.cohort.platform.SettingResult;
import java.util.List;

/**
 * What one control tick saw, decided and did.
 *
 * @param tick          tick number (1 for the first decision)
 * @param timeNanos     timestamp of the sample the tick decided on (monotonic)
 * @param seconds       length of the interval the tick looked at
 * @param policy        the policy that decided (the fallback's name when it stood in)
 * @param fallback      true when the configured policy failed and the fallback decided
 * @param reward        the reward of the interval (the consequence of the previous tick's plan)
 * @param packageWatts  package power over the interval (NaN without RAPL)
 * @param latencyUsec   per managed cgroup, latency at its SLO quantile over the interval (NaN for best-effort)
 * @param sloViolated   true when some service's latency exceeded its SLO in the interval
 * @param minSlack      lowest slack of all services
 * @param plan          settings the governor asked for
 * @param results       what the platform did with each (empty in a dry run)
 * @param dryRun        true when the plan was journalled, not applied
 * @param notes         governor overrides and refusals, fallbacks, failed writes
 * @param modelFallbacks roles whose learned model fell back to its baseline this tick (also in the notes)
 * @param powerSource   where {@code packageWatts} comes from (measured, estimated by the cost model, none)
 * @param predictedWatts the cost estimator's prediction for this interval, W, made a tick before (NaN without one),
 *                      kept even where RAPL measures, so the two can be compared
 * @param observed      the tick's observations for training an estimator from the journal (null unless the journal asks)
 */
public record TickRecord(long tick, long timeNanos, double seconds, String policy, boolean fallback,
                         RewardTerms reward, double packageWatts, double[] latencyUsec, boolean sloViolated,
                         double minSlack, List<Setting> plan, List<SettingResult> results, boolean dryRun,
                         List<String> notes, List<dev.cohort.policy.ModelFallback> modelFallbacks, PowerSource powerSource,
                         double predictedWatts, ObservedTick observed) {

    /** A record of measured power (or none, when {@code packageWatts} is NaN) and no prediction. */
    public TickRecord(long tick, long timeNanos, double seconds, String policy, boolean fallback, RewardTerms reward,
                      double packageWatts, double[] latencyUsec, boolean sloViolated, double minSlack, List<Setting> plan,
                      List<SettingResult> results, boolean dryRun, List<String> notes,
                      List<dev.cohort.policy.ModelFallback> modelFallbacks) {
        this(tick, timeNanos, seconds, policy, fallback, reward, packageWatts, latencyUsec, sloViolated, minSlack, plan, results,
                dryRun, notes, modelFallbacks, Double.isNaN(packageWatts) ? PowerSource.NONE : PowerSource.MEASURED, Double.NaN,
                null);
    }
}
