package dev.cohort.balance;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The ways cohort can hold a power budget, selectable by name. Each runs the same policy: {@code mpc} moves the energy
 * price λ by model-predictive control with the learned dynamics model, {@code pi} by feedback, {@code rapl} sets the
 * hardware's long-term power limit (PL1) and leaves λ at its default, {@code governor} leaves λ alone and lets the safety governor step down the cores of domains that serve no
 * latency-critical work while power is over the budget.
 */
public enum BalancerKind {
    MPC("mpc", "model-predictive control of λ with the learned dynamics model (MaRCA's balancer)"),
    PI("pi", "a PI controller on λ (MaRCA's feedback variant)"),
    RAPL("rapl", "the hardware's long-term power limit, PL1, set to the budget"),
    GOVERNOR("governor", "the safety governor's clamp: cores without latency-critical work step down while over budget");

    private final String key;
    private final String description;

    BalancerKind(String key, String description) {
        this.key = key;
        this.description = description;
    }

    public String key() {
        return key;
    }

    public String description() {
        return description;
    }

    /** The names, for messages and help: {@code mpc, pi, rapl, governor}. */
    public static String names() {
        return Arrays.stream(values()).map(BalancerKind::key).collect(Collectors.joining(", "));
    }

    /**
     * @throws IllegalArgumentException naming the value and the balancers there are
     */
    public static BalancerKind parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        for (BalancerKind k : values()) {
            if (k.key.equals(t)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown balancer '" + text + "' (choose " + names() + ")");
    }
}
