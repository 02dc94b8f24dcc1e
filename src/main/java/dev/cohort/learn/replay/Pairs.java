package dev.cohort.learn.replay;

/**
 * The paired advantages measured in one chunk ({@link dev.cohort.learn.algo.PairedAdvantage}), per role: for each
 * agent-step {@code t × agents + a}, the level tried in the branch ({@code −1}: that agent-step was not branched) and
 * the discounted reward of the branch at that level minus that of the branch at the level taken, in raw reward units.
 * Both arrays of a role are empty when none of its agent-steps was branched. Each gap's energy part ({@code −β·λ·E}'s
 * share of it) is kept beside it, so that a learner valuing energy apart can fit the two parts apart
 * ({@code docs/training.md} §4, "The energy part of a pair").
 *
 * @param tried   per role, {@code steps × agents} levels, or empty
 * @param gap     per role, {@code steps × agents} reward differences, or empty
 * @param energy  per role, the energy part of each gap, or empty where not kept (pairs from checkpoints before it was)
 * @param episode the root mean square of every gap of the episode the chunk came from (0 when none was branched): the
 *                episode's own size of a level's worth ({@code pairedAdvantage.scale: perEpisode})
 */
public record Pairs(int[][] tried, float[][] gap, float[][] energy, float episode) {
    /** No agent-step of any of {@code roles} roles branched. */
    public static Pairs none(int roles) {
        int[][] t = new int[roles][];
        java.util.Arrays.fill(t, new int[0]);
        return new Pairs(t, empty(roles), empty(roles), 0);
    }

    private static float[][] empty(int roles) {
        float[][] e = new float[roles][];
        java.util.Arrays.fill(e, new float[0]);
        return e;
    }

    public Pairs {
        if (tried.length != gap.length || tried.length != energy.length) {
            throw new IllegalArgumentException("pairs of " + tried.length + " roles with gaps of " + gap.length
                    + " and energy parts of " + energy.length);
        }
        for (int r = 0; r < tried.length; r++) {
            if (tried[r].length != gap[r].length) {
                throw new IllegalArgumentException("pairs of " + tried[r].length + " agent-steps with " + gap[r].length + " gaps");
            }
            if (energy[r].length != 0 && energy[r].length != gap[r].length) {
                throw new IllegalArgumentException("pairs of " + gap[r].length + " gaps with " + energy[r].length + " energy parts");
            }
        }
    }

    /** A part of each gap: the whole, its energy part, or the rest. */
    public enum Part {
        WHOLE, ENERGY, REST;

        /** This part of role {@code r}'s agent-step {@code i}'s gap in {@code p}. */
        public float of(Pairs p, int r, int i) {
            return switch (this) {
                case WHOLE -> p.gap[r][i];
                case ENERGY -> p.energy(r, i);
                case REST -> p.rest(r, i);
            };
        }
    }

    /** The energy part of role {@code r}'s agent-step {@code i}'s gap: 0 where it was not kept. */
    public float energy(int r, int i) {
        return energy[r].length == tried[r].length ? energy[r][i] : 0;
    }

    /** The rest of role {@code r}'s agent-step {@code i}'s gap: the gap without its energy part. */
    public float rest(int r, int i) {
        return gap[r][i] - energy(r, i);
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
