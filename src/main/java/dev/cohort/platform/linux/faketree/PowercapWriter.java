package dev.cohort.platform.linux.faketree;

import java.io.IOException;

/**
 * powercap RAPL zones, named by {@code name}: per package a package zone with its core subzone, and on Intel also
 * dram (before core, as the kernel numbers them), the package's power limits and a psys zone; AMD has no limits,
 * no dram and a 32-bit energy range.
 */
final class PowercapWriter {
    private final TreeFiles f;
    private final TreeSpec spec;

    PowercapWriter(TreeFiles f, TreeSpec spec) {
        this.f = f;
        this.spec = spec;
    }

    void write() throws IOException {
        String base = "sys/class/powercap/";
        f.w(base + "intel-rapl/enabled", "1\n");
        String range = spec.vendorAmd() ? "4294967295\n" : "262143328850\n";
        for (int s = 0; s < spec.sockets(); s++) {
            String z = base + "intel-rapl:" + s + "/";
            f.w(z + "name", "package-" + s + "\n");
            f.w(z + "energy_uj", (83715266201L + s * 1000L) % Long.parseLong(range.strip()) + "\n");
            f.w(z + "max_energy_range_uj", range);
            f.w(z + "enabled", "1\n");
            if (!spec.vendorAmd()) {
                limitsAndDram(base, s);
            }
            String core = base + "intel-rapl:" + s + ":" + (spec.vendorAmd() ? 0 : 1) + "/";
            f.w(core + "name", "core\n");
            f.w(core + "energy_uj", "3002145973\n");
            f.w(core + "max_energy_range_uj", range);
        }
        if (!spec.vendorAmd()) {
            String psys = base + "intel-rapl:" + spec.sockets() + "/";
            f.w(psys + "name", "psys\n");
            f.w(psys + "energy_uj", "123456789\n");
            f.w(psys + "max_energy_range_uj", "262143328850\n");
        }
    }

    /** Intel: the package's long- and short-term limits and its dram subzone. */
    private void limitsAndDram(String base, int s) throws IOException {
        String z = base + "intel-rapl:" + s + "/";
        f.w(z + "constraint_0_name", "long_term\n");
        f.w(z + "constraint_0_power_limit_uw", "65000000\n");
        f.w(z + "constraint_0_time_window_us", "27983872\n");
        f.w(z + "constraint_0_max_power_uw", "65000000\n");
        f.w(z + "constraint_1_name", "short_term\n");
        f.w(z + "constraint_1_power_limit_uw", "90000000\n");
        f.w(z + "constraint_1_time_window_us", "2440\n");
        String dram = base + "intel-rapl:" + s + ":0/";
        f.w(dram + "name", "dram\n");
        f.w(dram + "energy_uj", "1230045678\n");
        f.w(dram + "max_energy_range_uj", "65712999613\n");
    }
}
