package dev.cohort.policy.baseline;

import dev.cohort.policy.ObservationSpec;

/** Feature positions the baselines read, looked up once. */
final class Features {
    static final int CORE_UTIL = ObservationSpec.CORE.index("util");
    static final int CORE_STALL = ObservationSpec.CORE.index("stall");
    static final int CORE_FMIN_RATIO = ObservationSpec.CORE.index("freq_min_ratio");
    static final int CORE_LC_SHARE = ObservationSpec.CORE.index("lc_share");
    static final int CORE_LC_SLACK = ObservationSpec.CORE.index("lc_slack");
    static final int MEM_LC_SLACK = ObservationSpec.MEMORY.index("lc_slack");
    static final int QUOTA_LC_SLACK = ObservationSpec.QUOTA.index("lc_slack");

    private Features() {
    }
}
