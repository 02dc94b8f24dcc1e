package dev.cohort.service;

import dev.cohort.control.Controller;
import dev.cohort.service.config.DaemonConfig;

/**
 * What the daemon runs with now: the configuration and the controller built from it. Immutable; a reload builds a new
 * one and the daemon swaps it in one place ({@link Daemon#swap}), so the status and metrics threads always see a
 * configuration and a controller that belong together.
 */
record Running(DaemonConfig cfg, Controller controller) {
}
