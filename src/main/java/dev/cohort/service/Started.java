package dev.cohort.service;

import java.util.List;

/**
 * What start-up opened and the daemon keeps until it stops: the backend, the platform the tick writes through, the
 * journal, the latency sources, the competing tuners found and where the metrics are served. Set once, before the
 * loop runs.
 *
 * @param latency        the latency sources of a real host; null on the simulated machine
 * @param metricsAddress {@code address:port} of the metrics endpoint; null when metrics are off
 */
record Started(Backend backend, DaemonPlatform platform, AsyncJournal journal, LatencySources latency, List<String> competitors,
               String metricsAddress) {
    Started {
        competitors = List.copyOf(competitors);
    }
}
