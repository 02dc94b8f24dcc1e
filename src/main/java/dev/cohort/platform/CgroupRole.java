package dev.cohort.platform;

/** What a managed cgroup holds, which decides how the agents treat it. */
public enum CgroupRole {
    /** A service with a latency target: its cores run fast when it is in trouble; never throttled by cohort. */
    LATENCY_CRITICAL,
    /** Batch work: its CPU quota and memory bandwidth are what cohort trades away to protect the services. */
    BEST_EFFORT
}
