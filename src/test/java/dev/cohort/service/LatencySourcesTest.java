package dev.cohort.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.cohort.service.config.LatencySpec;
import dev.cohort.service.metrics.PrometheusText;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Latency from a service's own Prometheus endpoint on localhost (histogram and summary) and from a file. */
class LatencySourcesTest {
    @TempDir
    Path dir;

    static final String HIST = """
            # HELP http_request_duration_seconds Request latency
            # TYPE http_request_duration_seconds histogram
            http_request_duration_seconds_bucket{handler="/api",le="0.001"} %d
            http_request_duration_seconds_bucket{handler="/api",le="0.005"} %d
            http_request_duration_seconds_bucket{handler="/api",le="0.01"} %d
            http_request_duration_seconds_bucket{handler="/api",le="+Inf"} %d
            http_request_duration_seconds_bucket{handler="/health",le="0.001"} 50
            http_request_duration_seconds_bucket{handler="/health",le="+Inf"} 50
            http_request_duration_seconds_count{handler="/api"} %4$d
            """;

    @Test
    void histogramQuantileOverTheRequestsBetweenTwoScrapes() {
        var before = PrometheusText.buckets(PrometheusText.parse(HIST.formatted(100, 200, 300, 300)), "http_request_duration_seconds",
                Map.of("handler", "/api"));
        var now = PrometheusText.buckets(PrometheusText.parse(HIST.formatted(100, 200, 400, 400)), "http_request_duration_seconds",
                Map.of("handler", "/api"));
        // the 100 new requests all fell in (0.005, 0.01]: p99 at 0.005 + 0.005 * 99/100
        assertEquals(0.00995, PrometheusText.histogramQuantile(before, now, 0.99), 1e-12);
        assertEquals(Double.NaN, PrometheusText.histogramQuantile(now, now, 0.99), "nothing completed: no reading");
        assertEquals(Double.NaN, PrometheusText.histogramQuantile(now, before, 0.99), "counts went back: the service restarted");
    }

    @Test
    void summaryQuantileIsReadAsExported() {
        var s = PrometheusText.parse("""
                rpc_latency_seconds{quantile="0.5"} 0.0012
                rpc_latency_seconds{quantile="0.99"} 0.0087
                rpc_latency_seconds_sum 12.5
                """);
        assertEquals(0.0087, PrometheusText.summaryQuantile(s, "rpc_latency_seconds", 0.99, Map.of()));
        assertEquals(Double.NaN, PrometheusText.summaryQuantile(s, "rpc_latency_seconds", 0.999, Map.of()));
    }

    @Test
    void scrapesALocalEndpointAndReadsAFile() throws Exception {
        AtomicReference<String> body = new AtomicReference<>(HIST.formatted(100, 200, 300, 300));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/metrics", ex -> {
            byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        Path file = dir.resolve("p99");
        Files.writeString(file, "p99_us 1234.5\n");
        try (LatencySources src = new LatencySources(List.of(
                new LatencySpec.Prometheus(server.getAddress().getPort(), "/metrics", "http_request_duration_seconds", true, 0.99,
                        Map.of("handler", "/api"), 1e6, 50_000_000L),
                new LatencySpec.File(file, 1.0, 50_000_000L),
                new LatencySpec.Psi()))) {
            assertTrue(src.active());
            // new requests keep arriving, all in the third bucket, so any two scrapes give the same interval p99, however
            // late the scraper thread runs on a loaded machine
            long end = System.currentTimeMillis() + 10_000;
            double[] v = src.values();
            for (int k = 1; (Double.isNaN(v[0]) || Double.isNaN(v[1])) && System.currentTimeMillis() < end; k++) {
                body.set(HIST.formatted(100, 200, 300 + 100 * k, 300 + 100 * k));
                Thread.sleep(20);
                v = src.values();
            }
            assertEquals(9950.0, v[0], 1e-6, "p99 of the last interval, in µs");
            assertEquals(1234.5, v[1]);
            assertEquals(Double.NaN, v[2], "PSI cgroups carry no reading: the tick uses the pressure proxy");
            assertTrue(src.describe(0).startsWith("prometheus http://127.0.0.1:"), src.describe(0));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aFailingSourceIsAbsentNotFatal() throws Exception {
        try (LatencySources src = new LatencySources(List.of(new LatencySpec.File(dir.resolve("missing"), 1.0, 20_000_000L)))) {
            Thread.sleep(150);
            assertEquals(Double.NaN, src.values()[0]);
            assertTrue(src.describe(0).contains("(failing: "), src.describe(0));
        }
    }
}
