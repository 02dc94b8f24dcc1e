package dev.cohort.platform.linux.faketree;

import dev.cohort.platform.CpuSet;
import dev.cohort.platform.linux.faketree.TreeSpec.Rdt;
import java.io.IOException;

/**
 * resctrl at its root group: {@code info/} for L3 and MB (Intel: 10% steps from 10; AMD: 1/8 GB/s units up to
 * 2048), padded {@code schemata}, tasks, CPUs and the MBM counters of each L3 domain.
 */
final class ResctrlWriter {
    private final TreeFiles f;
    private final TreeSpec spec;

    ResctrlWriter(TreeFiles f, TreeSpec spec) {
        this.f = f;
        this.spec = spec;
    }

    void write() throws IOException {
        String r = "sys/fs/resctrl/";
        boolean amd = spec.rdt() == Rdt.AMD;
        f.w(r + "info/last_cmd_status", "ok\n");
        f.w(r + "info/L3/num_closids", amd ? "16\n" : "16\n");
        f.w(r + "info/L3/cbm_mask", amd ? "ffff\n" : "7ff\n");
        f.w(r + "info/L3/min_cbm_bits", amd ? "0\n" : "1\n");
        f.w(r + "info/L3/shareable_bits", "0\n");
        f.w(r + "info/MB/num_closids", amd ? "16\n" : "8\n");
        f.w(r + "info/MB/min_bandwidth", amd ? "0\n" : "10\n");
        f.w(r + "info/MB/bandwidth_gran", amd ? "1\n" : "10\n");
        f.w(r + "info/MB/delay_linear", "1\n");
        if (!amd) {
            f.w(r + "info/MB/thread_throttle_mode", "max\n");
        }
        f.w(r + "info/L3_MON/num_rmids", "224\n");
        f.w(r + "info/L3_MON/mon_features", "llc_occupancy\nmbm_total_bytes\nmbm_local_bytes\n");
        StringBuilder l3 = new StringBuilder("L3:");
        StringBuilder mb = new StringBuilder("MB:");
        for (int s = 0; s < spec.sockets(); s++) {
            l3.append(s == 0 ? "" : ";").append(s).append('=').append(amd ? "ffff" : "7ff");
            mb.append(s == 0 ? "" : ";").append(s).append('=').append(amd ? "2048" : "100");
        }
        f.w(r + "schemata", l3 + "\n" + mb + "\n");
        f.w(r + "tasks", "1\n2\n");
        f.w(r + "cpus_list", CpuSet.range(0, spec.cpus()) + "\n");
        for (int s = 0; s < spec.sockets(); s++) {
            // the kernel's name for an L3 domain's counters, spelt here independently of the reader (Resctrl.monDir)
            String m = r + "mon_data/" + String.format("mon_L3_%02d", s) + "/";
            f.w(m + "llc_occupancy", "16234000\n");
            f.w(m + "mbm_total_bytes", (7340032000L + s) + "\n");
            f.w(m + "mbm_local_bytes", (5340032000L + s) + "\n");
        }
    }
}
