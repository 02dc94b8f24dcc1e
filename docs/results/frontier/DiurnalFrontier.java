/*
 * A probe, not part of cohort: how much package energy can a frequency policy save on the `diurnal` scenario
 * while keeping the share of ticks over the SLO at most slo-guard's (0.0007)? Two policy families are searched
 * on seeds 1-5 and the best found are confirmed once on the evaluation seeds 101-105. See README.md beside it.
 *
 * Run (JDK 25, after building the project):
 *   $JAVA_HOME/bin/java -cp target/classes:$(cat target/runtime.classpath) docs/results/frontier/DiurnalFrontier.java all
 * Modes: baselines | rule | oracle | all   (options: --budget-rule N --budget-oracle N --csv PATH --rng N)
 *        select FAMILY THRESHOLD K        the K lowest-energy distinct points of FAMILY with tick share <= THRESHOLD
 *                                         on seeds 1-5 in the CSV are scored on the validation seeds 6-25; the
 *                                         lowest-energy one within THRESHOLD on 6-25 too is confirmed on 101-105
 *                                         (rows appended to the CSV)
 *        point FAMILY "PARAMS" SEEDS      scores one parameter set (as printed in the CSV) on seeds, e.g. 6-25,
 *                                         (FAMILY rule, oracle, or baseline with PARAMS a baseline's name)
 *                                         per seed; prints only, writes no CSV
 *
 * Every run goes through the product's own control tick (dev.cohort.control.Controller) with the evaluation
 * governor (SimRunner.EVALUATION_GOVERNOR), exactly as SimRunner.run does; only the Policy object differs.
 */

import dev.cohort.control.Controller;
import dev.cohort.control.ControllerConfig;
import dev.cohort.control.Journal;
import dev.cohort.control.TickRecord;
import dev.cohort.eval.RunMetrics;
import dev.cohort.eval.RunResult;
import dev.cohort.eval.SimRunner;
import dev.cohort.platform.Telemetry;
import dev.cohort.platform.TelemetryInterval;
import dev.cohort.platform.sim.ArrivalSpec;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.Scenarios;
import dev.cohort.platform.sim.ServiceSpec;
import dev.cohort.platform.sim.SimMachine;
import dev.cohort.policy.Decision;
import dev.cohort.policy.ObservationSpec;
import dev.cohort.policy.Observations;
import dev.cohort.policy.Policies;
import dev.cohort.policy.Policy;
import dev.cohort.policy.Role;
import dev.cohort.policy.RoleObservations;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;

public class DiurnalFrontier {
    static final long[] SEARCH_SEEDS = {1, 2, 3, 4, 5};
    static final long[] EVAL_SEEDS = {101, 102, 103, 104, 105};
    /** Tick-share thresholds of the frontier; the first is the bar (slo-guard's 0.0007 on 101-105). */
    static final double[] THRESHOLDS = {0.0007, 0.002, 0.005, 0.01};

    static final int UTIL = ObservationSpec.CORE.index("util");
    static final int STALL = ObservationSpec.CORE.index("stall");
    static final int SLACK = ObservationSpec.CORE.index("lc_slack");
    static final int PRESSURE = ObservationSpec.CORE.index("lc_pressure");

    static Scenario sc;
    static double fMinGhz;
    static double fMaxGhz;
    static int levels;
    static PrintWriter csv;
    static int evals;
    static final long START = System.nanoTime();

    // ---------------------------------------------------------------------------------------------- running

    /** Mean over seeds of one policy: energy (J), tick share, violated ticks in all, LC p99 (ms), fallbacks. */
    record Score(double energy, double share, long violatedTicks, double p99, long fallbacks) {
    }

    /** One run through the controller, as SimRunner.run does it, with a Policy object instead of a spec. */
    static RunMetrics runOnce(Policy policy, long seed) {
        SimMachine m = new SimMachine(sc, seed);
        ControllerConfig cfg = ControllerConfig.DEFAULT.withHost(m.peakPackageWatts(), m.memPeakBytesPerSec())
                .withGovernor(SimRunner.EVALUATION_GOVERNOR);
        long ticks = SimRunner.ticks(sc, SimRunner.Options.defaults());
        List<TickRecord> records = new ArrayList<>((int) ticks);
        policy.reset();
        try (Policy fallback = Policies.create("performance", m.topology())) {
            Telemetry first = m.sample();
            Controller c = new Controller(m, cfg, policy, fallback, Journal.NONE, false);
            for (long i = 0; i < ticks; i++) {
                m.advance(sc.tickNanos());
                records.add(c.tick());
            }
            if (c.fallbacks() > 0) {
                throw new IllegalStateException(policy.name() + " failed in " + c.fallbacks() + " ticks");
            }
            Telemetry last = m.sample();
            return RunMetrics.of(TelemetryInterval.between(first, last), m.topology(), records, m::nominalInstructionsPerSec);
        }
    }

    static Score score(Supplier<Policy> make, long[] seeds) {
        double e = 0, s = 0, p = 0;
        long v = 0;
        long ticks = sc.ticks();
        for (long seed : seeds) {
            Policy pol = make.get();
            RunMetrics r = runOnce(pol, seed);
            e += r.energyJoules();
            s += r.sloViolationTickShare();
            v += Math.round(r.sloViolationTickShare() * ticks);
            p += r.lcP99Ms();
        }
        evals++;
        return new Score(e / seeds.length, s / seeds.length, v, p / seeds.length, 0);
    }

    static Score baseline(String spec, long[] seeds) {
        double e = 0, s = 0, p = 0;
        long v = 0;
        for (long seed : seeds) {
            RunResult r = SimRunner.run(sc, spec, seed, SimRunner.Options.defaults().withTimeline(false));
            e += r.metrics().energyJoules();
            s += r.metrics().sloViolationTickShare();
            v += Math.round(r.metrics().sloViolationTickShare() * sc.ticks());
            p += r.metrics().lcP99Ms();
        }
        return new Score(e / seeds.length, s / seeds.length, v, p / seeds.length, 0);
    }

    static double perfSearch;
    static double perfEval;

    static String seedsText(long[] seeds) {
        return seeds[0] + "-" + seeds[seeds.length - 1];
    }

    static void log(String family, String phase, String params, long[] seeds, Score s) {
        double perf = seeds == EVAL_SEEDS ? perfEval : perfSearch;
        double saving = 100 * (1 - s.energy() / perf);
        String line = String.format(Locale.ROOT, "%s,%s,%s,%.2f,%.3f,%.6f,%d,%.3f,%.1f,\"%s\"",
                family, phase, seedsText(seeds), s.energy(), saving, s.share(), s.violatedTicks(), s.p99(),
                (System.nanoTime() - START) / 1e9, params);
        csv.println(line);
        csv.flush();
        System.out.println(line);
    }

    // ---------------------------------------------------------------------------------------------- levels

    static double ghz(int level) {
        return fMinGhz + (fMaxGhz - fMinGhz) * level / (levels - 1);
    }

    static int clampLevel(int l) {
        return Math.max(0, Math.min(levels - 1, l));
    }

    // ---------------------------------------------------------------------------------------------- family 1

    /**
     * A causal per-core rule. Each tick, for core a, from its own observation only (util, stall share, current
     * level, the service's p99 slack over the last tick, the service's CPU pressure):
     * <ul>
     * <li>u = util, optionally pushed up by its rise since the last tick (trend·(u − u_prev), only when rising);</li>
     * <li>projected utilisation at level L: u·((1−s)·f_cur/f_L + s) with s the stall share (stalls do not scale);</li>
     * <li>target: the lowest L with projected util ≤ tau_a, where tau_a = tau − tauSlope·(1 − a/7) (busy, low-index
     *     cores can be given more headroom); lowering only when it also holds at tau_a − hyst (hysteresis);</li>
     * <li>never below floor_a = floor − round(floorDrop·a/7); to the top when u > up;</li>
     * <li>slack boost: slack < slack1 → +boost1 levels; slack < slack2 → top; pressure > press → +boostP levels.</li>
     * </ul>
     */
    record RuleParams(int floor, double floorDrop, double tau, double tauSlope, double hyst, double up, double trend,
                      double slack1, int boost1, double slack2, double press, int boostP) {
        static final String[] NAMES = {"floor", "floorDrop", "tau", "tauSlope", "hyst", "up", "trend", "slack1",
                "boost1", "slack2", "press", "boostP"};

        double[] vec() {
            return new double[]{floor, floorDrop, tau, tauSlope, hyst, up, trend, slack1, boost1, slack2, press, boostP};
        }

        static RuleParams of(double[] v) {
            return new RuleParams((int) Math.round(v[0]), v[1], v[2], v[3], v[4], v[5], v[6], v[7],
                    (int) Math.round(v[8]), v[9], v[10], (int) Math.round(v[11]));
        }

        @Override
        public String toString() {
            // Doubles in full (shortest round-trip form), so that a printed parameter set is exactly the policy scored.
            return "floor=" + floor + " floorDrop=" + floorDrop + " tau=" + tau + " tauSlope=" + tauSlope + " hyst=" + hyst
                    + " up=" + up + " trend=" + trend + " slack1=" + slack1 + " boost1=" + boost1 + " slack2=" + slack2
                    + " press=" + press + " boostP=" + boostP;
        }
    }

    /** Bounds and the coordinate-descent step of each rule parameter. */
    static final double[] R_LO = {0, 0, 0.50, -0.2, 0.00, 0.70, 0, -0.2, 0, -1.0, 0.05, 0};
    static final double[] R_HI = {8, 4, 0.99, 0.3, 0.20, 1.01, 3, 0.8, 10, 0.5, 1.01, 10};
    static final double[] R_STEP = {1, 1, 0.02, 0.05, 0.02, 0.02, 0.25, 0.05, 1, 0.05, 0.05, 1};

    static final class RulePolicy implements Policy {
        final RuleParams p;
        double[] prevUtil = new double[0];

        RulePolicy(RuleParams p) {
            this.p = p;
        }

        @Override
        public String name() {
            return "frontier-rule";
        }

        @Override
        public void reset() {
            prevUtil = new double[0];
        }

        @Override
        public Decision decide(Observations obs) {
            Decision d = Decision.noChange(obs);
            RoleObservations core = obs.role(Role.CORE);
            int n = core.agents();
            if (prevUtil.length != n) {
                prevUtil = new double[n];
            }
            int[] out = d.levels(Role.CORE);
            int top = levels - 1;
            for (int a = 0; a < n; a++) {
                double u = core.get(a, UTIL);
                double s = Math.max(0, Math.min(1, core.get(a, STALL)));
                double slack = core.get(a, SLACK);
                double press = core.get(a, PRESSURE);
                int cur = core.currentLevel(a);
                double rise = u - prevUtil[a];
                prevUtil[a] = u;
                double ue = u + (rise > 0 ? p.trend() * rise : 0);
                double pos = n > 1 ? (double) a / (n - 1) : 0;
                double tau = p.tau() - p.tauSlope() * (1 - pos);
                int floor = clampLevel(p.floor() - (int) Math.round(p.floorDrop() * pos));
                int upT = lowestFitting(ue, s, cur, tau, floor);
                int downT = lowestFitting(ue, s, cur, tau - p.hyst(), floor);
                int l;
                if (upT > cur) {
                    l = upT;
                } else if (downT < cur) {
                    l = downT;
                } else {
                    l = cur;
                }
                if (u > p.up()) {
                    l = top;
                }
                if (slack < p.slack1()) {
                    l = Math.min(top, l + p.boost1());
                }
                if (slack < p.slack2()) {
                    l = top;
                }
                if (press > p.press()) {
                    l = Math.min(top, l + p.boostP());
                }
                out[a] = clampLevel(Math.max(l, floor));
            }
            return d;
        }

        /** The lowest level at or above floor whose projected utilisation is at most tau (the top if none). */
        static int lowestFitting(double u, double s, int cur, double tau, int floor) {
            double fc = ghz(cur);
            for (int l = floor; l < levels; l++) {
                double proj = u * ((1 - s) * fc / ghz(l) + s);
                if (proj <= tau) {
                    return l;
                }
            }
            return levels - 1;
        }
    }

    // ---------------------------------------------------------------------------------------------- family 2

    /**
     * A clairvoyant schedule: it knows the scenario's true arrival rate at every instant (ArrivalSpec.Diurnal.rateAt,
     * the curve the simulator thins against) and so the offered load ρ(t) = rate·(service time of a mean request
     * at the top frequency, idle memory)/cores, the same definition as the scenario's `load`. It sets a fractional
     * level x(ρ) for the interval the decision governs (ρ at the interval's middle plus `lead` seconds), linear
     * between knots at loads K_0..K_{n-1}; core a gets floor(x + off·(3.5 − a)/3.5 + (7.5 − a)/8) (the fractional
     * part dithered over the cores, busiest first), so the schedule has 1/8-level granularity in total capacity.
     * It reads nothing of the machine's state. The search starts from x(ρ) = max(floor, level at which the
     * projected utilisation ρ·((1−β)·f_max/f + β) equals a target tau) and then lowers knots one by one.
     */
    record OracleParams(double[] knots, double off, double lead) {
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder("knots=");
            for (int i = 0; i < knots.length; i++) {
                b.append(i == 0 ? "" : ";").append(knots[i]);
            }
            return b + " off=" + off + " lead=" + lead;
        }
    }

    static double[] KNOT_LOADS;
    static ArrivalSpec.Diurnal profile;
    static double loadPerRate; // load per (request/s)

    static double loadAt(double seconds) {
        return profile.rateAt(seconds * 1e9) * loadPerRate;
    }

    static final class OraclePolicy implements Policy {
        final OracleParams p;

        OraclePolicy(OracleParams p) {
            this.p = p;
        }

        @Override
        public String name() {
            return "frontier-oracle";
        }

        @Override
        public Decision decide(Observations obs) {
            Decision d = Decision.noChange(obs);
            int n = obs.role(Role.CORE).agents();
            double tick = sc.tickNanos() / 1e9;
            // Decision of tick k (1-based) is taken at k·tick and governs [k·tick, (k+1)·tick).
            double t = (obs.tick() + 0.5) * tick + p.lead();
            double x = interp(loadAt(t), p.knots());
            int[] out = d.levels(Role.CORE);
            for (int a = 0; a < n; a++) {
                double half = (n - 1) / 2.0;
                double xa = x + (half > 0 ? p.off() * (half - a) / half : 0) + (n - 0.5 - a) / n;
                out[a] = clampLevel((int) Math.floor(xa));
            }
            return d;
        }

        static double interp(double load, double[] k) {
            double[] xs = KNOT_LOADS;
            if (load <= xs[0]) {
                return k[0];
            }
            for (int i = 1; i < xs.length; i++) {
                if (load <= xs[i]) {
                    double w = (load - xs[i - 1]) / (xs[i] - xs[i - 1]);
                    return k[i - 1] + w * (k[i] - k[i - 1]);
                }
            }
            return k[k.length - 1];
        }
    }

    /** The level at which a core at offered load rho (at the top frequency) has projected utilisation tau. */
    static double levelForTarget(double rho, double tau, double beta) {
        // utilisation at f: rho·((1−β)·fmax/f + β) ≤ tau  ⇔  f ≥ (1−β)·fmax·rho / (tau − β·rho)
        double denom = tau - beta * rho;
        if (denom <= 0) {
            return levels - 1;
        }
        double f = (1 - beta) * fMaxGhz * rho / denom;
        double l = (f - fMinGhz) / (fMaxGhz - fMinGhz) * (levels - 1);
        return Math.max(0, Math.min(levels - 1, l));
    }

    // ---------------------------------------------------------------------------------------------- search

    /** Best (lowest-energy) result seen per threshold, per family. */
    static final class Frontier {
        final String[] params = new String[THRESHOLDS.length];
        final Score[] best = new Score[THRESHOLDS.length];
        final Object[] raw = new Object[THRESHOLDS.length];

        void offer(Object rawParams, String text, Score s) {
            for (int i = 0; i < THRESHOLDS.length; i++) {
                if (feasible(s, THRESHOLDS[i]) && (best[i] == null || s.energy() < best[i].energy())) {
                    best[i] = s;
                    params[i] = text;
                    raw[i] = rawParams;
                }
            }
        }
    }

    static boolean feasible(Score s, double threshold) {
        return s.share() <= threshold + 1e-12;
    }

    static Score evalRule(RuleParams p, String phase, Frontier f) {
        Score s = score(() -> new RulePolicy(p), SEARCH_SEEDS);
        log("rule", phase, p.toString(), SEARCH_SEEDS, s);
        f.offer(p, p.toString(), s);
        return s;
    }

    static RuleParams randomRule(Random r) {
        double[] v = new double[R_LO.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = R_LO[i] + r.nextDouble() * (R_HI[i] - R_LO[i]);
        }
        // Bias towards the region hand rules found: floor near the knee, tau high, boosts often off.
        v[0] = 2 + r.nextInt(5);
        if (r.nextDouble() < 0.4) {
            v[7] = -1; // no slack boost
        }
        if (r.nextDouble() < 0.4) {
            v[9] = -1;
        }
        if (r.nextDouble() < 0.5) {
            v[10] = 1.01; // no pressure boost
        }
        return RuleParams.of(v);
    }

    /** Coordinate descent on a threshold: keep the best feasible point; try ± step on each coordinate. */
    static RuleParams descendRule(RuleParams start, Score startScore, double threshold, int budget, Frontier f) {
        double[] x = start.vec();
        Score bx = startScore;
        int used = 0;
        boolean improved = true;
        double scale = 1;
        while (used < budget && scale >= 0.25) {
            improved = false;
            for (int i = 0; i < x.length && used < budget; i++) {
                for (int dir : new int[]{-1, 1}) {
                    if (used >= budget) {
                        break;
                    }
                    double step = R_STEP[i] * (i == 0 || i == 1 || i == 8 || i == 11 ? 1 : scale);
                    double[] y = x.clone();
                    y[i] = Math.max(R_LO[i], Math.min(R_HI[i], y[i] + dir * step));
                    if (y[i] == x[i]) {
                        continue;
                    }
                    RuleParams q = RuleParams.of(y);
                    Score s = evalRule(q, "descent@" + threshold, f);
                    used++;
                    if (feasible(s, threshold) && s.energy() < bx.energy() - 0.05) {
                        x = y;
                        bx = s;
                        improved = true;
                        break;
                    }
                }
            }
            if (!improved) {
                scale /= 2;
            }
        }
        return RuleParams.of(x);
    }

    static Frontier searchRules(int budget, long rngSeed) {
        Frontier f = new Frontier();
        Random r = new Random(rngSeed);
        // Seeds of the search: hand rules from docs/results.md's verdict (knee floor, top above 80-82% util).
        List<RuleParams> starts = new ArrayList<>(List.of(
                new RuleParams(4, 0, 0.99, 0, 0, 0.80, 0, -1, 0, -1, 1.01, 0),
                new RuleParams(4, 0, 0.99, 0, 0, 0.82, 0, -1, 0, -1, 1.01, 0),
                new RuleParams(4, 0, 0.85, 0, 0.05, 0.90, 0, 0.3, 2, 0.1, 1.01, 0),
                new RuleParams(4, 0, 0.90, 0.1, 0.04, 0.95, 1, 0.4, 2, 0.15, 0.5, 2)));
        int nRandom = budget * 2 / 5;
        for (int i = 0; i < nRandom; i++) {
            starts.add(randomRule(r));
        }
        for (RuleParams p : starts) {
            evalRule(p, "random", f);
        }
        int left = budget - starts.size();
        // Main descent on the bar; the rest shared over the looser thresholds from their best points.
        int main = left * 3 / 5;
        for (int t = 0; t < THRESHOLDS.length; t++) {
            if (f.best[t] == null) {
                continue;
            }
            int b = t == 0 ? main : (left - main) / (THRESHOLDS.length - 1);
            descendRule((RuleParams) f.raw[t], f.best[t], THRESHOLDS[t], b, f);
        }
        return f;
    }

    static Score evalOracle(OracleParams p, String phase, Frontier f) {
        Score s = score(() -> new OraclePolicy(p), SEARCH_SEEDS);
        log("oracle", phase, p.toString(), SEARCH_SEEDS, s);
        f.offer(p, p.toString(), s);
        return s;
    }

    static OracleParams fromTarget(double tau, double beta, double floor, double off, double lead) {
        double[] k = new double[KNOT_LOADS.length];
        for (int i = 0; i < k.length; i++) {
            k[i] = Math.max(floor, levelForTarget(KNOT_LOADS[i], tau, beta));
        }
        return new OracleParams(k, off, lead);
    }

    static OracleParams descendOracle(OracleParams start, Score startScore, double threshold, int budget, Frontier f) {
        double[] k = start.knots().clone();
        double off = start.off();
        Score bx = startScore;
        int used = 0;
        double step = 0.5;
        while (used < budget && step >= 0.125) {
            boolean improved = false;
            // Lower each knot in turn (highest load first: that is where the energy is); a move that breaks the
            // threshold is undone. Then the per-core offset both ways.
            for (int i = k.length - 1; i >= 0 && used < budget; i--) {
                double[] y = k.clone();
                y[i] = Math.max(0, y[i] - step);
                if (y[i] == k[i]) {
                    continue;
                }
                OracleParams q = new OracleParams(y, off, start.lead());
                Score s = evalOracle(q, "descent@" + threshold, f);
                used++;
                if (feasible(s, threshold) && s.energy() < bx.energy() - 0.05) {
                    k = y;
                    bx = s;
                    improved = true;
                }
            }
            for (int dir : new int[]{-1, 1}) {
                if (used >= budget) {
                    break;
                }
                OracleParams q = new OracleParams(k, off + dir * step / 2, start.lead());
                Score s = evalOracle(q, "descent@" + threshold, f);
                used++;
                if (feasible(s, threshold) && s.energy() < bx.energy() - 0.05) {
                    off = q.off();
                    bx = s;
                    improved = true;
                }
            }
            if (!improved) {
                step /= 2;
            }
        }
        return new OracleParams(k, off, start.lead());
    }

    static Frontier searchOracle(int budget, double beta) {
        Frontier f = new Frontier();
        int used = 0;
        // 1. Two-parameter family: target utilisation tau from the known load (0.70..0.98), floor 4 (the voltage
        //    knee, 1.8 GHz: below it a cycle costs the same energy and only stalled cycles get cheaper) or 3.
        for (double floor : new double[]{4, 3}) {
            for (double tau = 0.70; tau <= 0.981; tau += 0.02) {
                evalOracle(fromTarget(tau, beta, floor, 0, 0), "tau-scan", f);
                used++;
            }
        }
        // 2. Per-core offset and lead at the bar's best tau.
        OracleParams b0 = (OracleParams) f.raw[0];
        if (b0 != null) {
            for (double off : new double[]{-1, -0.5, 0.5, 1}) {
                evalOracle(new OracleParams(b0.knots(), off, 0), "offset-scan", f);
                used++;
            }
            for (double lead : new double[]{-0.5, 0.5, 1.0}) {
                evalOracle(new OracleParams(b0.knots(), 0, lead), "lead-scan", f);
                used++;
            }
        }
        int left = budget - used;
        int main = left * 3 / 5;
        for (int t = 0; t < THRESHOLDS.length; t++) {
            if (f.best[t] == null) {
                continue;
            }
            int b = t == 0 ? main : (left - main) / (THRESHOLDS.length - 1);
            descendOracle((OracleParams) f.raw[t], f.best[t], THRESHOLDS[t], b, f);
        }
        return f;
    }

    // ---------------------------------------------------------------------------------------------- main

    public static void main(String[] args) throws IOException {
        String mode = args.length > 0 ? args[0] : "all";
        if (mode.equals("point")) {
            setUp();
            point(args[1], args[2], args[3]);
            return;
        }
        int budgetRule = 300;
        int budgetOracle = 200;
        long rng = 7;
        Path out = Path.of("docs/results/frontier/frontier.csv");
        for (int i = mode.equals("select") ? 4 : 1; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--budget-rule" -> budgetRule = Integer.parseInt(args[i + 1]);
                case "--budget-oracle" -> budgetOracle = Integer.parseInt(args[i + 1]);
                case "--rng" -> rng = Long.parseLong(args[i + 1]);
                case "--csv" -> out = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        double beta = setUp();
        if (mode.equals("select")) {
            select(args[1], Double.parseDouble(args[2]), Integer.parseInt(args[3]), out);
            return;
        }
        System.out.printf(Locale.ROOT, "# diurnal: %d ticks, %d core levels %.1f-%.1f GHz, load %.3f..%.3f, beta %.3f%n",
                sc.ticks(), levels, fMinGhz, fMaxGhz, loadAt(0), loadAt(profile.periodNanos() / 2e9), beta);
        mainSearch(mode, budgetRule, budgetOracle, rng, out, beta);
    }

    /** Reads the scenario and the host's frequency range; returns the request's memory-stall share β. */
    static double setUp() {
        sc = Scenarios.resolve("diurnal");
        var fd = new SimMachine(sc, 1).topology().frequencyDomains().get(0);
        fMinGhz = fd.minKhz() / 1e6;
        fMaxGhz = fd.maxKhz() / 1e6;
        levels = ControllerConfig.DEFAULT.coreLevels();
        ServiceSpec svc = sc.services().get(0);
        profile = (ArrivalSpec.Diurnal) svc.arrivals();
        double idleLatency = sc.machine().memory().idleLatencyNanos();
        double serviceSec = svc.request().serviceNanos(fd.maxKhz(), idleLatency) / 1e9;
        loadPerRate = serviceSec / svc.cpus().size();
        double beta = svc.request().memoryFraction(fd.maxKhz(), idleLatency);
        KNOT_LOADS = new double[17];
        for (int i = 0; i < KNOT_LOADS.length; i++) {
            KNOT_LOADS[i] = 0.1 + 0.05 * i;
        }
        return beta;
    }

    static void mainSearch(String mode, int budgetRule, int budgetOracle, long rng, Path out, double beta) throws IOException {
        Files.createDirectories(out.toAbsolutePath().getParent());
        boolean append = !mode.equals("all") && Files.exists(out);
        csv = new PrintWriter(Files.newBufferedWriter(out, append
                ? new java.nio.file.OpenOption[]{java.nio.file.StandardOpenOption.APPEND}
                : new java.nio.file.OpenOption[0]));
        if (!append) {
            csv.println("family,phase,seeds,energy_j,saving_vs_performance_pct,tick_share,violated_ticks,lc_p99_ms,elapsed_s,params");
        }

        // Baselines through SimRunner.run (the product's path) and, for performance, through this probe's runner.
        Score perfS = baseline("performance", SEARCH_SEEDS);
        Score perfE = baseline("performance", EVAL_SEEDS);
        perfSearch = perfS.energy();
        perfEval = perfE.energy();
        for (String b : List.of("performance", "slo-guard", "ondemand", "schedutil")) {
            log("baseline", b, b, SEARCH_SEEDS, baseline(b, SEARCH_SEEDS));
            log("baseline", b, b, EVAL_SEEDS, baseline(b, EVAL_SEEDS));
        }
        Score check = score(() -> Policies.create("performance", new SimMachine(sc, 1).topology()), SEARCH_SEEDS);
        if (Math.abs(check.energy() - perfS.energy()) > 1e-6) {
            throw new IllegalStateException("probe runner disagrees with SimRunner: " + check + " vs " + perfS);
        }
        if (mode.equals("baselines")) {
            csv.close();
            return;
        }

        List<String[]> summary = new ArrayList<>();
        if (mode.equals("rule") || mode.equals("all")) {
            Frontier f = searchRules(budgetRule, rng);
            confirm("rule", f, summary, p -> new RulePolicy((RuleParams) p));
        }
        if (mode.equals("oracle") || mode.equals("all")) {
            Frontier f = searchOracle(budgetOracle, beta);
            confirm("oracle", f, summary, p -> new OraclePolicy((OracleParams) p));
        }
        System.out.println();
        System.out.println("| family | threshold (seeds 1-5) | saving 1-5 | tick share 1-5 | saving 101-105 | tick share 101-105 | params |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (String[] row : summary) {
            System.out.println("| " + String.join(" | ", row) + " |");
        }
        System.out.printf(Locale.ROOT, "# %d evaluations of 5 runs, %.1f s%n", evals, (System.nanoTime() - START) / 1e9);
        csv.close();
    }

    /** Parses "k=v k=v ..." as the CSV prints it. */
    static java.util.Map<String, String> kv(String text) {
        var m = new java.util.LinkedHashMap<String, String>();
        for (String part : text.trim().split("\\s+")) {
            String[] x = part.split("=", 2);
            m.put(x[0], x[1]);
        }
        return m;
    }

    static Object parse(String family, String text) {
        var m = kv(text);
        if (family.equals("rule")) {
            double[] v = new double[RuleParams.NAMES.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = Double.parseDouble(m.get(RuleParams.NAMES[i]));
            }
            return RuleParams.of(v);
        }
        double[] k = Arrays.stream(m.get("knots").split(";")).mapToDouble(Double::parseDouble).toArray();
        return new OracleParams(k, Double.parseDouble(m.get("off")), Double.parseDouble(m.get("lead")));
    }

    static long[] seeds(String text) {
        String[] ab = text.split("-");
        long a = Long.parseLong(ab[0]);
        long b = ab.length > 1 ? Long.parseLong(ab[1]) : a;
        return java.util.stream.LongStream.rangeClosed(a, b).toArray();
    }

    static void point(String family, String text, String seedText) {
        Object p = family.equals("baseline") ? null : parse(family, text);
        long[] ss = seeds(seedText);
        double e = 0, perf = 0, reward = 0;
        long v = 0;
        for (long seed : ss) {
            RunMetrics r = family.equals("baseline")
                    ? SimRunner.run(sc, text, seed, SimRunner.Options.defaults().withTimeline(false)).metrics()
                    : runOnce(make(family, p), seed);
            RunMetrics q = SimRunner.run(sc, "performance", seed, SimRunner.Options.defaults().withTimeline(false)).metrics();
            long vt = Math.round(r.sloViolationTickShare() * sc.ticks());
            System.out.printf(Locale.ROOT, "seed %d: energy %.2f J (performance %.2f J, saving %.3f%%), violated ticks %d, share %.6f, p99 %.3f ms%n",
                    seed, r.energyJoules(), q.energyJoules(), 100 * (1 - r.energyJoules() / q.energyJoules()), vt,
                    r.sloViolationTickShare(), r.lcP99Ms());
            e += r.energyJoules();
            perf += q.energyJoules();
            reward += r.meanReward();
            v += vt;
        }
        System.out.printf(Locale.ROOT, "%s on seeds %s: energy %.2f J, performance %.2f J, saving %.3f%%, violated ticks %d of %d, share %.6f, mean reward %.4f%n",
                family, seedText, e / ss.length, perf / ss.length, 100 * (1 - e / perf), v, ss.length * sc.ticks(),
                (double) v / (ss.length * sc.ticks()), reward / ss.length);
    }

    static final long[] VALIDATION_SEEDS = java.util.stream.LongStream.rangeClosed(6, 25).toArray();

    static void select(String family, double threshold, int k, Path out) throws IOException {
        // Candidates: parameter sets of the family scored on 1-5 within the threshold, lowest energy first, one per
        // distinct behaviour (many descent steps change a parameter that never binds: same energy and share on 1-5).
        record Cand(String params, double energy, double share) {
        }
        var seen = new java.util.HashSet<String>();
        List<Cand> cands = new ArrayList<>();
        for (String line : Files.readAllLines(out)) {
            String[] f = line.split(",", 10);
            if (f.length < 10 || !f[0].equals(family) || !f[2].equals("1-5") || f[1].startsWith("confirm")
                    || f[1].startsWith("validate")) {
                continue;
            }
            String params = f[9].substring(1, f[9].length() - 1);
            double share = Double.parseDouble(f[5]);
            if (share <= threshold + 1e-12 && seen.add(f[3] + "/" + f[5])) {
                cands.add(new Cand(params, Double.parseDouble(f[3]), share));
            }
        }
        cands.sort(java.util.Comparator.comparingDouble(Cand::energy));
        csv = new PrintWriter(Files.newBufferedWriter(out, java.nio.file.StandardOpenOption.APPEND));
        perfSearch = baseline("performance", SEARCH_SEEDS).energy();
        perfEval = baseline("performance", EVAL_SEEDS).energy();
        double perfVal = baseline("performance", VALIDATION_SEEDS).energy();
        String best = null;
        Score bestVal = null;
        for (Cand c : cands.subList(0, Math.min(k, cands.size()))) {
            Object p = parse(family, c.params());
            Score v = score(() -> make(family, p), VALIDATION_SEEDS);
            double saving = 100 * (1 - v.energy() / perfVal);
            String line = String.format(Locale.ROOT, "%s,validate@%s,6-25,%.2f,%.3f,%.6f,%d,%.3f,%.1f,\"%s\"", family,
                    threshold, v.energy(), saving, v.share(), v.violatedTicks(), v.p99(), (System.nanoTime() - START) / 1e9, c.params());
            csv.println(line);
            csv.flush();
            System.out.println(line);
            if (feasible(v, threshold) && (bestVal == null || v.energy() < bestVal.energy())) {
                bestVal = v;
                best = c.params();
            }
        }
        if (best == null) {
            System.out.println("# no candidate stays within " + threshold + " on 6-25");
        } else {
            Object p = parse(family, best);
            Score e = score(() -> make(family, p), EVAL_SEEDS);
            log(family, "confirm-validated@" + threshold, best, EVAL_SEEDS, e);
            System.out.printf(Locale.ROOT, "# %s selected on 6-25: saving %.2f%% share %.6f there; on 101-105 saving %.2f%% share %.6f (%d ticks)%n",
                    family, 100 * (1 - bestVal.energy() / perfVal), bestVal.share(), 100 * (1 - e.energy() / perfEval),
                    e.share(), e.violatedTicks());
        }
        csv.close();
    }

    static Policy make(String family, Object p) {
        return family.equals("rule") ? new RulePolicy((RuleParams) p) : new OraclePolicy((OracleParams) p);
    }

    static void confirm(String family, Frontier f, List<String[]> summary, java.util.function.Function<Object, Policy> make) {
        for (int t = 0; t < THRESHOLDS.length; t++) {
            if (f.best[t] == null) {
                summary.add(new String[]{family, "≤" + THRESHOLDS[t], "none feasible", "", "", "", ""});
                continue;
            }
            Object raw = f.raw[t];
            Score e = score(() -> make.apply(raw), EVAL_SEEDS);
            log(family, "confirm@" + THRESHOLDS[t], f.params[t], EVAL_SEEDS, e);
            Score s = f.best[t];
            summary.add(new String[]{family, "≤" + THRESHOLDS[t],
                    String.format(Locale.ROOT, "%.2f%% (%.1f J)", 100 * (1 - s.energy() / perfSearch), s.energy()),
                    String.format(Locale.ROOT, "%.5f (%d ticks)", s.share(), s.violatedTicks()),
                    String.format(Locale.ROOT, "%.2f%% (%.1f J)", 100 * (1 - e.energy() / perfEval), e.energy()),
                    String.format(Locale.ROOT, "%.5f (%d ticks)", e.share(), e.violatedTicks()),
                    f.params[t]});
        }
    }
}
