package dev.cohort.policy;

import java.util.List;

/** Contracts and provenance for tests. */
public final class TestModels {
    private TestModels() {
    }

    /** A provenance as the trainer would stamp it. */
    public static ModelProvenance provenance() {
        return ModelProvenance.here(List.of("steady-web", "batch-mix"), 42, "abc1234", "cohort test");
    }

    /** The contract of a role's network trained here on this build's spec. */
    public static ModelContract contract(Role r, int levels, int hidden) {
        return ModelContract.forSpec(new ActionSpace(r, levels), ModelContract.Decoding.ARGMAX, hidden, "qmix", provenance());
    }
}
