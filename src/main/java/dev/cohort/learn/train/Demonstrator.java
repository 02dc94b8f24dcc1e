package dev.cohort.learn.train;

import dev.cohort.harness.oracle.OracleOptions;
import dev.cohort.harness.oracle.OraclePolicy;
import dev.cohort.learn.env.MarlEnv;
import dev.cohort.platform.CohortException;
import dev.cohort.platform.Topology;
import dev.cohort.policy.Policies;
import dev.cohort.policy.Policy;
import java.util.ArrayList;
import java.util.List;

/**
 * What acts in demonstration episodes ({@link Demonstrations}): a policy by name, reset before each episode, or the
 * hindsight oracle ({@code oracle}, or {@code blind-oracle} for one that does not know the arrivals' draws), which
 * searches copies of each episode's own run and so is built for that run and closed with it. One demonstrator serves
 * one collecting thread.
 */
abstract sealed class Demonstrator implements AutoCloseable {
    /** The oracle whose look-ahead meets another future of the arrivals ({@link OracleOptions#blind}). */
    static final String BLIND_ORACLE = "blind-oracle";
    /**
     * The futures the blind oracle averages over: on colocation (seed 3, 10 s) one future scores −8.71 per tick, below
     * slo-guard's −6.54; four score −4.13, against −2.43 for the oracle that sees the draws. Over whole runs of five
     * scenarios four are still below best-static on four ({@code docs/evaluation.md}).
     */
    static final int BLIND_FUTURES = 4;

    /** The policy that acts in the episode {@code env} was just reset to. */
    abstract Policy open(MarlEnv env);

    /** The episode {@link #open} began has ended. */
    void episodeEnded() {
    }

    @Override
    public void close() {
    }

    /**
     * The demonstrators {@code specs} names, comma-separated (each episode is then played by each and the best kept),
     * checked on {@code probe}'s machine: a misnamed policy fails at once with its one-line reason.
     */
    static List<Demonstrator> createAll(String specs, Topology probe) {
        List<Demonstrator> all = new ArrayList<>();
        try {
            for (String spec : specs.split(",")) {
                all.add(create(spec, probe));
            }
        } catch (CohortException e) {
            all.forEach(Demonstrator::close);
            throw e;
        }
        return all;
    }

    /** The demonstrator {@code spec} names, checked on {@code probe}'s machine. */
    static Demonstrator create(String spec, Topology probe) {
        boolean blind = spec.strip().equals(BLIND_ORACLE);
        if (spec.strip().equals(OraclePolicy.NAME) || blind) {
            OracleOptions.DEFAULT.policies().forEach(p -> Policies.create(p, probe).close());
            return new Oracle(OracleOptions.DEFAULT.withFutures(blind ? BLIND_FUTURES : 0));
        }
        return new Named(Policies.create(spec.strip(), probe));
    }

    /** A policy by name: the same instance every episode, reset before each. */
    static final class Named extends Demonstrator {
        private final Policy policy;

        Named(Policy policy) {
            this.policy = policy;
        }

        @Override
        Policy open(MarlEnv env) {
            policy.reset();
            return policy;
        }

        @Override
        public void close() {
            policy.close();
        }
    }

    /** The hindsight oracle, with its lock-step baselines, bound to each episode's run (simulator-only, as always). */
    static final class Oracle extends Demonstrator {
        private final OracleOptions options;
        private OraclePolicy current;

        Oracle(OracleOptions options) {
            this.options = options;
        }

        @Override
        Policy open(MarlEnv env) {
            episodeEnded();
            List<Policy> lockStep = new ArrayList<>();
            try {
                for (String p : options.policies()) {
                    lockStep.add(Policies.create(p, env.machine().topology()));
                }
            } catch (CohortException e) {
                lockStep.forEach(Policy::close);
                throw e;
            }
            current = new OraclePolicy(env.scenario(), env.options(), options, lockStep);
            current.attach(env.harness());
            return current;
        }

        @Override
        void episodeEnded() {
            if (current != null) {
                current.close();
                current = null;
            }
        }

        @Override
        public void close() {
            episodeEnded();
        }
    }
}
