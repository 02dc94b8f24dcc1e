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

    /**
     * Checks a baseline specification without creating the policy: the name, and {@code static}'s fractions.
     *
     * @throws CohortException one line saying what is wrong and the accepted form
     */
    public static void check(String spec) {
        String name = spec.strip();
        int colon = name.indexOf(':');
        String args = colon >= 0 ? name.substring(colon + 1) : "";
        name = colon >= 0 ? name.substring(0, colon) : name;
        if (!NAMES.contains(name) && !REFERENCES.contains(name)) {
            throw new CohortException("unknown policy '" + spec + "' (baselines: " + String.join(", ", NAMES) + ")");
        }
        if (!args.isEmpty() && !name.equals("static")) {
            throw new CohortException("policy '" + name + "' takes no options (only static does, e.g. static:core=0.5)");
        }
        if (name.equals("static")) {
            staticFractions(args);
        }
    }

    private static Policy staticPolicy(String args) {
        return new FixedLevelPolicy("static", staticFractions(args));
    }

    /** {@code core=0.5,memory=1}: each role once, each fraction a finite number in 0..1 (NaN and infinities refused). */
    private static EnumMap<Role, Double> staticFractions(String args) {
        var fractions = new EnumMap<Role, Double>(Role.class);
        if (args.isBlank()) {
            for (Role r : Role.values()) {
                fractions.put(r, 0.5);
            }
            return fractions;
        }
        for (String part : args.split(",", -1)) {
            String[] kv = part.split("=", 2);
            Role role;
            try {
                role = Role.parse(kv[0].strip());
            } catch (RuntimeException e) {
                throw new CohortException("static policy option '" + part
                        + "' is not role=fraction with role core, memory or quota (e.g. static:core=0.5)");
            }
            double v;
            try {
                v = kv.length == 2 ? Double.parseDouble(kv[1].strip()) : Double.NaN;
            } catch (NumberFormatException e) {
                v = Double.NaN;
            }
            if (!(v >= 0 && v <= 1) || kv.length != 2) {
                throw new CohortException("static policy option '" + part
                        + "': the fraction must be a finite number in 0..1 (e.g. static:core=0.5)");
            }
            if (fractions.put(role, v == 0 ? 0.0 : v) != null) {
                throw new CohortException("static policy option '" + part + "' sets " + role.id() + " twice");
            }
        }
        return fractions;
    }
}
