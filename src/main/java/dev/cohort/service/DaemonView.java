package dev.cohort.service;

import dev.cohort.control.TickRecord;
import dev.cohort.service.status.TickStats;
import java.util.List;

/**
 * The narrow view of a running daemon that status and metrics read, from their own threads: the swapped-in
 * {@link Running} state, what start-up opened, the tick statistics and the last decisions. Nothing here writes.
 */
interface DaemonView {
    /** The configuration and controller in force; null before start-up finished. */
    Running state();

    /** What start-up opened; null before start-up finished. */
    Started started();

    TickStats stats();

    /** The last ticks that planned or noted something, oldest first. */
    List<TickRecord> lastDecisions();

    /** When the daemon started, epoch milliseconds. */
    long startedMillis();
}
