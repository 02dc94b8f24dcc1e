package dev.cohort.service;

import dev.cohort.service.config.LatencySpec;
import dev.cohort.service.metrics.PrometheusText;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Reads the latency of latency-critical services on a real host from where each is configured to publish it
 * ({@link LatencySpec}): scrapes of a localhost Prometheus endpoint, or a number in a file. One background thread
 * polls each source at its own interval, so a slow endpoint never delays a control tick; the tick takes the latest
 * readings with {@link #values}. A reading older than three intervals counts as absent (NaN), and so does a source
 * that fails; the first failure of each source is reported once on stderr, and {@link #describe} says how each is doing.
 */
public final class LatencySources implements AutoCloseable {
    private static final Pattern NUMBER = Pattern.compile("[-+]?[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?");
    private final LatencySpec[] specs;
    private final double[] valueUsec;
    private final long[] readAtNanos;
    private final String[] lastError;
    private final List<TreeMap<Double, Double>> lastBuckets = new ArrayList<>();
    private final ScheduledExecutorService poller;

    /**
     * Starts polling.
     *
     * @param specs one per managed cgroup, in topology order ({@link LatencySpec.Psi} for those without a source)
     */
    public LatencySources(List<LatencySpec> specs) {
        this.specs = specs.toArray(new LatencySpec[0]);
        this.valueUsec = new double[this.specs.length];
        this.readAtNanos = new long[this.specs.length];
        this.lastError = new String[this.specs.length];
        Arrays.fill(valueUsec, Double.NaN);
        boolean any = false;
        for (int i = 0; i < this.specs.length; i++) {
            lastBuckets.add(null);
            any |= !(this.specs[i] instanceof LatencySpec.Psi);
        }
        if (!any) {
            poller = null;
            return;
        }
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cohort-latency");
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < this.specs.length; i++) {
            final int g = i;
            long every = switch (this.specs[i]) {
                case LatencySpec.Prometheus p -> p.intervalNanos();
                case LatencySpec.File f -> f.intervalNanos();
                case LatencySpec.Psi p -> 0;
            };
            if (every > 0) {
                poller.scheduleAtFixedRate(() -> poll(g), 0, every, TimeUnit.NANOSECONDS);
            }
        }
    }

    /** True when some cgroup has a source other than PSI (the sample then carries a latency gauge). */
    public boolean active() {
        return poller != null;
    }

    /**
     * The latest fresh reading per cgroup, µs; NaN for PSI cgroups, stale or failed sources and intervals in which
     * no request completed. A new array each call (it goes into an immutable sample).
     */
    public synchronized double[] values() {
        long now = System.nanoTime();
        double[] out = new double[specs.length];
        for (int g = 0; g < specs.length; g++) {
            long every = interval(specs[g]);
            boolean fresh = readAtNanos[g] != 0 && now - readAtNanos[g] <= 3 * every + 1_000_000_000L;
            out[g] = fresh ? valueUsec[g] : Double.NaN;
        }
        return out;
    }

    /** One line per cgroup: its source and how it is doing, for status. */
    public synchronized String describe(int g) {
        LatencySpec s = specs[g];
        return switch (s) {
            case LatencySpec.Psi p -> "psi (pressure proxy)";
            case LatencySpec.Prometheus p -> "prometheus " + p.url() + " " + p.metric() + " q" + p.quantile()
                    + (lastError[g] == null ? "" : " (failing: " + lastError[g] + ")");
            case LatencySpec.File f -> "file " + f.file() + (lastError[g] == null ? "" : " (failing: " + lastError[g] + ")");
        };
    }

    /** The configured source name of cgroup {@code g}. */
    public String source(int g) {
        return specs[g].source();
    }

    private static long interval(LatencySpec s) {
        return switch (s) {
            case LatencySpec.Prometheus p -> p.intervalNanos();
            case LatencySpec.File f -> f.intervalNanos();
            case LatencySpec.Psi p -> Long.MAX_VALUE / 8;
        };
    }

    private void poll(int g) {
        try {
            double usec = switch (specs[g]) {
                case LatencySpec.Prometheus p -> scrape(g, p);
                case LatencySpec.File f -> readFile(f);
                case LatencySpec.Psi p -> Double.NaN;
            };
            synchronized (this) {
                valueUsec[g] = usec;
                readAtNanos[g] = System.nanoTime();
                lastError[g] = null;
            }
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                if (lastError[g] == null && readAtNanos[g] == 0) {
                    System.err.println("cohort: latency source of cgroup #" + g + " (" + specs[g].source() + "): "
                            + e.getMessage() + "; its slack falls back to the pressure proxy while this lasts");
                }
                lastError[g] = e.getMessage();
            }
        }
    }

    private double scrape(int g, LatencySpec.Prometheus p) throws IOException {
        String body = get(p.url());
        var samples = PrometheusText.parse(body);
        if (!p.histogram()) {
            double v = PrometheusText.summaryQuantile(samples, p.metric(), p.quantile(), p.labels());
            if (Double.isNaN(v) && samples.stream().noneMatch(s -> s.name().equals(p.metric()))) {
                throw new IOException(p.url() + " has no summary " + p.metric());
            }
            return v * p.usecPerUnit();
        }
        TreeMap<Double, Double> now = PrometheusText.buckets(samples, p.metric(), p.labels());
        if (now.isEmpty()) {
            throw new IOException(p.url() + " has no histogram " + p.metric() + "_bucket" + (p.labels().isEmpty() ? "" : " with " + p.labels()));
        }
        TreeMap<Double, Double> before = lastBuckets.get(g);
        lastBuckets.set(g, now);
        if (before == null) {
            return Double.NaN; // the first scrape only sets the baseline
        }
        return PrometheusText.histogramQuantile(before, now, p.quantile()) * p.usecPerUnit();
    }

    /** GET from localhost with no proxy (the environment's proxy settings must not send us off the host). */
    static String get(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection(Proxy.NO_PROXY);
        c.setConnectTimeout(500);
        c.setReadTimeout(1000);
        c.setRequestProperty("Accept", "text/plain;version=0.0.4");
        try {
            int code = c.getResponseCode();
            if (code != 200) {
                throw new IOException(url + " answered HTTP " + code);
            }
            try (InputStream in = c.getInputStream()) {
                byte[] b = in.readNBytes(8 << 20);
                return new String(b, StandardCharsets.UTF_8);
            }
        } finally {
            c.disconnect();
        }
    }

    private static double readFile(LatencySpec.File f) throws IOException {
        for (String word : Files.readString(f.file()).split("[\\s,;=:]+")) {
            if (NUMBER.matcher(word).matches()) {
                return Double.parseDouble(word) * f.usecPerUnit();
            }
        }
        throw new IOException(f.file() + " holds no number");
    }

    @Override
    public void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }
}
