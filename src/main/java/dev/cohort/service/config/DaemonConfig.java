package dev.cohort.service.config;

import dev.cohort.control.ControllerConfig;
import dev.cohort.platform.CgroupRole;
import dev.cohort.platform.CohortException;
import dev.cohort.platform.CpuSet;
import dev.cohort.policy.Role;
import dev.cohort.service.metrics.Metrics;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The daemon's configuration, in the groups {@code configs/cohort.yaml} has: how it runs, where its files are, the
 * journal, the host, the simulated machine, the policies, the controller's settings, the cgroups and the metrics.
 * Read by {@link #load} ({@link DaemonConfigParser}: every error names the file, the line and the key). Immutable.
 *
 * @param source     the file it came from, or {@code built-in defaults}
 * @param run        period, backend, dry run, what to restore on exit
 * @param paths      the state directory and the status socket
 * @param journalFiles the journal's file and rotation
 * @param host       the Linux backend's options
 * @param sim        the simulated machine's options
 * @param policy     the policy per role and the fallback
 * @param controller levels, reward, governor limits, λ
 * @param cgroups    the managed cgroups, in order
 * @param metrics    the Prometheus endpoint
 * @param budget     the power budget and its balancer
 */
public record DaemonConfig(String source, Run run, Paths paths, JournalFiles journalFiles, Host host, Sim sim, PolicyChoice policy,
                           ControllerConfig controller, List<Cgroup> cgroups, Metrics metrics, Budget budget) {

    /** Where the daemon looks when {@code --config} is not given. */
    public static final Path DEFAULT_FILE = Path.of("/etc/cohort/cohort.yaml");
    /** The highest CPU number a CPU list in the configuration may name (8192 CPUs, the kernel's largest NR_CPUS). */
    public static final int MAX_CPU = 8191;
    /** Names inside the resctrl filesystem's root that are not groups cohort may create or throttle. */
    public static final List<String> RESCTRL_RESERVED = List.of("info", "mon_groups", "mon_data");

    /** Journal rotation defaults: at 128 CPUs and 10 ticks a second, over 6 hours within 256 MiB (docs/operations.md). */
    public static final long JOURNAL_MAX_SIZE = 32L << 20;
    public static final int JOURNAL_KEEP = 60;
    public static final long JOURNAL_MAX_TOTAL = 256L << 20;

    public DaemonConfig {
        cgroups = List.copyOf(cgroups);
    }

    /** The machine the daemon runs on. */
    public enum BackendKind {
        /** The real host (rooted at {@code host.root}). */
        LINUX,
        /** The simulated machine ({@code sim:}). */
        SIM;

        /** The name in the configuration and on the command line. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        @Override
        public String toString() {
            return id();
        }

        /** From its name; an unknown one is an error listing the names. */
        public static BackendKind parse(String text) {
            for (BackendKind k : values()) {
                if (k.id().equals(text.strip())) {
                    return k;
                }
            }
            throw new IllegalArgumentException("'" + text + "' is not a backend (linux or sim)");
        }
    }

    /**
     * How the daemon runs.
     *
     * @param periodNanos control period
     * @param backend     the real host or the simulated machine
     * @param dryRun      decide and journal, write nothing
     * @param restore     what to do with the knobs on exit
     */
    public record Run(long periodNanos, BackendKind backend, boolean dryRun, RestorePolicy restore) {
    }

    /**
     * Where the daemon keeps its files.
     *
     * @param stateDir holds the state file ({@code state.json}) and the lock ({@code cohort.lock})
     * @param socket   the status socket
     */
    public record Paths(Path stateDir, Path socket) {
    }

    /**
     * The JSON Lines journal.
     *
     * @param file          where it is written
     * @param maxBytes      rotate past this size
     * @param keep          rotated (gzipped) files kept
     * @param maxTotalBytes the journal's files together stay under this (the oldest rotated go first)
     * @param observations  each tick line also carries the agents' observations and measured package power, what
     *                      {@code cohort cost train --journal} trains the power estimator from
     */
    public record JournalFiles(Path file, long maxBytes, int keep, long maxTotalBytes, boolean observations) {
    }

    /**
     * The policies.
     *
     * @param byRole   policy per role (a baseline name or a learned model)
     * @param fallback the policy that decides when the configured one fails
     * @param lines    where each role's policy was written (for errors found at start)
     */
    public record PolicyChoice(Map<Role, String> byRole, String fallback, Map<Role, String> lines) {
        public PolicyChoice {
            byRole = Map.copyOf(byRole);
            lines = Map.copyOf(lines);
        }
    }

    /**
     * The Linux backend's options.
     *
     * @param root         filesystem root of sysfs, procfs and cgroupfs ({@code /}; a fake tree in tests)
     * @param reservedCpus CPUs whose frequency domains cohort never writes
     * @param resctrlGroup resctrl group for best-effort tasks
     * @param perf         open per-CPU perf counters
     */
    public record Host(Path root, CpuSet reservedCpus, String resctrlGroup, boolean perf) {
    }

    /**
     * The simulated machine.
     *
     * @param scenario a built-in scenario name or a scenario YAML file
     * @param seed     random seed
     */
    public record Sim(String scenario, long seed) {
    }

    /**
     * The Prometheus endpoint.
     *
     * @param enabled serve it
     * @param address address to bind, {@code 127.0.0.1} by default
     * @param port    TCP port; 0 picks a free one (tests; the status shows it)
     */
    public record Metrics(boolean enabled, String address, int port) {
    }

    /**
     * A managed cgroup.
     *
     * @param name        short name for status, metrics, the journal and {@code cohort tune}
     * @param path        path relative to the cgroup hierarchy root
     * @param role        latency-critical or best-effort
     * @param sloUsec     latency target at {@code sloQuantile}, µs (0: none)
     * @param sloQuantile quantile the target applies to
     * @param latency     where its latency comes from on a real host
     * @param referenceInstructionsPerSec a best-effort job's instructions per second alone, unthrottled, at the top
     *                    frequency: what its progress in the reward is measured against (NaN: the highest rate seen
     *                    over the last five minutes stands in; see docs/control.md)
     */
    public record Cgroup(String name, String path, CgroupRole role, long sloUsec, double sloQuantile, LatencySpec latency,
                         double referenceInstructionsPerSec) {
    }

    /**
     * The package power budget and what holds it ({@code docs/balance.md}, In the daemon).
     *
     * @param spec       the budget: watts, or a percent of the TDP the daemon normalises energy by ({@code host.tdp};
     *                   the simulated machine's peak power); null when none is configured
     * @param balancer   what holds it
     * @param stepNanos  the balancer's step and judging window: a whole number of periods
     * @param lambdaMax  the highest λ a balancer may set
     * @param idleWatts  {@code host.idle_power}: what the host draws idle, W, below which no budget is accepted; NaN
     *                   when not configured (the simulated machine knows its own)
     * @param alias      true when the budget came from the deprecated {@code governor.power_budget}
     * @param where      {@code FILE:LINE: power_budget}, for errors found when the budget meets the machine
     * @param dynamicsModel the dynamics model {@code mpc} plans with ({@code dynamics_model}: a directory holding
     *                   {@code dynamics.onnx}, or the file; by default the shipped {@code models/dynamics})
     * @param costModel  the cost estimator's directory ({@code cost_model}; by default the shipped {@code models/cost})
     * @param costModelSet true when {@code cost_model} was given: then it is loaded on every host (its power predicted
     *                   beside RAPL's), and a missing one is an error; unset, the shipped one stands in where the host
     *                   has no RAPL, if it is there
     */
    public record Budget(dev.cohort.balance.BudgetSpec spec, dev.cohort.balance.BalancerKind balancer, long stepNanos,
                         double lambdaMax, double idleWatts, boolean alias, String where, Path dynamicsModel, Path costModel,
                         boolean costModelSet) {
        /** No budget, the defaults otherwise. */
        public static final Budget NONE = new Budget(null, dev.cohort.balance.BalancerKind.RAPL,
                dev.cohort.balance.BudgetLoop.DEFAULT_STEP_NANOS, dev.cohort.balance.BudgetLoop.DEFAULT_LAMBDA_MAX, Double.NaN,
                false, "power_budget", dev.cohort.balance.BudgetLoop.Pricing.DEFAULT.dynamics(),
                dev.cohort.balance.cost.CostModel.defaultDir(), false);
    }

    /**
     * Loads {@code file}; when {@code file} is null the default file is read if it exists, else built-in defaults.
     *
     * @throws CohortException naming file, line and key on any error
     */
    public static DaemonConfig load(Path file) {
        return DaemonConfigParser.load(file);
    }

    /** Parses a configuration document; {@code file} names it in errors. */
    public static DaemonConfig parse(String file, String yaml) {
        return DaemonConfigParser.parse(file, yaml);
    }

    // the groups' values by the names the rest of the daemon uses

    public long periodNanos() {
        return run.periodNanos();
    }

    public BackendKind backend() {
        return run.backend();
    }

    /** True on the real host. */
    public boolean linux() {
        return run.backend() == BackendKind.LINUX;
    }

    public boolean dryRun() {
        return run.dryRun();
    }

    public RestorePolicy restore() {
        return run.restore();
    }

    public Path stateDir() {
        return paths.stateDir();
    }

    public Path socket() {
        return paths.socket();
    }

    public Path journal() {
        return journalFiles.file();
    }

    public long journalMaxBytes() {
        return journalFiles.maxBytes();
    }

    public int journalKeep() {
        return journalFiles.keep();
    }

    public long journalMaxTotalBytes() {
        return journalFiles.maxTotalBytes();
    }

    public boolean journalObservations() {
        return journalFiles.observations();
    }

    public Map<Role, String> policies() {
        return policy.byRole();
    }

    public String fallback() {
        return policy.fallback();
    }

    public Map<Role, String> policyLines() {
        return policy.lines();
    }

    /** The state file (originals saved before the first write). */
    public Path stateFile() {
        return stateDir().resolve("state.json");
    }

    /** The lock file that makes one cohort the only writer. */
    public Path lockFile() {
        return stateDir().resolve("cohort.lock");
    }

    /** A copy with another backend or dry-run flag (command-line options win over the file). */
    public DaemonConfig with(String backendName, Boolean dryRunFlag) {
        BackendKind b;
        try {
            b = backendName == null ? run.backend() : BackendKind.parse(backendName);
        } catch (IllegalArgumentException e) {
            throw new CohortException("--backend: " + e.getMessage());
        }
        return withRun(new Run(run.periodNanos(), b, dryRunFlag == null ? run.dryRun() : dryRunFlag, run.restore()));
    }

    /** A copy with another control period. */
    public DaemonConfig withPeriod(long nanos) {
        return withRun(new Run(nanos, run.backend(), run.dryRun(), run.restore()));
    }

    /** A copy with another run group. */
    public DaemonConfig withRun(Run r) {
        return new DaemonConfig(source, r, paths, journalFiles, host, sim, policy, controller, cgroups, metrics, budget);
    }
}
