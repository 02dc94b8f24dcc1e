package dev.cohort.harness;

import dev.cohort.platform.CohortException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * One of {@code count} disjoint slices of a grid of independent runs ({@code evaluate}'s scenario × policy × seed,
 * a training sweep's configuration × seed), numbered from 0 as a Kubernetes Indexed Job numbers its pods
 * ({@value #INDEX_ENV}). The slices are stable (the same grid always gives the same slices, whichever process
 * computes them) and balanced: the runs are sorted by cost, longest first and in grid order among equal costs, then
 * dealt round-robin, so every slice gets the same number of runs of each cost, give or take one.
 *
 * @param index the slice, 0 ≤ index &lt; count
 * @param count how many slices the grid is cut into, at least 1
 */
public record Shard(int index, int count) {
    /** The environment variable Kubernetes sets to a pod's completion index in an Indexed Job. */
    public static final String INDEX_ENV = "JOB_COMPLETION_INDEX";

    /** The whole grid: one slice of one. */
    public static final Shard ALL = new Shard(0, 1);

    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new CohortException("shard " + index + "/" + count + ": K/N needs N ≥ 1 and 0 ≤ K < N");
        }
    }

    /**
     * Parses {@code K/N}, or {@code index/N} for K taken from {@value #INDEX_ENV} in {@code env}.
     *
     * @param option the option's name, for messages ({@code --shard})
     * @throws CohortException (one line: what is wrong and the form that works) for anything else
     */
    public static Shard parse(String option, String text, Map<String, String> env) {
        String t = text.strip();
        String form = "; give K/N with 0 ≤ K < N, e.g. " + option + " 0/3, or index/N to take K from " + INDEX_ENV;
        int slash = t.indexOf('/');
        if (slash <= 0 || slash == t.length() - 1) {
            throw new CohortException(option + " '" + text + "' is not K/N" + form);
        }
        String k = t.substring(0, slash).strip();
        int n = number(option, text, t.substring(slash + 1).strip(), "N", form);
        if (n < 1) {
            throw new CohortException(option + " '" + text + "': N must be at least 1" + form);
        }
        int index;
        if (k.equals("index")) {
            String fromEnv = env.get(INDEX_ENV);
            if (fromEnv == null || fromEnv.isBlank()) {
                throw new CohortException(option + " '" + text + "': " + INDEX_ENV + " is not set (Kubernetes sets it in the pods "
                        + "of an Indexed Job); give K/N instead");
            }
            index = number(option, text, fromEnv.strip(), INDEX_ENV + " (" + fromEnv.strip() + ")", form);
        } else {
            index = number(option, text, k, "K", form);
        }
        if (index >= n) {
            throw new CohortException(option + " '" + text + "': K is " + index + ", but shards count from 0 to N−1 = " + (n - 1)
                    + form);
        }
        return new Shard(index, n);
    }

    private static int number(String option, String text, String s, String what, String form) {
        if (!s.matches("\\d{1,9}")) {
            throw new CohortException(option + " '" + text + "': " + what + " is not a whole number ≥ 0" + form);
        }
        return Integer.parseInt(s);
    }

    /** True for the whole grid. */
    public boolean whole() {
        return count == 1;
    }

    /**
     * The grid indices of this slice, in grid order.
     *
     * @param costs each run's cost, in grid order (any unit; only their order matters)
     */
    public int[] slice(double[] costs) {
        List<Integer> order = new ArrayList<>(IntStream.range(0, costs.length).boxed().toList());
        // a stable sort: equal costs keep grid order, so the deal does not depend on anything but the grid
        order.sort(Comparator.comparingDouble((Integer i) -> costs[i]).reversed());
        return IntStream.range(0, order.size()).filter(pos -> pos % count == index).map(order::get).sorted().toArray();
    }

    /** {@code K/N}, as the option takes it. */
    @Override
    public String toString() {
        return index + "/" + count;
    }
}
