package dev.cohort.build.upward;

/**
 * Not part of cohort: a class that breaks the layer rule on purpose, so {@code LayerRuleTest} can show that the rule
 * reports an upward import. It is imported into the rule's check by that test alone.
 */
public final class UpwardImport {
    private UpwardImport() {
    }

    /** A platform-layer name reaching up into the service layer. */
    public static String version() {
        return dev.cohort.service.Daemon.version();
    }
}
