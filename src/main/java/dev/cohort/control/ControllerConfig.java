package dev.cohort.control;

/**
 * How the control tick encodes, decides and governs.
 *
 * @param coreLevels        frequency levels per domain
 * @param quotaLevels       CPU quota levels per best-effort cgroup
 * @param quotaPeriodUsec   CFS period written with quotas
 * @param tdpWatts          package power that normalises energy in the reward and observations (sum over packages)
 * @param memPeakBytesPerSec sustained peak bandwidth of one memory domain, for normalising bandwidth
 * @param lambda            initial energy weight multiplier λ (the balancer moves it)
 * @param reward            reward weights
 * @param governor          safety limits
 */
public record ControllerConfig(int coreLevels, int quotaLevels, long quotaPeriodUsec, double tdpWatts,
                               double memPeakBytesPerSec, double lambda, RewardWeights reward, GovernorConfig governor) {
    /** Defaults for a host whose TDP and memory peak are unknown (set them for real use). */
    public static final ControllerConfig DEFAULT = new ControllerConfig(11, 10, 100_000, 150.0, 40e9, 1.0,
            RewardWeights.DEFAULT, GovernorConfig.DEFAULT);

    public ControllerConfig {
        if (coreLevels < 2 || quotaLevels < 2) {
            throw new IllegalArgumentException("action levels must be at least 2");
        }
        if (quotaPeriodUsec < 1_000 || quotaPeriodUsec > 1_000_000) {
            throw new IllegalArgumentException("quota period must be 1000..1000000 µs (the kernel's cpu.max range), got "
                    + quotaPeriodUsec);
        }
        if (!(tdpWatts > 0) || !(memPeakBytesPerSec > 0)) {
            throw new IllegalArgumentException("tdpWatts and memPeakBytesPerSec must be positive");
        }
    }

    public ControllerConfig withGovernor(GovernorConfig g) {
        return new ControllerConfig(coreLevels, quotaLevels, quotaPeriodUsec, tdpWatts, memPeakBytesPerSec, lambda, reward, g);
    }

    public ControllerConfig withReward(RewardWeights w) {
        return new ControllerConfig(coreLevels, quotaLevels, quotaPeriodUsec, tdpWatts, memPeakBytesPerSec, lambda, w, governor);
    }

    public ControllerConfig withHost(double tdp, double memPeak) {
        return new ControllerConfig(coreLevels, quotaLevels, quotaPeriodUsec, tdp, memPeak, lambda, reward, governor);
    }
}
