package dev.cohort.platform.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.platform.LatencyHistogram;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The service queue against queueing theory: Poisson arrivals and exponential service on c servers is the
 * M/M/c queue, whose FCFS response-time distribution has a closed form (Erlang C). Requests here have no
 * memory stalls, so a request's service time is exactly its cycles over the frequency.
 */
class ErlangCTest {
    private static final double SERVICE_MS = 1.0;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "c={0}, load={1}")
    @CsvSource({"4, 0.5", "4, 0.8", "2, 0.8"})
    void p99AndMeanMatchTheMmcClosedForm(int servers, double load) {
        Scenario s = SimTests.scenario(dir, "mmc", """
                name: mmc
                durationSeconds: 300
                machine: {sockets: 1, coresPerSocket: %d}
                services:
                  - name: q
                    cpus: 0-%d
                    sloMicros: 10000
                    request: {cycles: 3000000, llcMisses: 0, distribution: exponential}
                    arrivals: {profile: constant, load: %s}
                """.formatted(servers, servers - 1, load));
        SimMachine m = new SimMachine(s, 11);
        m.advance(300_000_000_000L);
        LatencyHistogram h = m.sample().latency(0);

        double muPerMs = 1 / SERVICE_MS;
        double lambdaPerMs = load * servers * muPerMs;
        assertTrue(h.count() > 250_000, "enough requests for a stable p99: " + h.count());
        double p99Ms = mmcQuantileMs(servers, lambdaPerMs, muPerMs, 0.99);
        double simP99Ms = h.quantileNanos(0.99) / 1e6;
        assertEquals(p99Ms, simP99Ms, 0.05 * p99Ms, "p99 within 5% of Erlang C");
        double meanMs = erlangC(servers, lambdaPerMs / muPerMs) / (servers * muPerMs - lambdaPerMs) + 1 / muPerMs;
        assertEquals(meanMs, h.meanNanos() / 1e6, 0.03 * meanMs, "mean response time within 3% of Erlang C");
    }

    /** Probability that an arrival waits in M/M/c with offered load {@code a} = λ/μ (Erlang C). */
    static double erlangC(int c, double a) {
        double sum = 0;
        double term = 1;
        for (int k = 0; k < c; k++) {
            sum += term;
            term *= a / (k + 1);
        }
        double last = term * c / (c - a);
        return last / (sum + last);
    }

    /**
     * The q-quantile of the FCFS M/M/c response time T = W + S: with probability 1 − C no wait; otherwise
     * W is exponential with rate θ = cμ − λ, so P(T > t) = (1 − C)e^{−μt} + C·(θe^{−μt} − μe^{−θt})/(θ − μ).
     */
    static double mmcQuantileMs(int c, double lambda, double mu, double q) {
        double C = erlangC(c, lambda / mu);
        double theta = c * mu - lambda;
        double lo = 0;
        double hi = 1000 / mu;
        for (int i = 0; i < 200; i++) {
            double t = (lo + hi) / 2;
            double conv = Math.abs(theta - mu) < 1e-12 ? (1 + mu * t) * Math.exp(-mu * t)
                    : (theta * Math.exp(-mu * t) - mu * Math.exp(-theta * t)) / (theta - mu);
            double tail = (1 - C) * Math.exp(-mu * t) + C * conv;
            if (tail > 1 - q) {
                lo = t;
            } else {
                hi = t;
            }
        }
        return lo;
    }
}
