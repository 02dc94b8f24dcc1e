package dev.cohort.service;

import dev.cohort.control.Journal;
import dev.cohort.control.TickRecord;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes the journal on its own thread, so serialising a tick and the file's write (which may wait on the disk)
 * stay out of the control loop's deadline. The queue is bounded: when the writer falls behind by {@code capacity}
 * entries, further ticks are dropped and counted (the control loop never waits for the journal), and the count is
 * written as an event once the writer catches up. Events are queued the same way. {@link #close} drains the queue
 * and closes the underlying journal. Tick records are immutable once the tick returns, so handing them over is safe.
 */
final class AsyncJournal implements Journal {
    private record Event(String type, List<String> notes) {
    }

    private record Tick(TickRecord r, java.util.Map<String, Double> extra) {
    }

    private final Journal inner;
    private final ArrayBlockingQueue<Object> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private volatile boolean closing;
    /** Figures written beside each tick, read on the loop thread when the tick is recorded; null: none. */
    private volatile java.util.function.Supplier<java.util.Map<String, Double>> tickFields;

    AsyncJournal(Journal inner, int capacity) {
        this.inner = inner;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.writer = Thread.ofPlatform().daemon().name("cohort-journal").start(this::drain);
    }

    /**
     * Writes {@code fields}' figures beside every tick from now on (the daemon's budget and λ in force); called on the
     * loop thread as each tick is recorded, so they are the tick's own.
     */
    void tickFields(java.util.function.Supplier<java.util.Map<String, Double>> fields) {
        this.tickFields = fields;
    }

    @Override
    public void record(TickRecord r) {
        var f = tickFields;
        if (!queue.offer(f == null ? r : new Tick(r, f.get()))) {
            dropped.incrementAndGet();
        }
    }

    @Override
    public boolean recordsObservations() {
        return inner.recordsObservations();
    }

    @Override
    public void event(String type, List<String> notes) {
        if (!queue.offer(new Event(type, List.copyOf(notes)))) {
            dropped.incrementAndGet();
        }
    }

    /** Entries dropped because the writer fell behind. */
    long dropped() {
        return dropped.get();
    }

    private void drain() {
        long reported = 0;
        while (true) {
            Object o;
            try {
                o = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                o = null;
            }
            if (o == null) {
                if (closing && queue.isEmpty()) {
                    return;
                }
                continue;
            }
            switch (o) {
                case TickRecord r -> inner.record(r);
                case Tick t -> inner.record(t.r(), t.extra());
                case Event e -> inner.event(e.type(), e.notes());
                default -> {
                }
            }
            long d = dropped.get();
            if (d > reported && queue.isEmpty()) {
                inner.event("journal", List.of("the journal writer fell behind: " + (d - reported) + " entries were dropped"));
                reported = d;
            }
        }
    }

    @Override
    public void close() {
        closing = true;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        inner.close();
    }
}
