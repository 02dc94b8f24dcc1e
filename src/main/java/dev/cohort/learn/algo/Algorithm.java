package dev.cohort.learn.algo;

import java.util.Locale;

/** The multi-agent algorithms cohort trains. */
public enum Algorithm {
    /** Independent Q-learning: each agent learns Q_i from the shared reward, no mixer. */
    IQL,
    /** Value decomposition networks: Q_tot = Σ Q_i. */
    VDN,
    /** QMIX: Q_tot a monotonic mixture of the Q_i, weights from hypernetworks on the global state. */
    QMIX,
    /** MaRCA's adaptive-weighting recurrent Q-mixer: K value heads per agent, VGCA, a softplus mixer ({@link AwrqLoss}). */
    AWRQ,
    /** MADDPG: actors with centralised critics, Gumbel-softmax over the discrete levels. */
    MADDPG;

    /** Lower-case name as in configuration files and model contracts. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for the value-based algorithms (ε-greedy over Q-values; one TD loss). */
    public boolean valueBased() {
        return this != MADDPG;
    }

    /** Parses {@code iql}, {@code vdn}, {@code qmix}, {@code awrq} or {@code maddpg}. */
    public static Algorithm parse(String s) {
        for (Algorithm a : values()) {
            if (a.id().equals(s.strip().toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown algorithm '" + s + "' (allowed: iql, vdn, qmix, awrq, maddpg)");
    }
}
