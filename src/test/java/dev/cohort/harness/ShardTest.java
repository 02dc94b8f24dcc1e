package dev.cohort.harness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.platform.CohortException;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code --shard K/N}: the forms it takes, the one-line refusals, and slices that are disjoint, covering and balanced. */
class ShardTest {
    @Test
    void parsesKOfNAndTheIndexOfAnIndexedJob() {
        assertEquals(new Shard(2, 3), Shard.parse("--shard", "2/3", Map.of()));
        assertEquals(new Shard(0, 1), Shard.parse("--shard", " 0/1 ", Map.of()));
        assertEquals(new Shard(4, 5), Shard.parse("--shard", "index/5", Map.of(Shard.INDEX_ENV, "4")));
        assertEquals("2/3", new Shard(2, 3).toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "3/3; K is 3, but shards count from 0 to N−1 = 2",
            "-1/3; K is not a whole number",
            "1/0; N must be at least 1",
            "a/3; K is not a whole number",
            "1/b; N is not a whole number",
            "2; is not K/N",
            "/3; is not K/N",
            "1/; is not K/N",
            "1.5/3; K is not a whole number",
            "index/3; JOB_COMPLETION_INDEX is not set"})
    void refusesInOneLineSayingWhatIsWrong(String text, String why) {
        var e = assertThrows(CohortException.class, () -> Shard.parse("--shard", text, Map.of()));
        assertTrue(e.getMessage().contains(why), e.getMessage());
        assertTrue(e.getMessage().startsWith("--shard '" + text + "'"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void refusesAnIndexOutsideTheJob() {
        var e = assertThrows(CohortException.class, () -> Shard.parse("--shard", "index/3", Map.of(Shard.INDEX_ENV, "3")));
        assertTrue(e.getMessage().contains("K is 3"), e.getMessage());
        e = assertThrows(CohortException.class, () -> Shard.parse("--shard", "index/3", Map.of(Shard.INDEX_ENV, "x")));
        assertTrue(e.getMessage().contains("JOB_COMPLETION_INDEX (x) is not a whole number"), e.getMessage());
    }

    @Test
    void slicesAreDisjointCoverTheGridAndAreStable() {
        double[] costs = {1, 50, 1, 1, 50, 1, 2, 2, 1, 50, 1};
        int n = 4;
        int[] seen = new int[costs.length];
        for (int k = 0; k < n; k++) {
            int[] s = new Shard(k, n).slice(costs);
            assertArrayEquals(s, new Shard(k, n).slice(costs.clone()), "the same grid gives the same slice");
            assertArrayEquals(IntStream.of(s).sorted().toArray(), s, "in grid order");
            IntStream.of(s).forEach(i -> seen[i]++);
        }
        assertArrayEquals(IntStream.generate(() -> 1).limit(costs.length).toArray(), seen, "every run in exactly one slice");
        assertArrayEquals(IntStream.range(0, costs.length).toArray(), Shard.ALL.slice(costs), "one slice is the whole grid");
    }

    @Test
    void slicesShareTheExpensiveRuns() {
        // three oracle runs (50×) among twelve: three shards get one each, not one shard all three
        double[] costs = {1, 1, 1, 50, 1, 1, 1, 50, 1, 1, 1, 50};
        for (int k = 0; k < 3; k++) {
            int[] s = new Shard(k, 3).slice(costs);
            assertEquals(4, s.length);
            assertEquals(53, Arrays.stream(s).mapToDouble(i -> costs[i]).sum(), 1e-9, "slice " + k);
        }
    }

    @Test
    void moreShardsThanRunsLeavesSomeEmpty() {
        assertEquals(0, new Shard(4, 5).slice(new double[]{1, 1}).length);
    }
}
