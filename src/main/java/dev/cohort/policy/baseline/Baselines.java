package dev.cohort.policy.baseline;

import dev.cohort.platform.CohortException;
import dev.cohort.policy.Policy;
import dev.cohort.policy.Role;
import java.util.EnumMap;
import java.util.List;

/** Creates the baseline policies by name. */
public final class Baselines {
    /** Names accepted by {@link #create}. */
    public static final List<String> NAMES = List.of("performance", "powersave", "ondemand", "schedutil", "static", "slo-guard");
    /**
     * Rules {@link #create} also makes that are not comparison baselines: {@code headroom} ({@link HeadroomPolicy}) is
     * fitted to the simulator and serves as a reference and as a training demonstrator.
     */
    public static final List<String> REFERENCES = List.of("headroom");

    private Baselines() {
    }

    /**
     * Creates a baseline. {@code static} takes its levels as fractions of each range after a colon, e.g.
     * {@code static:core=0.5,memory=1,quota=1} (a role left out is not touched; bare {@code static} holds
     * every knob at the middle of its range).
     *
     * @throws CohortException naming the allowed names when {@code spec} is not a baseline
     */
    public static Policy create(String spec) {
        String name = spec.strip();
        String args = "";
        int colon = name.indexOf(':');
        if (colon >= 0) {
            args = name.substring(colon + 1);
            name = name.substring(0, colon);
        }
        if (!args.isEmpty() && !name.equals("static")) {
            throw new CohortException("policy '" + name + "' takes no options (only static does, e.g. static:core=0.5)");
        }
        return switch (name) {
            case "performance" -> FixedLevelPolicy.performance();
            case "powersave" -> FixedLevelPolicy.powersave();
            case "ondemand" -> new OndemandPolicy(OndemandPolicy.DEFAULT_UP_THRESHOLD);
            case "schedutil" -> new SchedutilPolicy();
            case "static" -> staticPolicy(args);
            case "slo-guard" -> new SloGuardPolicy(0.10, 0.30);
            case "headroom" -> new HeadroomPolicy(HeadroomPolicy.Params.FRONTIER);
            default -> throw new CohortException("unknown policy '" + spec + "' (baselines: " + String.join(", ", NAMES)
                    + "; reference rules: " + String.join(", ", REFERENCES) + ")");
        };
    }

    /** True when {@code spec} names a baseline. */
    public static boolean isBaseline(String spec) {
        String n = spec.strip();
        int colon = n.indexOf(':');
        return NAMES.contains(colon >= 0 ? n.substring(0, colon) : n);
    }

    private static Policy staticPolicy(String args) {
        var fractions = new EnumMap<Role, Double>(Role.class);
        if (args.isBlank()) {
            for (Role r : Role.values()) {
                fractions.put(r, 0.5);
            }
        } else {
            for (String part : args.split(",")) {
                String[] kv = part.split("=", 2);
                try {
                    double v = Double.parseDouble(kv[1].strip());
                    if (v < 0 || v > 1) {
                        throw new NumberFormatException();
                    }
                    fractions.put(Role.parse(kv[0]), v);
                } catch (RuntimeException e) {
                    throw new CohortException("static policy option '" + part
                            + "' is not role=fraction with role core, memory or quota and fraction 0..1 (e.g. static:core=0.5)");
                }
            }
        }
        return new FixedLevelPolicy("static", fractions);
    }
}
