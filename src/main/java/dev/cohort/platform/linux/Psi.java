package dev.cohort.platform.linux;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Pressure stall information: {@code /proc/pressure/{cpu,memory,io,irq}} and a cgroup v2's
 * {@code cpu.pressure}, {@code memory.pressure}, {@code io.pressure}.
 *
 * <pre>
 * some avg10=0.00 avg60=0.12 avg300=0.05 total=1234567
 * full avg10=0.00 avg60=0.00 avg300=0.00 total=0
 * </pre>
 *
 * {@code avgN} is the percent of wall time stalled over the last N seconds (two decimals); {@code total} is the
 * cumulative stall time in µs. Kernels before 5.13 print only a {@code some} line for cpu; {@code irq} has only
 * a {@code full} line. With PSI disabled the files do not exist.
 */
public final class Psi {
    private final Path dir;
    private final KernelFiles files;

    /** System-wide PSI under {@code root}. */
    public Psi(Path root) {
        this(root, KernelFiles.real());
    }

    Psi(Path root, KernelFiles files) {
        this.dir = root.resolve("proc/pressure");
        this.files = files;
    }

    /** One line: averages in percent and the cumulative total in µs. */
    public record Line(double avg10, double avg60, double avg300, long totalUsec) {
    }

    /** A whole PSI file: either line may be absent. */
    public record Pressure(Optional<Line> some, Optional<Line> full) {
    }

    /** True when the kernel has PSI ({@code /proc/pressure} exists). */
    public boolean present() {
        return java.nio.file.Files.isDirectory(dir);
    }

    /** System-wide pressure of {@code resource} (cpu, memory, io, irq). */
    public Pressure read(String resource) throws IOException {
        return readFile(files, dir.resolve(resource));
    }

    /** Any PSI file, e.g. a cgroup's {@code cpu.pressure}. */
    public static Pressure readFile(KernelFiles files, Path file) throws IOException {
        try {
            return parse(files.read(file));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses a PSI file (format in the class comment). Package-private for testing.
     *
     * @throws IllegalArgumentException naming the line when it is not PSI
     */
    static Pressure parse(String text) {
        Line some = null;
        Line full = null;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] t = line.split("\\s+");
            if (t.length < 5 || !(t[0].equals("some") || t[0].equals("full"))) {
                throw new IllegalArgumentException("not a PSI line: " + KernelText.shown(line));
            }
            Line l = new Line(avg(t, "avg10=", line), avg(t, "avg60=", line), avg(t, "avg300=", line),
                    total(t, line));
            if (t[0].equals("some")) {
                some = l;
            } else {
                full = l;
            }
        }
        return new Pressure(Optional.ofNullable(some), Optional.ofNullable(full));
    }

    /** An average: a percentage with two decimals (NaN, infinities and exponents are not PSI). */
    private static double avg(String[] tokens, String key, String line) {
        String v = value(tokens, key, line);
        if (!v.matches("\\d{1,3}\\.\\d{2}") || Double.parseDouble(v) > 100) {
            throw new IllegalArgumentException("bad value " + KernelText.shown(key + v) + " in PSI line " + KernelText.shown(line));
        }
        return Double.parseDouble(v);
    }

    /** The total: cumulative stall µs, a non-negative decimal (parsed as a long, not through a double). */
    private static long total(String[] tokens, String line) {
        String v = value(tokens, "total=", line);
        try {
            return KernelText.number(v, 0, Long.MAX_VALUE);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad value " + KernelText.shown("total=" + v) + " in PSI line " + KernelText.shown(line));
        }
    }

    private static String value(String[] tokens, String key, String line) {
        for (String tok : tokens) {
            if (tok.startsWith(key)) {
                return tok.substring(key.length());
            }
        }
        throw new IllegalArgumentException("no " + key + " in PSI line " + KernelText.shown(line));
    }

    /** The {@code some} total in µs of a pressure file, or -1 when it has no some line. */
    static long someTotal(Pressure p) {
        return p.some().map(Line::totalUsec).orElse(-1L);
    }
}
