package dev.cohort.platform.sim;

import dev.cohort.platform.CohortException;
import java.io.BufferedReader;
import java.io.IOException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A request trace held in primitive arrays: arrival offsets from the first request and relative sizes
 * (mean 1). Read from CSV with a header row, one request per row, e.g. the Azure LLM inference trace:
 *
 * <pre>
 * TIMESTAMP,ContextTokens,GeneratedTokens
 * 2023-11-16 18:15:46.6805900,374,44
 * </pre>
 *
 * The timestamp column holds either a date-time ({@code yyyy-MM-dd HH:mm:ss[.fraction]}, UTC assumed) or a
 * number of seconds. A request's size is the weighted sum of the size columns, normalised so the trace's
 * mean is 1 (service demand proportional to, e.g., tokens). Immutable.
 */
public final class TraceData {
    private static final DateTimeFormatter DATE_TIME = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();

    private final long[] offsetsNanos;
    private final double[] sizes;
    private final long spanNanos;

    private TraceData(long[] offsetsNanos, double[] sizes) {
        this.offsetsNanos = offsetsNanos;
        this.sizes = sizes;
        this.spanNanos = offsetsNanos[offsetsNanos.length - 1];
    }

    /**
     * Parses a CSV trace.
     *
     * @param in              the CSV text
     * @param source          its name, for messages
     * @param timestampColumn header of the arrival-time column
     * @param sizeColumns     header → weight of each column summed into a request's size; empty = all sizes 1
     * @throws CohortException naming the source, line and column when a column is missing or a value is bad
     */
    public static TraceData read(BufferedReader in, String source, String timestampColumn,
                                 Map<String, Double> sizeColumns) throws IOException {
        String header = in.readLine();
        if (header == null) {
            throw new CohortException(source + ": the trace is empty (expected a header row)");
        }
        List<String> names = Arrays.asList(header.strip().split(","));
        int tsCol = column(names, timestampColumn, source);
        int[] cols = new int[sizeColumns.size()];
        double[] weights = new double[sizeColumns.size()];
        int k = 0;
        for (Map.Entry<String, Double> e : sizeColumns.entrySet()) {
            cols[k] = column(names, e.getKey(), source);
            weights[k++] = e.getValue();
        }
        List<long[]> rows = new ArrayList<>();
        List<Double> sz = new ArrayList<>();
        long firstEpochNanos = Long.MIN_VALUE;
        String line;
        int lineNo = 1;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",", -1);
            long t = timestampNanos(field(f, tsCol, source, lineNo, timestampColumn), source, lineNo, timestampColumn);
            if (firstEpochNanos == Long.MIN_VALUE) {
                firstEpochNanos = t;
            }
            double size = cols.length == 0 ? 1.0 : 0.0;
            for (int i = 0; i < cols.length; i++) {
                String v = field(f, cols[i], source, lineNo, names.get(cols[i]));
                try {
                    size += weights[i] * Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    throw new CohortException(source + ": line " + lineNo + ", column " + names.get(cols[i])
                            + ": '" + v + "' is not a number");
                }
            }
            rows.add(new long[]{t - firstEpochNanos, rows.size()});
            sz.add(Math.max(0.0, size));
        }
        if (rows.isEmpty()) {
            throw new CohortException(source + ": the trace has a header but no requests");
        }
        // Sort by time (stable), so an unsorted trace replays in arrival order.
        rows.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        long min = rows.getFirst()[0];
        long[] offsets = new long[rows.size()];
        double[] sizes = new double[rows.size()];
        double sum = 0;
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = rows.get(i)[0] - min;
            sizes[i] = sz.get((int) rows.get(i)[1]);
            sum += sizes[i];
        }
        if (!(sum > 0)) {
            throw new CohortException(source + ": every request has size 0 in columns " + sizeColumns.keySet());
        }
        double mean = sum / sizes.length;
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] /= mean;
        }
        return new TraceData(offsets, sizes);
    }

    private static int column(List<String> names, String name, String source) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).strip().equals(name)) {
                return i;
            }
        }
        throw new CohortException(source + ": no column '" + name + "' in the header (columns: "
                + String.join(", ", names) + ")");
    }

    private static String field(String[] f, int col, String source, int lineNo, String name) {
        if (col >= f.length) {
            throw new CohortException(source + ": line " + lineNo + " has no value for column " + name);
        }
        return f[col].strip();
    }

    private static long timestampNanos(String v, String source, int lineNo, String column) {
        try {
            return Math.round(Double.parseDouble(v) * 1e9);
        } catch (NumberFormatException notSeconds) {
            try {
                LocalDateTime t = LocalDateTime.parse(v, DATE_TIME);
                return t.toEpochSecond(ZoneOffset.UTC) * 1_000_000_000L + t.getNano();
            } catch (DateTimeParseException e) {
                throw new CohortException(source + ": line " + lineNo + ", column " + column + ": '" + v
                        + "' is neither seconds nor a date-time like 2023-11-16 18:15:46.6805900");
            }
        }
    }

    /** Number of requests. */
    public int count() {
        return sizes.length;
    }

    /** Arrival of request {@code i} after the first, ns. */
    public long offsetNanos(int i) {
        return offsetsNanos[i];
    }

    /** Size of request {@code i} relative to the mean (mean 1). */
    public double size(int i) {
        return sizes[i];
    }

    /** Time from the first to the last arrival, ns. */
    public long spanNanos() {
        return spanNanos;
    }

    /** Mean arrival rate over the span, requests per second. */
    public double meanRatePerSec() {
        return spanNanos == 0 ? count() : (count() - 1) / (spanNanos / 1e9);
    }

    /**
     * The trace by its content: its size and a hash of every arrival and size. Like the records a scenario is made of,
     * two traces read from the same rows print the same text, so the printed scenario can key results computed on it
     * (best-static's cache); the object's identity would make every load look new.
     */
    @Override
    public String toString() {
        return "TraceData[requests=" + count() + ", spanNanos=" + spanNanos + ", content=" + Long.toHexString(contentHash()) + "]";
    }

    private long contentHash() {
        long h = 1125899906842597L;
        for (int i = 0; i < sizes.length; i++) {
            h = 31 * h + offsetsNanos[i];
            h = 31 * h + Double.doubleToLongBits(sizes[i]);
        }
        return h;
    }
}
