package dev.cohort.platform.linux.faketree;

import dev.cohort.platform.linux.faketree.TreeSpec.Cgroups;
import dev.cohort.platform.linux.faketree.TreeSpec.Rdt;
import java.io.IOException;

/**
 * procfs: {@code /proc/stat} (with the two-space {@code cpu  } line), {@code cpuinfo}, the kernel release and perf
 * paranoia, system PSI, and this process's {@code mountinfo} (with optional fields) and {@code cgroup}.
 */
final class ProcWriter {
    private final TreeFiles f;
    private final TreeSpec spec;

    ProcWriter(TreeFiles f, TreeSpec spec) {
        this.f = f;
        this.spec = spec;
    }

    void write() throws IOException {
        stat();
        f.w("proc/sys/kernel/osrelease", "6.1.0-fake-amd64\n");
        f.w("proc/sys/kernel/perf_event_paranoid", "3\n");
        cpuinfo();
        f.w("proc/pressure/cpu", "some avg10=0.00 avg60=0.12 avg300=0.05 total=1234567\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
        f.w("proc/pressure/memory", "some avg10=1.25 avg60=0.40 avg300=0.10 total=5123456\nfull avg10=0.50 avg60=0.10 avg300=0.02 total=2000000\n");
        f.w("proc/pressure/io", "some avg10=0.10 avg60=0.05 avg300=0.01 total=712345\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=301234\n");
        f.w("proc/self/mountinfo", mountinfo());
        f.w("proc/self/cgroup", spec.cgroups() == Cgroups.V2 ? "0::/system.slice/cohort.service\n"
                : "4:memory:/system.slice/cohort.service\n3:cpuset:/\n2:cpu,cpuacct:/system.slice/cohort.service\n"
                + (spec.cgroups() == Cgroups.HYBRID ? "0::/system.slice/cohort.service\n" : ""));
    }

    private void stat() throws IOException {
        StringBuilder stat = new StringBuilder();
        long n = spec.cpus();
        stat.append("cpu  ").append(1132 * n).append(' ').append(34 * n).append(' ').append(1441 * n).append(' ')
                .append(11311718 * n).append(' ').append(3675 * n).append(" 127 438 0 0 0\n");
        for (int c = 0; c < spec.cpus(); c++) {
            stat.append("cpu").append(c).append(' ').append(1132 + c).append(" 34 ").append(1441 + c).append(' ')
                    .append(11311718 + 7L * c).append(" 3675 127 438 0 0 0\n");
        }
        stat.append("intr 114930548 113199788 3 0 5 0 0 0\nctxt 1990473\nbtime 1062191376\nprocesses 2915\n")
                .append("procs_running 1\nprocs_blocked 0\nsoftirq 183433 0 21755 12 39 1137 231 21459 2263\n");
        f.w("proc/stat", stat.toString());
    }

    private void cpuinfo() throws IOException {
        String vendor = spec.vendorAmd() ? "AuthenticAMD" : "GenuineIntel";
        String flags = "fpu vme tsc msr pae" + (spec.rdt() != Rdt.NONE ? " rdt_a cat_l3 cqm_mbm_total mba" : "");
        StringBuilder info = new StringBuilder();
        for (int c = 0; c < spec.cpus(); c++) {
            info.append("processor\t: ").append(c).append("\nvendor_id\t: ").append(vendor)
                    .append("\nphysical id\t: ").append(spec.socketOf(c)).append("\nflags\t\t: ").append(flags).append("\n\n");
        }
        f.w("proc/cpuinfo", info.toString());
    }

    private String mountinfo() {
        StringBuilder mi = new StringBuilder("22 1 259:2 / / rw,relatime shared:1 - ext4 /dev/root rw\n")
                .append("23 22 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw\n");
        switch (spec.cgroups()) {
            case V2 -> mi.append("30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n");
            case V1, HYBRID -> {
                mi.append("30 23 0:26 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755\n");
                mi.append("32 30 0:28 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:10 master:1 - cgroup cgroup rw,cpu,cpuacct\n");
                mi.append("33 30 0:29 / /sys/fs/cgroup/cpuset rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,cpuset\n");
                mi.append("34 30 0:30 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:12 - cgroup cgroup rw,memory\n");
                if (spec.cgroups() == Cgroups.HYBRID) {
                    mi.append("31 30 0:27 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:13 - cgroup2 cgroup2 rw,nsdelegate\n");
                }
            }
        }
        if (spec.rdt() != Rdt.NONE) {
            mi.append("40 23 0:40 / /sys/fs/resctrl rw,relatime shared:20 - resctrl resctrl rw\n");
        }
        return mi.toString();
    }
}
