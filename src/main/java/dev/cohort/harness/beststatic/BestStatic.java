package dev.cohort.harness.beststatic;

import dev.cohort.platform.sim.Scenario;
import java.io.IOException;
import java.util.function.LongConsumer;

/**
 * {@code best-static}, the rival a learned policy must beat: the fixed (core, memory, quota) levels with the highest
 * mean reward on a scenario, over training seeds. Kept results are used as they are; a scenario without one is
 * searched ({@link Search}) and the result kept ({@link Store}).
 */
public final class BestStatic {
    /** Who hears what a lookup does. */
    public interface Listener {
        /** A one-line warning (a kept file that could not be used, a result that could not be kept). */
        void warn(String line);

        /** A search of {@code scenario} starts and will take {@code ticks} ticks; the returned progress hears them. */
        Progress searching(String scenario, long ticks);
    }

    /** Ticks done so far, from any thread; closed when the search ends. */
    public interface Progress extends LongConsumer, AutoCloseable {
        @Override
        void close();

        /** Hears nothing. */
        Progress NONE = new Progress() {
            @Override
            public void accept(long ticks) {
            }

            @Override
            public void close() {
            }
        };
    }

    /**
     * A result and where it came from.
     *
     * @param found    the result
     * @param searched true when it was searched now, false when it was kept
     * @param where    the file it was read from or written to; empty when a new result could not be kept
     */
    public record Result(Found found, boolean searched, String where) {
    }

    private final Store store;
    private final SearchSettings settings;
    private final int threads;
    private final boolean refresh;

    /**
     * @param store    where results are kept
     * @param settings how to search
     * @param threads  runs in parallel
     * @param refresh  search even when a result is kept (and replace it)
     */
    public BestStatic(Store store, SearchSettings settings, int threads, boolean refresh) {
        this.store = store;
        this.settings = settings;
        this.threads = threads;
        this.refresh = refresh;
    }

    public SearchSettings settings() {
        return settings;
    }

    /** The best fixed levels for {@code sc}: kept, or searched now and kept. */
    public Result find(Scenario sc, Listener listener) {
        String key = CacheKey.of(sc, settings);
        if (!refresh) {
            var hit = store.lookup(sc.name(), key, listener::warn);
            if (hit.isPresent()) {
                return new Result(hit.get().found(), false, hit.get().source());
            }
        }
        Grid g = Grid.of(sc, settings.base(), settings.governor(), settings.only());
        Found f;
        try (Progress p = listener.searching(sc.name(), Search.ticks(sc, settings, g))) {
            f = Search.run(sc, settings, g, key, threads, p);
        }
        try {
            return new Result(f, true, store.save(f).toString());
        } catch (IOException e) {
            listener.warn("cannot keep the result in " + store.file(sc.name(), key) + " (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "); it is used this time only");
            return new Result(f, true, "");
        }
    }
}
