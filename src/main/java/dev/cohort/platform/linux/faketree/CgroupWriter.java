package dev.cohort.platform.linux.faketree;

import dev.cohort.platform.CpuSet;
import dev.cohort.platform.linux.faketree.TreeSpec.Cgroups;
import java.io.IOException;

/**
 * cgroupfs: cgroup v2 (root and each cgroup with its cpu, pressure and cpuset files), or v1 with the
 * {@code cpu,cpuacct} and {@code cpuset} hierarchies, plus the {@code unified} v2 mount in the hybrid layout.
 */
final class CgroupWriter {
    private final TreeFiles f;
    private final TreeSpec spec;
    private final String online;

    CgroupWriter(TreeFiles f, TreeSpec spec) {
        this.f = f;
        this.spec = spec;
        this.online = CpuSet.range(0, spec.cpus()).toString();
    }

    void write() throws IOException {
        if (spec.cgroups() == Cgroups.V2) {
            v2();
        } else {
            v1();
        }
    }

    private void v2() throws IOException {
        String sys = "sys/fs/cgroup/";
        f.w(sys + "cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc\n");
        f.w(sys + "cgroup.subtree_control", "cpuset cpu io memory pids\n");
        f.w(sys + "cpu.stat", "usage_usec 123456789\nuser_usec 100000000\nsystem_usec 23456789\n");
        f.w(sys + "cpu.pressure", "some avg10=0.00 avg60=0.12 avg300=0.05 total=1234567\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
        for (String g : spec.cgroupPaths()) {
            String d = sys + g + "/";
            f.w(d + "cgroup.procs", "4242\n4250\n");
            f.w(d + "cgroup.controllers", "cpuset cpu io memory pids\n");
            f.w(d + "cgroup.subtree_control", "\n");
            f.w(d + "cpu.max", "max 100000\n");
            f.w(d + "cpu.max.burst", "0\n");
            f.w(d + "cpu.weight", "100\n");
            f.w(d + "cpu.weight.nice", "0\n");
            f.w(d + "cpu.stat", "usage_usec 9876543\nuser_usec 8000000\nsystem_usec 1876543\ncore_sched.force_idle_usec 0\n"
                    + "nr_periods 1200\nnr_throttled 37\nthrottled_usec 845120\nnr_bursts 0\nburst_usec 0\n");
            f.w(d + "cpu.pressure", "some avg10=0.00 avg60=0.12 avg300=0.05 total=1234567\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
            f.w(d + "memory.pressure", "some avg10=1.25 avg60=0.40 avg300=0.10 total=5123456\nfull avg10=0.50 avg60=0.10 avg300=0.02 total=2000000\n");
            f.w(d + "io.pressure", "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
            f.w(d + "cpuset.cpus", "\n");
            f.w(d + "cpuset.cpus.effective", online + "\n");
        }
    }

    private void v1() throws IOException {
        String sys = "sys/fs/cgroup/";
        String cpu = sys + "cpu,cpuacct/";
        f.w(cpu + "cpu.cfs_quota_us", "-1\n");
        f.w(cpu + "cpu.cfs_period_us", "100000\n");
        f.w(cpu + "cpu.shares", "1024\n");
        f.w(cpu + "cpu.stat", "nr_periods 0\nnr_throttled 0\nthrottled_time 0\n");
        f.w(cpu + "cpuacct.usage", "123456789000\n");
        f.w(sys + "cpuset/cpuset.cpus", online + "\n");
        f.w(sys + "cpuset/cpuset.effective_cpus", online + "\n");
        if (spec.cgroups() == Cgroups.HYBRID) {
            f.w(sys + "unified/cgroup.controllers", "\n");
            f.w(sys + "unified/cgroup.subtree_control", "\n");
            f.w(sys + "unified/cpu.pressure", "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
        }
        for (String g : spec.cgroupPaths()) {
            String d = cpu + g + "/";
            f.w(d + "cgroup.procs", "4242\n4250\n");
            f.w(d + "tasks", "4242\n4243\n4250\n");
            f.w(d + "cpu.cfs_quota_us", "-1\n");
            f.w(d + "cpu.cfs_period_us", "100000\n");
            f.w(d + "cpu.shares", "1024\n");
            f.w(d + "cpu.stat", "nr_periods 1200\nnr_throttled 37\nthrottled_time 845120000\nnr_bursts 0\nburst_time 0\n");
            f.w(d + "cpuacct.usage", "9876543000\n");
            f.w(d + "cpuacct.usage_user", "8000000000\n");
            f.w(d + "cpuacct.usage_sys", "1876543000\n");
            f.w(d + "cpuacct.stat", "user 800\nsystem 187\n");
            f.w(d + "cpuacct.usage_percpu", "4938271500 4938271500 \n");
            f.w(sys + "cpuset/" + g + "/cpuset.cpus", online + "\n");
            f.w(sys + "cpuset/" + g + "/cpuset.effective_cpus", online + "\n");
        }
    }
}
