package dev.cohort.service;

import dev.cohort.platform.CohortException;

/** The simulated machine as a daemon backend. */
final class SimBackend {
    private SimBackend() {
    }

    static Backend open(DaemonConfig cfg) {
        throw new CohortException("backend sim is not in this build yet (it arrives with the simulated machine); use backend linux");
    }
}
