package dev.cohort.learn.algo;

/**
 * Hyper-parameters of a learner (reference values and their sources: {@code docs/training.md}).
 *
 * @param gamma            discount per 100 ms tick
 * @param nStep            steps of reward before bootstrapping (value learners; 1 is plain TD)
 * @param lr               Adam learning rate (value learners; MADDPG's actors)
 * @param criticLr         Adam learning rate of MADDPG's critics
 * @param gradClip         global gradient-norm clip
 * @param huber            TD loss: 0 for the squared error, else the Huber threshold (in standardised reward units)
 * @param hidden           agent network hidden width
 * @param recurrent        agents with a GRU cell (else a two-layer MLP)
 * @param doubleQ          double-Q targets (online argmax, target value)
 * @param targetInterval   hard target update every this many updates (used when {@code tau} is 0)
 * @param tau              soft target update rate per update (0: hard updates)
 * @param mixerEmbed       mixing embedding width (QMIX, AWRQ)
 * @param hypernetHidden   hypernetwork hidden width (QMIX, AWRQ)
 * @param awrq             AWRQ's heads, adaptive weighting, VGCA and whether the mixer trains the agents
 * @param criticHidden     MADDPG critic hidden width
 * @param logitRegulariser MADDPG actor logit L2 weight
 * @param gumbelTemperature MADDPG Gumbel-softmax temperature
 * @param demoMargin       value learners: DQfD's large margin, the Q-value gap by which a demonstrated level must lead
 *                         every other (in standardised reward units)
 * @param demoWeight       value learners: weight of that margin loss on demonstration chunks (0: demonstrations are
 *                         only replayed)
 * @param valuedApart      value learners: the reward's terms learnt in heads of their own (energy {@code −β·λ·E},
 *                         progress {@code δ·P}), each on its own standardised scale beside the rest's, acted on by
 *                         their sum in reward units ({@code docs/training.md}, "Terms valued apart"); empty: one value
 * @param levelDegree      value learners: each agent's values a polynomial of this degree in the level
 *                         ({@link dev.cohort.learn.nn.LevelBasis}); 0: one value per level, as before
 * @param paired           value learners: paired advantages from the simulator and the weight of their loss
 *                         ({@link PairedAdvantage}); {@link PairedAdvantage#NONE}: none
 */
public record LearnerConfig(double gamma, int nStep, double lr, double criticLr, double gradClip, double huber, int hidden, boolean recurrent,
                            boolean doubleQ, int targetInterval, double tau, int mixerEmbed, int hypernetHidden,
                            AwrqConfig awrq, int criticHidden, double logitRegulariser, double gumbelTemperature,
                            double demoMargin, double demoWeight, java.util.List<dev.cohort.learn.replay.ValueTerm> valuedApart,
                            int levelDegree, PairedAdvantage paired) {
    /** The reference starting values (marl-and-simulation §3.4), with γ 0.95 for the 100 ms tick. */
    public static final LearnerConfig DEFAULT = new LearnerConfig(0.95, 1, 5e-4, 5e-4, 10, 0, 64, true, true, 200, 0, 32, 64,
            AwrqConfig.DEFAULT, 128, 1e-3, 1.0, 0.8, 1.0, java.util.List.of(), 0, PairedAdvantage.NONE);

    /** No paired advantages. */
    public LearnerConfig(double gamma, int nStep, double lr, double criticLr, double gradClip, double huber, int hidden,
                         boolean recurrent, boolean doubleQ, int targetInterval, double tau, int mixerEmbed, int hypernetHidden,
                         AwrqConfig awrq, int criticHidden, double logitRegulariser, double gumbelTemperature,
                         double demoMargin, double demoWeight, java.util.List<dev.cohort.learn.replay.ValueTerm> valuedApart,
                         int levelDegree) {
        this(gamma, nStep, lr, criticLr, gradClip, huber, hidden, recurrent, doubleQ, targetInterval, tau, mixerEmbed,
                hypernetHidden, awrq, criticHidden, logitRegulariser, gumbelTemperature, demoMargin, demoWeight, valuedApart,
                levelDegree, PairedAdvantage.NONE);
    }

    /** One value per level. */
    public LearnerConfig(double gamma, int nStep, double lr, double criticLr, double gradClip, double huber, int hidden,
                         boolean recurrent, boolean doubleQ, int targetInterval, double tau, int mixerEmbed, int hypernetHidden,
                         AwrqConfig awrq, int criticHidden, double logitRegulariser, double gumbelTemperature,
                         double demoMargin, double demoWeight, java.util.List<dev.cohort.learn.replay.ValueTerm> valuedApart) {
        this(gamma, nStep, lr, criticLr, gradClip, huber, hidden, recurrent, doubleQ, targetInterval, tau, mixerEmbed,
                hypernetHidden, awrq, criticHidden, logitRegulariser, gumbelTemperature, demoMargin, demoWeight, valuedApart, 0);
    }

    /** With no term valued apart. */
    public LearnerConfig(double gamma, int nStep, double lr, double criticLr, double gradClip, double huber, int hidden,
                         boolean recurrent, boolean doubleQ, int targetInterval, double tau, int mixerEmbed, int hypernetHidden,
                         AwrqConfig awrq, int criticHidden, double logitRegulariser, double gumbelTemperature,
                         double demoMargin, double demoWeight) {
        this(gamma, nStep, lr, criticLr, gradClip, huber, hidden, recurrent, doubleQ, targetInterval, tau, mixerEmbed,
                hypernetHidden, awrq, criticHidden, logitRegulariser, gumbelTemperature, demoMargin, demoWeight, java.util.List.of());
    }

    public LearnerConfig {
        if (!(gamma > 0 && gamma < 1)) {
            throw new IllegalArgumentException("gamma must be in (0, 1), got " + gamma);
        }
        if (nStep < 1) {
            throw new IllegalArgumentException("nStep must be at least 1, got " + nStep);
        }
        if (!(huber >= 0)) {
            throw new IllegalArgumentException("huber must be 0 (squared error) or a positive threshold, got " + huber);
        }
        if (!(lr > 0) || !(criticLr > 0)) {
            throw new IllegalArgumentException("learning rates must be positive");
        }
        if (hidden < 1 || mixerEmbed < 1 || hypernetHidden < 1 || criticHidden < 1) {
            throw new IllegalArgumentException("layer widths must be positive");
        }
        java.util.Objects.requireNonNull(awrq, "awrq");
        java.util.Objects.requireNonNull(paired, "paired");
        if (!(demoMargin >= 0) || !(demoWeight >= 0)) {
            throw new IllegalArgumentException("demonstrations: margin and weight must be at least 0");
        }
        // one order whatever the configuration's, so a run's heads and its fingerprint do not depend on how it was written
        valuedApart = java.util.List.copyOf(new java.util.TreeSet<>(valuedApart));
        if (levelDegree < 0) {
            throw new IllegalArgumentException("levelDegree must be 0 (one value per level) or a degree ≥ 1, got " + levelDegree);
        }
        if (targetInterval < 1 || tau < 0 || tau > 1) {
            throw new IllegalArgumentException("target updates: interval ≥ 1 and tau in [0, 1]");
        }
        if (paired.alone() && !valuedApart.isEmpty()
                && (!valuedApart.equals(java.util.List.of(dev.cohort.learn.replay.ValueTerm.ENERGY))
                || paired.scale() == dev.cohort.learn.replay.PairScale.EPISODE || !paired.roleScales().isEmpty())) {
            throw new IllegalArgumentException("pairs alone split only energy apart, on one scale that is not perEpisode");
        }
    }

    /**
     * Each pair's energy part and its rest are fitted apart, by the energy's group of heads and the rest's: energy valued
     * apart with pairs alone ({@code docs/training.md} §4, "The energy part of a pair").
     */
    public boolean pairsInParts() {
        return paired.alone() && valuedApart.contains(dev.cohort.learn.replay.ValueTerm.ENERGY);
    }
}
