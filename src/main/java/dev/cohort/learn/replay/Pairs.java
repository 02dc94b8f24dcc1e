package dev.cohort.learn.replay;

/**
 * The paired advantages measured in one chunk ({@link dev.cohort.learn.algo.PairedAdvantage}), per role: for each
 * agent-step {@code t × agents + a}, the level tried in the branch ({@code −1}: that agent-step was not branched) and
 * the discounted reward of the branch at that level minus that of the branch at the level taken, in raw reward units.
 * Both arrays of a role are empty when none of its agent-steps was branched.
 *
 * @param tried   per role, {@code steps × agents} levels, or empty
 * @param gap     per role, {@code steps × agents} reward differences, or empty
 * @param episode the root mean square of every gap of the episode the chunk came from (0 when none was branched): the
 *                episode's own size of a level's worth ({@code pairedAdvantage.scale: perEpisode})
 */
public record Pairs(int[][] tried, float[][] gap, float episode) {
    /** No agent-step of any of {@code roles} roles branched. */
    public static Pairs none(int roles) {
        int[][] t = new int[roles][];
        float[][] g = new float[roles][];
        java.util.Arrays.fill(t, new int[0]);
        java.util.Arrays.fill(g, new float[0]);
        return new Pairs(t, g, 0);
    }

    public Pairs {
        if (tried.length != gap.length) {
            throw new IllegalArgumentException("pairs of " + tried.length + " roles with gaps of " + gap.length);
        }
        for (int r = 0; r < tried.length; r++) {
            if (tried[r].length != gap[r].length) {
                throw new IllegalArgumentException("pairs of " + tried[r].length + " agent-steps with " + gap[r].length + " gaps");
            }
        }
    }

    /** Agent-steps branched, over every role. */
    public int count() {
        int n = 0;
        for (int[] t : tried) {
            for (int level : t) {
                n += level >= 0 ? 1 : 0;
            }
        }
        return n;
    }
}
