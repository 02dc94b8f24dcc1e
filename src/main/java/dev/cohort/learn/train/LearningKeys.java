package dev.cohort.learn.train;

import dev.cohort.learn.algo.Algorithm;
import dev.cohort.learn.algo.LearnerConfig;
import dev.cohort.platform.ConfigNode;

/** The {@code learning:} keys of a training configuration that are checked against the learner ({@link TrainConfig}). */
final class LearningKeys {
    private LearningKeys() {
    }

    /** Refuses, for MADDPG, the keys only value learners have. */
    static void valueLearnersOnly(LearnerConfig lc, Algorithm alg, ConfigNode net, ConfigNode learn) {
        if (lc.levelDegree() > 0 && !alg.valueBased()) {
            throw net.error("levelDegree", "only the value learners (iql, vdn, qmix, awrq) keep their values polynomial in the "
                    + "level; remove it for " + alg.id());
        }
        if (lc.paired().on() && !alg.valueBased()) {
            throw learn.error("pairedAdvantage", "only the value learners (iql, vdn, qmix, awrq) learn from paired advantages; "
                    + "remove it for " + alg.id());
        }
        if (!lc.valuedApart().isEmpty() && !alg.valueBased()) {
            throw learn.error("valuedApart", "only the value learners (iql, vdn, qmix, awrq) value terms apart; remove it for "
                    + alg.id());
        }
    }

    /**
     * {@code learning.pairedAdvantage: {every: 10, horizon: 3, weight: 1, alone: false, scale: reward, draw: agents,
     * balance: none, hold: false, reach: 0, roles: [core, memory, quota]}};
     * none when absent. {@code scale} is {@code reward}, {@code perScenario}, {@code perEpisode}, {@code perState}, {@code perBand} or {@code perStep}, or
     * a mapping by role of those ({@code {core: reward, quota: perScenario}}, a role left out on the reward's scale).
     */
    static dev.cohort.learn.algo.PairedAdvantage paired(ConfigNode learn) {
        if (!learn.has("pairedAdvantage")) {
            return dev.cohort.learn.algo.PairedAdvantage.NONE;
        }
        ConfigNode p = learn.mapping("pairedAdvantage").allow("every", "horizon", "weight", "alone", "scale", "draw",
                "balance", "hold", "reach", "roles");
        boolean alone = p.bool("alone", false);
        double weight = p.number("weight", 1, 0, 1e6);
        if (alone && weight == 0) {
            throw p.error("weight", "must be positive when alone is true (the levels' differences come only from the pairs)");
        }
        var scale = dev.cohort.learn.replay.PairScale.REWARD;
        var roleScales = new java.util.EnumMap<dev.cohort.policy.Role, dev.cohort.learn.replay.PairScale>(
                dev.cohort.policy.Role.class);
        if (p.isMapping("scale")) { // one per role: {core: reward, memory: perScenario, quota: perScenario}
            ConfigNode byRole = p.mapping("scale").allow("core", "memory", "quota");
            for (var r : dev.cohort.policy.Role.values()) {
                roleScales.put(r, pairScale(byRole, r.id(), "reward"));
            }
        } else {
            scale = pairScale(p, "scale", "reward");
        }
        if (alone && learn.has("valuedApart")) { // the pairs keep their energy part, and only that, apart
            if (!learn.strings("valuedApart", java.util.List.of()).equals(java.util.List.of("energy"))) {
                throw p.error("alone", "with pairs alone only energy can be valued apart: use valuedApart: [energy]");
            }
            if (!roleScales.isEmpty() || scale == dev.cohort.learn.replay.PairScale.EPISODE) {
                throw p.error("scale", "with pairs alone and energy valued apart, one scale for every role, not perEpisode");
            }
        }
        String draw = p.text("draw", "agents");
        if (!draw.equals("agents") && !draw.equals("roles")) {
            throw p.error("draw", "agents or roles, got '" + draw + "'");
        }
        String balance = p.text("balance", "none");
        if (!balance.equals("none") && !balance.equals("scenarios")) {
            throw p.error("balance", "none or scenarios, got '" + balance + "'");
        }
        var roles = java.util.EnumSet.noneOf(dev.cohort.policy.Role.class);
        for (String id : p.strings("roles", java.util.List.of("core", "memory", "quota"))) {
            try {
                roles.add(dev.cohort.policy.Role.parse(id));
            } catch (IllegalArgumentException e) {
                throw p.error("roles", "core, memory or quota, got '" + id + "'");
            }
        }
        return new dev.cohort.learn.algo.PairedAdvantage(p.intValue("every", 10, 1, 1_000_000),
                p.intValue("horizon", 3, 1, 1000), weight, alone, scale, draw.equals("roles"), roleScales,
                balance.equals("scenarios"), p.bool("hold", false), p.intValue("reach", 0, 0, 100), roles);
    }

    private static dev.cohort.learn.replay.PairScale pairScale(ConfigNode node, String key, String def) {
        String written = node.text(key, def);
        return switch (written) {
            case "reward" -> dev.cohort.learn.replay.PairScale.REWARD;
            case "perScenario" -> dev.cohort.learn.replay.PairScale.SCENARIO;
            case "perEpisode" -> dev.cohort.learn.replay.PairScale.EPISODE;
            case "perState" -> dev.cohort.learn.replay.PairScale.STATE;
            case "perBand" -> dev.cohort.learn.replay.PairScale.BAND;
            case "perStep" -> dev.cohort.learn.replay.PairScale.STEP;
            default -> throw node.error(key, "reward, perScenario, perEpisode, perState, perBand or perStep, got '" + written + "'");
        };
    }

    /** How rewards are standardised for learning. */
    enum Standardise { OFF, RUN, PER_SCENARIO }

    /** {@code learning.standardiseRewards}: {@code true} (the default: over the run), {@code false}, or {@code perScenario}. */
    static Standardise standardise(ConfigNode learn, LearnerConfig lc) {
        String v = learn.text("standardiseRewards", "true");
        Standardise s = switch (v) {
            case "true" -> Standardise.RUN;
            case "false" -> Standardise.OFF;
            case "perScenario" -> Standardise.PER_SCENARIO;
            default -> throw learn.error("standardiseRewards", "true, false or perScenario, got '" + v + "'");
        };
        if (s == Standardise.PER_SCENARIO && !lc.valuedApart().isEmpty()) {
            throw learn.error("standardiseRewards", "perScenario and valuedApart together are not supported: remove one");
        }
        return s;
    }

    /**
     * {@code optimiser.lrEnd} and {@code optimiser.lrDecayTicks}: the rate {@code lr} falls to linearly, and over how many
     * ticks; neither written: no decay. One without the other, or an end above {@code lr}, is refused naming the fix.
     */
    static LrDecay lrDecay(ConfigNode opt, double lr) {
        if (!opt.has("lrEnd") && !opt.has("lrDecayTicks")) {
            return LrDecay.NONE;
        }
        if (!opt.has("lrEnd") || !opt.has("lrDecayTicks")) {
            String missing = opt.has("lrEnd") ? "lrDecayTicks" : "lrEnd";
            throw opt.error(missing, "missing: a decay needs both lrEnd (the rate it falls to) and lrDecayTicks (over how many "
                    + "ticks); add " + missing + " or remove the other");
        }
        double end = opt.number("lrEnd", lr, 1e-9, 1);
        if (end > lr) {
            throw opt.error("lrEnd", end + " is above lr " + lr + ": the rate decays, so lrEnd must be at most lr");
        }
        return new LrDecay(end / lr, opt.integer("lrDecayTicks", 1, 1, Long.MAX_VALUE / 4));
    }

    /** {@code learning.energyCredit}: {@code team} (the default) or {@code domain}; checked against the learner. */
    static boolean energyCredit(ConfigNode learn, Algorithm alg, LearnerConfig lc) {
        String v = learn.text("energyCredit", "team");
        if (v.equals("team")) {
            return false;
        }
        if (!v.equals("domain")) {
            throw learn.error("energyCredit", "team or domain, got '" + v + "'");
        }
        if (alg != Algorithm.IQL && alg != Algorithm.AWRQ) {
            throw learn.error("energyCredit", "domain credit needs agents that learn from their own TD errors (iql, awrq); "
                    + alg.id() + "'s learn through the mixer: remove it");
        }
        if (!lc.valuedApart().isEmpty()) {
            throw learn.error("energyCredit", "domain credit and valuedApart together are not supported: remove one");
        }
        return true;
    }
}
