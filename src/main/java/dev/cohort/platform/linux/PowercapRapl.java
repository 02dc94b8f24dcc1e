package dev.cohort.platform.linux;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * Zones are identified by {@code name}, never by index. Domains: package, core, uncore, dram, psys. Some
 * Intel parts expose the same package twice, through MSRs ({@code intel-rapl:0}) and through MMIO
 * ({@code intel-rapl-mmio:0}, also named {@code package-0}): {@link #countedOnce} picks one per package and die.
 * A zone whose directory name, {@code name} or {@code max_energy_range_uj} makes no sense is skipped with a
 * reason naming the file; the others still count.
 */
public final class PowercapRapl {
    private static final Pattern ZONE_DIR = Pattern.compile("(intel-rapl(?:-mmio)?):(\\d{1,4})(?::(\\d{1,4}))?");
    private static final Pattern PACKAGE = Pattern.compile("package-(\\d{1,4})(?:-die-(\\d{1,3}))?");
    private static final Pattern PSYS = Pattern.compile("psys(?:-\\d{1,4})?");

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

    /** The zones that could be read, and the ones skipped, each with its reason naming the file. */
    public record Scan(List<Zone> zones, List<String> skipped) {
    }

    /** A power limit: PL1 is {@code long_term}, PL2 {@code short_term}, PL4 {@code peak_power}. */
    public record Constraint(int index, String name, OptionalLong powerLimitUw, OptionalLong timeWindowUs,
                             OptionalLong maxPowerUw) {
    }

    /** The long-term limit (PL1, {@code long_term}) of a zone, when it has one. */
    public static java.util.Optional<Constraint> longTerm(Zone z) {
        return z.constraints().stream().filter(c -> c.name().equals("long_term")).findFirst();
    }

    /** The file holding constraint {@code c}'s power limit, µW. */
    public static Path powerLimitFile(Zone z, Constraint c) {
        return z.dir().resolve("constraint_" + c.index() + "_power_limit_uw");
    }

    /** The file holding constraint {@code c}'s time window, µs. */
    public static Path timeWindowFile(Zone z, Constraint c) {
        return z.dir().resolve("constraint_" + c.index() + "_time_window_us");
    }

    /** The powercap directory. */
    public Path dir() {
        return dir;
    }

    /** True when powercap has at least one RAPL zone. */
    public boolean present() {
        return Files.isDirectory(dir) && !zoneDirs(new ArrayList<>()).isEmpty();
    }

    /** Every usable zone and subzone, parents before children (declares IOException for its callers' sake). */
    public List<Zone> zones() throws IOException {
        return scan().zones();
    }

    /** Every zone and subzone, parents before children, and those skipped with why. */
    public Scan scan() {
        List<Zone> out = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Map<String, Zone> byId = new HashMap<>();
        for (Path z : zoneDirs(skipped)) {
            try {
                Zone zone = zone(z, byId);
                out.add(zone);
                byId.put(zone.id(), zone);
            } catch (IOException e) {
                skipped.add(z.getFileName() + " skipped: " + e.getMessage());
            }
        }
        return new Scan(List.copyOf(out), List.copyOf(skipped));
    }

    private Zone zone(Path z, Map<String, Zone> parents) throws IOException {
        String id = z.getFileName().toString();
        Matcher m = ZONE_DIR.matcher(id);
        m.matches(); // zoneDirs kept only matching names
        String name = files.readTrim(z.resolve("name"));
        Domain domain = domainOf(name);
        if (domain == Domain.OTHER) {
            throw KernelText.bad(z.resolve("name"), KernelText.shown(name) + " is not a RAPL domain name (package-N[-die-M],"
                    + " core, uncore, dram, psys)");
        }
        String parent = m.group(3) == null ? "" : m.group(1) + ":" + m.group(2);
        boolean top = domain == Domain.PACKAGE || domain == Domain.PSYS;
        if (top != parent.isEmpty()) {
            // the kernel makes package and psys zones top-level and core, uncore, dram their subzones
            throw KernelText.bad(z.resolve("name"), KernelText.shown(name) + " cannot name a " + (top ? "subzone" : "top-level zone"));
        }
        int[] pd = packageDie(name);
        if (!parent.isEmpty()) {
            Zone p = parents.get(parent);
            if (p == null) {
                throw new IOException("its parent zone " + parent + " is missing or skipped");
            }
            if (p.pkg() < 0) {
                throw new IOException("its parent " + p.dir().resolve("name") + " names no package (" + KernelText.shown(p.name()) + ")");
            }
            pd = new int[]{p.pkg(), p.die()};
        }
        Path rangeFile = z.resolve("max_energy_range_uj");
        long range;
        try {
            range = KernelText.number(files.read(rangeFile), 1, Long.MAX_VALUE);
        } catch (IllegalArgumentException e) {
            throw KernelText.bad(rangeFile, e.getMessage() + " (expected the wrap range in uJ)");
        }
        return new Zone(id, z, name, domain, pd[0], pd[1], parent, range, constraints(z));
    }

    /**
     * The package and DRAM zones to add up for energy: per package, the MSR zones ({@code intel-rapl:N}) when
     * there are any, else the MMIO ones, and one zone per die (the dies of a multi-die package are summed).
     * The zones left out are added to {@code skipped} with why.
     */
    static List<Zone> countedOnce(List<Zone> zones, List<String> skipped) {
        List<Zone> out = new ArrayList<>();
        Map<String, Zone> byDie = new HashMap<>();
        for (Zone z : zones) {
            if (z.domain() != Domain.PACKAGE && z.domain() != Domain.DRAM || z.pkg() < 0) {
                continue;
            }
            boolean mmio = z.id().startsWith("intel-rapl-mmio");
            boolean msrSibling = mmio && zones.stream().anyMatch(o -> o.domain() == z.domain() && o.pkg() == z.pkg()
                    && !o.id().startsWith("intel-rapl-mmio"));
            Zone first = byDie.putIfAbsent(z.domain() + "/" + z.pkg() + "/" + z.die(), z);
            if (msrSibling || first != null) {
                String counter = first != null ? first.id() : "the intel-rapl zones";
                skipped.add(z.id() + " not counted: " + z.dir().resolve("name") + " says " + KernelText.shown(z.name())
                        + ", the same " + z.domain().name().toLowerCase(java.util.Locale.ROOT) + " energy " + counter + " counts");
                if (first == null) {
                    byDie.remove(z.domain() + "/" + z.pkg() + "/" + z.die());
                }
                continue;
            }
            out.add(z);
        }
        return out;
    }

    /**
     * The zone's raw energy counter in µJ (wraps at {@link Zone#maxEnergyRangeUj}).
     *
     * @throws KernelIoException naming the file when it cannot be read or holds no value in 0..max_energy_range_uj
     */
    public long energyUj(Zone z) throws IOException {
        String text = files.read(z.energyFile());
        try {
            return KernelText.number(text, 0, z.maxEnergyRangeUj());
        } catch (IllegalArgumentException e) {
            throw KernelText.bad(z.energyFile(), e.getMessage() + " (expected uJ in 0.." + z.dir().resolve("max_energy_range_uj") + ")");
        }
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

    /** The zone directories whose names parse; the others (e.g. {@code intel-rapl:a}) go to {@code skipped}. */
    private List<Path> zoneDirs(List<String> skipped) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "intel-rapl*:*")) {
            for (Path p : ds) {
                if (ZONE_DIR.matcher(p.getFileName().toString()).matches()) {
                    out.add(p);
                } else {
                    skipped.add(p.getFileName() + " skipped: " + p + " is not a zone directory name (intel-rapl[-mmio]:N[:M])");
                }
            }
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
        if (PACKAGE.matcher(name).matches()) {
            return Domain.PACKAGE;
        }
        if (PSYS.matcher(name).matches()) {
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
