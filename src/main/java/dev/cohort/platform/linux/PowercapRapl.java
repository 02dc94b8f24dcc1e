package dev.cohort.platform.linux;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RAPL energy through powercap: {@code /sys/class/powercap/intel-rapl:P[:S]/}.
 *
 * <pre>
 * intel-rapl:0/name                         "package-0\n"  (multi-die: "package-0-die-1")
 * intel-rapl:0/energy_uj                    "83715266201\n" µJ, mode 0400 (root-only since 5.10), wraps
 * intel-rapl:0/max_energy_range_uj          "262143328850\n" µJ, where energy_uj wraps to 0
 * intel-rapl:0/constraint_0_name            "long_term\n"
 * intel-rapl:0/constraint_0_power_limit_uw  "65000000\n"   µW (absent on AMD and monitoring-only zones)
 * intel-rapl:0/constraint_0_time_window_us  "27983872\n"
 * intel-rapl:0:0/name                       "core\n"       subzone; index order is NOT fixed (dram may be :0:0)
 * intel-rapl:1/name                         "psys\n"       a top-level zone that is not socket 1
 * </pre>
 *
 * Zones are identified by {@code name}, never by index. Domains: package, core, uncore, dram, psys.
 */
public final class PowercapRapl {
    private static final Pattern ZONE_DIR = Pattern.compile("(intel-rapl(?:-mmio)?):(\\d+)(?::(\\d+))?");
    private static final Pattern PACKAGE = Pattern.compile("package-(\\d+)(?:-die-(\\d+))?");

    private final Path dir;
    private final KernelFiles files;

    public PowercapRapl(Path root) {
        this(root, KernelFiles.real());
    }

    PowercapRapl(Path root, KernelFiles files) {
        this.dir = root.resolve("sys/class/powercap");
        this.files = files;
    }

    /** RAPL domains, as the kernel names them. */
    public enum Domain { PACKAGE, CORE, UNCORE, DRAM, PSYS, OTHER }

    /**
     * One zone or subzone.
     *
     * @param id               directory name, e.g. {@code intel-rapl:0:1}
     * @param name             the zone's {@code name} file
     * @param pkg              package (socket) index; for subzones the parent's; -1 for psys and others
     * @param die              die index of a multi-die package zone, else 0
     * @param parent           the parent zone's id for subzones, else empty
     * @param maxEnergyRangeUj where {@code energy_uj} wraps
     * @param constraints      power limits (empty on AMD and monitoring-only zones)
     */
    public record Zone(String id, Path dir, String name, Domain domain, int pkg, int die, String parent,
                       long maxEnergyRangeUj, List<Constraint> constraints) {
        public Path energyFile() {
            return dir.resolve("energy_uj");
        }
    }

    /** A power limit: PL1 is {@code long_term}, PL2 {@code short_term}, PL4 {@code peak_power}. */
    public record Constraint(int index, String name, OptionalLong powerLimitUw, OptionalLong timeWindowUs,
                             OptionalLong maxPowerUw) {
    }

    /** The powercap directory. */
    public Path dir() {
        return dir;
    }

    /** True when powercap has at least one RAPL zone. */
    public boolean present() {
        return Files.isDirectory(dir) && !zoneDirs().isEmpty();
    }

    /** Every zone and subzone, parents before children. */
    public List<Zone> zones() throws IOException {
        List<Zone> out = new ArrayList<>();
        for (Path z : zoneDirs()) {
            String id = z.getFileName().toString();
            Matcher m = ZONE_DIR.matcher(id);
            if (!m.matches()) {
                continue;
            }
            String name = files.readTrim(z.resolve("name"));
            String parent = m.group(3) == null ? "" : m.group(1) + ":" + m.group(2);
            int[] pd = {-1, 0};
            if (m.group(3) == null) {
                pd = packageDie(name);
            } else {
                String parentName = files.readTrim(dir.resolve(parent).resolve("name"));
                pd = packageDie(parentName);
            }
            long range = files.readLong(z.resolve("max_energy_range_uj"));
            out.add(new Zone(id, z, name, domainOf(name), pd[0], pd[1], parent, range, constraints(z)));
        }
        return out;
    }

    /** The zone's raw energy counter in µJ (wraps at {@link Zone#maxEnergyRangeUj}). */
    public long energyUj(Zone z) throws IOException {
        return files.readLong(z.energyFile());
    }

    private List<Constraint> constraints(Path z) {
        List<Constraint> out = new ArrayList<>();
        for (int i = 0; Files.exists(z.resolve("constraint_" + i + "_name")); i++) {
            String n;
            try {
                n = files.readTrim(z.resolve("constraint_" + i + "_name"));
            } catch (IOException e) {
                n = "?";
            }
            out.add(new Constraint(i, n, files.readLongOrEmpty(z.resolve("constraint_" + i + "_power_limit_uw")),
                    files.readLongOrEmpty(z.resolve("constraint_" + i + "_time_window_us")),
                    files.readLongOrEmpty(z.resolve("constraint_" + i + "_max_power_uw"))));
        }
        return out;
    }

    private List<Path> zoneDirs() {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "intel-rapl*:*")) {
            ds.forEach(out::add);
        } catch (IOException e) {
            return out;
        }
        out.sort((a, b) -> compareIds(a.getFileName().toString(), b.getFileName().toString()));
        return out;
    }

    private static int compareIds(String a, String b) {
        String[] x = a.split(":");
        String[] y = b.split(":");
        int c = x[0].compareTo(y[0]);
        for (int i = 1; c == 0 && i < Math.max(x.length, y.length); i++) {
            int xi = i < x.length ? Integer.parseInt(x[i]) : -1;
            int yi = i < y.length ? Integer.parseInt(y[i]) : -1;
            c = Integer.compare(xi, yi);
        }
        return c;
    }

    /** The domain a zone name stands for ({@code package-0-die-1} is PACKAGE, {@code psys-1} is PSYS). Package-private for testing. */
    static Domain domainOf(String name) {
        if (name.startsWith("package")) {
            return Domain.PACKAGE;
        }
        if (name.startsWith("psys")) {
            return Domain.PSYS;
        }
        return switch (name) {
            case "core" -> Domain.CORE;
            case "uncore" -> Domain.UNCORE;
            case "dram" -> Domain.DRAM;
            default -> Domain.OTHER;
        };
    }

    /** {package, die} of a package zone name; {-1, 0} for other names. Package-private for testing. */
    static int[] packageDie(String name) {
        Matcher m = PACKAGE.matcher(name);
        if (!m.matches()) {
            return new int[]{-1, 0};
        }
        return new int[]{Integer.parseInt(m.group(1)), m.group(2) == null ? 0 : Integer.parseInt(m.group(2))};
    }
}
