package dev.cohort.service;

import dev.cohort.control.Controller;
import dev.cohort.platform.TelemetryInterval;
import dev.cohort.platform.sim.SimMachine;
import dev.cohort.policy.Role;
import dev.cohort.service.metrics.Metrics;

/**
 * Whether a power limit (PL1) holds cores under the frequency the policy set, now: when the {@code rapl} balancer's
 * budget binds. The simulated machine knows its ceiling; on a host, a busy domain (over half its time) running more
 * than 5% under the maximum frequency cohort holds there.
 */
final class PowerLimitThrottling {
    private PowerLimitThrottling() {
    }

    static boolean now(Started started, Controller controller) {
        if (started.backend().platform() instanceof SimMachine m) {
            long top = m.scenario().machine().dvfs().maxKhz();
            for (int p = 0; p < m.topology().packageCount(); p++) {
                if (m.powerLimitCeilingKhz(p) < top) {
                    return true;
                }
            }
            return false;
        }
        var s = started.platform().samples();
        TelemetryInterval iv = s == null ? null : s.interval();
        if (iv == null) {
            return false;
        }
        var layout = controller.layout();
        for (int a = 0; a < layout.agents(Role.CORE); a++) {
            var fd = started.platform().topology().frequencyDomains().get(layout.coreDomain(a));
            if (Metrics.meanOver(iv, fd, false) > 0.5 && Metrics.meanOver(iv, fd, true) < 0.95 * controller.knobs().freqKhz(a)) {
                return true;
            }
        }
        return false;
    }
}
