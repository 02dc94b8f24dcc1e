package dev.cohort.learn.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Each scenario's pairs are sized by their own recent root mean square, once it has enough of them. */
class PairScalerTest {
    /** One core agent branched in each of {@code n} steps with gap {@code g}. */
    private static Pairs pairs(int n, float g) {
        Pairs p = Pairs.none(3);
        p.tried()[0] = new int[n];
        p.gap()[0] = new float[n];
        java.util.Arrays.fill(p.gap()[0], g);
        return p;
    }

    @Test
    void eachScenarioIsSizedByItsOwnPairsOnceItHasEnough() throws Exception {
        PairScaler s = new PairScaler();
        assertEquals(1, s.unit(0), "before any pair, pairs pass as they are");
        s.observe(0, pairs(PairScaler.MIN_OWN, 2f));
        assertEquals(2, s.unit(0), 1e-9, "the root mean square of its gaps");
        s.observe(1, pairs(PairScaler.MIN_OWN - 1, -0.002f));
        assertEquals(s.unit(1), Math.sqrt((PairScaler.MIN_OWN * 4 + (PairScaler.MIN_OWN - 1) * 4e-6) / (2 * PairScaler.MIN_OWN - 1)),
                1e-6, "until it has its own, the run's stands in");
        Pairs one = pairs(1, -0.002f);
        one.tried()[0][0] = -1; // not branched: not counted
        s.observe(1, one);
        s.observe(1, pairs(1, -0.002f));
        assertEquals(0.002, s.unit(1), 1e-9, "then its own, a thousand times smaller than the loud scenario's");
        assertEquals(2, s.unit(0), 1e-9);
        assertEquals(Math.sqrt((PairScaler.MIN_OWN * 4 + PairScaler.MIN_OWN * 4e-6) / (2 * PairScaler.MIN_OWN)), s.unit(7),
                1e-6, "a scenario never seen takes the run's");
        assertEquals(0.5, s.episodeUnit(0.5), 0, "an episode's own size");
        assertEquals(1e-3 * Math.sqrt((PairScaler.MIN_OWN * 4 + PairScaler.MIN_OWN * 4e-6) / (2 * PairScaler.MIN_OWN)), s.episodeUnit(0),
                1e-9, "never under a thousandth of the run's");
        PairScaler back = roundTrip(s);
        for (int sc = 0; sc < 3; sc++) {
            assertEquals(s.unit(sc), back.unit(sc), 0, "scenario " + sc + " after a checkpoint");
        }
    }

    @Test
    void balancedEachScenarioWeighsItsRarity() {
        PairScaler s = new PairScaler();
        s.observe(0, pairs(300, 1f));
        s.observe(2, pairs(100, 1f));
        assertEquals(200.0 / 300, s.balanceWeight(0), 1e-9, "a frequent scenario's pairs weigh less than one");
        assertEquals(2, s.balanceWeight(2), 1e-9, "a rare one's more: over the pairs seen the weights average 1");
        assertEquals(1, s.balanceWeight(1), 0, "a scenario not seen yet weighs 1");
        s.observe(1, pairs(PairScaler.MIN_OWN - 1, 1f));
        assertEquals(1, s.balanceWeight(1), 0, "and until it has enough pairs for its share to mean something");
        s.observe(3, pairs(100_000, 1f));
        s.observe(4, pairs(PairScaler.MIN_OWN, 1f));
        assertEquals(10, s.balanceWeight(4), 0, "never over ten times: a few pairs do not take the loss");
    }

    /**
     * A chunk of one core agent, one memory agent and no quota agent over {@code slacks.length} steps: the core agent
     * branched at every step with gap {@code gap}, its slack at each step as given; other scenarios' features 0.
     */
    static Chunk coreChunk(int scenario, float[] slacks, float gap) {
        return coreChunk(scenario, slacks, new float[slacks.length], gap);
    }

    /** The same, the core agent's utilisation at each step as given. */
    static Chunk coreChunk(int scenario, float[] slacks, float[] utils, float gap) {
        return coreChunk(scenario, slacks, utils, gap, 1);
    }

    /** The same, level {@code tried} tried at each step (level 0 taken). */
    static Chunk coreChunk(int scenario, float[] slacks, float[] utils, float gap, int tried) {
        int steps = slacks.length;
        int[] agents = {1, 1, 0};
        float[][] obs = new float[3][];
        for (var r : dev.cohort.policy.Role.values()) {
            obs[r.ordinal()] = new float[(steps + 1) * agents[r.ordinal()] * dev.cohort.policy.ObservationSpec.of(r).size()];
        }
        int core = dev.cohort.policy.ObservationSpec.of(dev.cohort.policy.Role.CORE).size();
        int slack = dev.cohort.policy.ObservationSpec.of(dev.cohort.policy.Role.CORE).index("lc_slack");
        int util = dev.cohort.policy.ObservationSpec.of(dev.cohort.policy.Role.CORE).index("util");
        for (int t = 0; t < steps; t++) {
            obs[0][t * core + slack] = slacks[t];
            obs[0][t * core + util] = utils[t];
        }
        Pairs p = Pairs.none(3);
        p.tried()[0] = new int[steps];
        java.util.Arrays.fill(p.tried()[0], tried);
        p.gap()[0] = new float[steps];
        java.util.Arrays.fill(p.gap()[0], gap);
        return new Chunk(steps, agents, obs, new float[][]{new float[0], new float[0], new float[0]},
                new int[][]{new int[steps], new int[steps], new int[0]}, new float[steps],
                new float[dev.cohort.learn.replay.ValueTerm.values().length][steps], new float[steps + 1], // a state of one feature
                scenario, Chunk.noCredit(3), p);
    }

    /** {@link PairScaler#MIN_OWN} steps' worth of one value. */
    private static float[] filled(float v) {
        float[] a = new float[PairScaler.MIN_OWN];
        java.util.Arrays.fill(a, v);
        return a;
    }

    @Test
    void perStateEachSlackBucketIsSizedByItsOwnPairs() throws Exception {
        PairScaler s = new PairScaler();
        float[] tight = filled(0.1f);
        float[] room = filled(0.8f);
        s.observe(coreChunk(0, tight, 3f));
        assertEquals(3, s.unit(0, 0, PairScaler.bucket(0.1f)), 1e-6, "near the SLO a level is worth much");
        assertEquals(3, s.unit(0, 0, PairScaler.bucket(0.8f)), 1e-6, "a bucket without its own pairs takes the scenario's");
        s.observe(coreChunk(0, room, 0.003f));
        assertEquals(0.003, s.unit(0, 0, PairScaler.bucket(0.8f)), 1e-9, "with room, a thousandth of that: its own scale");
        assertEquals(3, s.unit(0, 0, PairScaler.bucket(0.1f)), 1e-6);
        assertEquals(s.unit(0), s.unit(0, 1, PairScaler.bucket(0.8f)), 0, "another role's bucket is its own");
        assertEquals(0, PairScaler.bucket(-0.2f));
        assertEquals(4, PairScaler.bucket(1f), "room, or no service");
        PairScaler back = roundTrip(s);
        assertEquals(0.003, back.unit(0, 0, 3), 1e-9, "after a checkpoint");
        Batch batch = batchOf(coreChunk(0, new float[]{0.1f, 0.8f}, 0.006f), PairScale.STATE, s);
        assertEquals(0.002f, batch.pairGaps[0][0], 1e-6f, "a tight state's pair in units of tight states' pairs");
        assertEquals(2f, batch.pairGaps[0][1], 1e-5f, "a roomy state's in units of roomy states'");
    }

    /**
     * A split of a slack bucket's pairs: how a chunk of {@link PairScaler#MIN_OWN} steps with slack 0.8 and gap
     * {@code gap} falls in its first split ({@code small}: light load, or the level one from the one taken) or its last
     * ({@code large}: heavy load, or four levels away), and the unit of a split.
     */
    private record Split(PairScale scale, java.util.function.BiFunction<Integer, Float, Chunk> small,
                         java.util.function.BiFunction<Integer, Float, Chunk> large, UnitOf unit) {
        @Override
        public String toString() {
            return scale.name();
        }
    }

    private interface UnitOf {
        double of(PairScaler s, int bucket, int split);
    }

    static java.util.stream.Stream<Split> splits() {
        return java.util.stream.Stream.of(
                new Split(PairScale.BAND, (n, gap) -> coreChunk(0, steps(n, 0.8f), steps(n, 0.1f), gap),
                        (n, gap) -> coreChunk(0, steps(n, 0.8f), steps(n, 0.8f), gap), (s, b, i) -> s.bandUnit(0, 0, b, i)),
                new Split(PairScale.STEP, (n, gap) -> coreChunk(0, steps(n, 0.8f), steps(n, 0.2f), gap, 1),
                        (n, gap) -> coreChunk(0, steps(n, 0.8f), steps(n, 0.2f), gap, 4), (s, b, i) -> s.stepUnit(0, 0, b, i)));
    }

    private static float[] steps(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    /**
     * Per band of load ({@code perBand}) or per distance of the level tried ({@code perStep}): within one slack bucket,
     * the small, alike pairs (light states', near levels') and the large ones (loaded states', far levels') are each
     * sized by their own, where per state the large ones set one size for both.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("splits")
    void eachSplitOfASlackBucketIsSizedByItsOwnPairs(Split split) throws Exception {
        PairScaler s = new PairScaler();
        s.observe(split.small().apply(PairScaler.MIN_OWN, 0.003f));
        s.observe(split.large().apply(PairScaler.MIN_OWN, 3f));
        int bucket = PairScaler.bucket(0.8f);
        assertEquals(Math.sqrt((9 + 9e-6) / 2), s.unit(0, 0, bucket), 1e-6, "per state the bucket's one size, the large pairs'");
        assertEquals(0.003, split.unit().of(s, bucket, 0), 1e-9, "the small pairs: their own");
        assertEquals(3, split.unit().of(s, bucket, 2), 1e-6, "the large pairs: theirs");
        assertEquals(s.unit(0, 0, bucket), split.unit().of(s, bucket, 1), 0, "a split without enough pairs takes its bucket's");
        assertEquals(0.003, split.unit().of(roundTrip(s), bucket, 0), 1e-9, "after a checkpoint");
        assertEquals(2f, batchOf(split.small().apply(1, 0.006f), split.scale(), s).pairGaps[0][0], 1e-5f,
                "a small pair in units of the small ones");
        assertEquals(0.002f, batchOf(split.large().apply(1, 0.006f), split.scale(), s).pairGaps[0][0], 1e-6f,
                "a large one's in units of the large ones");
    }

    /** {@code s} written as a checkpoint writes it and read back. */
    private static PairScaler roundTrip(PairScaler s) throws java.io.IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        s.write(new java.io.DataOutputStream(bytes));
        return PairScaler.readFrom(new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray())), true, true, true);
    }

    /** A batch of chunk {@code c} alone, every role's pairs on {@code scale} from {@code s}. */
    private static Batch batchOf(Chunk c, PairScale scale, PairScaler s) {
        return new Batch(java.util.List.of(c),
                java.util.Arrays.stream(dev.cohort.policy.Role.values()).mapToInt(r -> dev.cohort.policy.ObservationSpec.of(r).size()).toArray(),
                new int[]{5, 5, 5}, new int[]{0, 0, 0}, 1, new RewardScaler(false), java.util.List.of(), new RewardScaler[0], 0,
                new PairScale[]{scale, scale, scale}, s);
    }
}
