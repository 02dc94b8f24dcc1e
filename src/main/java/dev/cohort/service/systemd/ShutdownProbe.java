package dev.cohort.service.systemd;

import dev.cohort.service.config.RestorePolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Tells whether the system is shutting down or rebooting, for {@link RestorePolicy#NOT_AT_SHUTDOWN}. Like TuneD,
 * it asks systemd for its queued jobs ({@code systemctl list-jobs}) and looks for a shutdown, reboot, poweroff,
 * halt or kexec target among them. Without systemctl, or when it does not answer within two seconds, the answer
 * is "not shutting down", so the knobs are restored (the safe side).
 */
@FunctionalInterface
public interface ShutdownProbe {
    /** Targets whose queued start means the machine is going down. */
    List<String> TARGETS = List.of("shutdown.target", "reboot.target", "poweroff.target", "halt.target", "kexec.target");

    /** True when the machine is going down. */
    boolean shuttingDown();

    /** Asks systemd. */
    ShutdownProbe SYSTEMD = () -> {
        try {
            Process p = new ProcessBuilder("systemctl", "list-jobs", "--no-legend", "--no-pager")
                    .redirectErrorStream(true).start();
            if (!p.waitFor(2, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return jobsMeanShutdown(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    };

    /** True when {@code systemctl list-jobs} output lists a job for one of {@link #TARGETS}. */
    static boolean jobsMeanShutdown(String listJobs) {
        for (String line : listJobs.split("\n")) {
            String[] f = line.strip().split("\\s+");
            for (String word : f) {
                if (TARGETS.contains(word)) {
                    return true;
                }
            }
        }
        return false;
    }
}
