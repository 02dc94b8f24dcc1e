package dev.cohort.platform.linux;

/** Test access to what a platform probed (package-private state). */
record HostProbeAccess(LinuxPlatform platform) {
    CgroupCpu cgroup(int i) {
        return platform.probe().cgroups.get(i);
    }
}
