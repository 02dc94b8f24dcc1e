package dev.cohort.balance;

import dev.cohort.control.Controller;
import dev.cohort.control.TickRecord;
import dev.cohort.platform.Platform;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * MaRCA's balancer: model-predictive control of the energy price λ. Once a window it plans λ for the next N windows
 * with the learned {@link DynamicsModel}, minimising
 * {@code J = Σ_i α^i [((P̂_i − T)/B)² + w·max(0, P̂_i − B)²/B²] + β·Σ_i α^i·1[P̂_i ≥ T]·((P̂_i − P̂_{i−1})/B)²}
 * (track the target T, the budget less a margin, from below; damp changes once at it; never cheaper to overshoot the
 * budget itself), with the cross-entropy method over λ in {@code [floor, max]}, and applies the first λ (receding
 * horizon). The floor is the configured λ, as for {@link PiBalancer}. Deterministic for a given sequence of windows.
 */
public final class MpcBalancer implements Balancer {
    private final double budgetShare;
    private final double floor;
    private final double max;
    private final DynamicsModel model;
    private final MpcOptions o;
    private final WindowState.Accumulator acc = new WindowState.Accumulator();
    private final SplittableRandom rng = new SplittableRandom(0x6d7063L);
    private final double[] plan;
    private WindowState before;
    private double lambda;
    private double lastForecastWatts = Double.NaN;
    private final double tdpWatts;
    private long planNanos;
    private int ticksPerWindow;
    /** λ's factor per tick while the guard acts. */
    static final double GUARD_STEP = 3;
    private long plans;

    /**
     * @param budgetWatts the budget
     * @param tdpWatts    the host's TDP, W (the model forecasts power as a share of it)
     * @param floor       the lowest λ (the configured one)
     * @param max         the highest
     */
    public MpcBalancer(double budgetWatts, double tdpWatts, double floor, double max, DynamicsModel model, MpcOptions o) {
        this(budgetWatts, tdpWatts, floor, max, model, o, 0);
    }

    /**
     * @param ticksPerWindow ticks in a balancer step, so the guard acts from the first window (0: learnt at the end of
     *                       the first window)
     */
    public MpcBalancer(double budgetWatts, double tdpWatts, double floor, double max, DynamicsModel model, MpcOptions o,
                       int ticksPerWindow) {
        if (!(max >= floor)) {
            throw new IllegalArgumentException("MPC balancer: λ_max " + max + " is below the floor " + floor);
        }
        this.budgetShare = budgetWatts / tdpWatts;
        this.tdpWatts = tdpWatts;
        this.floor = floor;
        this.max = max;
        this.model = model;
        this.o = o;
        this.plan = new double[o.horizon()];
        Arrays.fill(plan, floor);
        this.lambda = floor;
        this.ticksPerWindow = ticksPerWindow;
    }

    @Override
    public BalancerKind kind() {
        return BalancerKind.MPC;
    }

    @Override
    public void start(Platform platform, Controller controller) {
        controller.setLambda(lambda);
    }

    /**
     * The first plan, from the tick before the first decision taken as a window: a budget below what the host drew as
     * found is met from the first judged window, not after a window at the floor.
     */
    @Override
    public void begin(TickRecord first, Controller controller) {
        acc.add(first, controller.lambda());
        WindowState found = acc.drain();
        before = found;
        long t0 = System.nanoTime();
        lambda = solve(found, found);
        planNanos += System.nanoTime() - t0;
        plans++;
        controller.setLambda(lambda);
    }

    /**
     * Within the window, between plans: the share of the window's energy left, over the ticks left, is the mean power
     * they may draw. While the last tick drew more than that (less the guard's margin), λ rises by {@link #GUARD_STEP} for the
     * next tick; once back under, it returns to the planned λ. The plan looks a window ahead; this catches the load
     * swings inside a window that no forecast of window means can, so that the window's mean stays under the budget.
     */
    @Override
    public void tick(TickRecord tick, Controller controller) {
        acc.add(tick, controller.lambda());
        if (!o.guard() || ticksPerWindow <= 1) {
            return;
        }
        int k = acc.ticks();
        if (k >= ticksPerWindow) {
            return;
        }
        double allowance = (budgetShare * ticksPerWindow - acc.powerSum()) / (ticksPerWindow - k);
        double last = tick.reward().energy();
        double now = controller.lambda();
        if (last > allowance * (1 - o.guardMargin())) {
            controller.setLambda(Math.min(max, Math.max(now, floor + 1) * GUARD_STEP));
        } else if (now > lambda) {
            controller.setLambda(lambda);
        }
    }

    @Override
    public void window(double meanWatts, Platform platform, Controller controller) {
        ticksPerWindow = acc.ticks();
        WindowState now = acc.drain();
        if (before == null) {
            before = now;
        }
        long t0 = System.nanoTime();
        lambda = solve(before, now);
        planNanos += System.nanoTime() - t0;
        plans++;
        before = now;
        controller.setLambda(lambda);
    }

    @Override
    public boolean binding(TickRecord tick, Controller controller) {
        return controller.lambda() > floor;
    }

    /** λ now. */
    public double lambda() {
        return lambda;
    }

    /** The power the plan forecasts for the window now starting, W (NaN before the first plan). */
    public double forecastWatts() {
        return lastForecastWatts;
    }

    /** Mean wall time of one plan, ns (0 before the first). */
    public double meanPlanNanos() {
        return plans == 0 ? 0 : (double) planNanos / plans;
    }

    /** Plans λ for the next N windows from the last two windows and returns the first (one balancer step, untimed). */
    public double plan(WindowState prev, WindowState now) {
        return solve(prev, now);
    }

    /** Plans λ for the next N windows from the last two, with the cross-entropy method; returns the first. */
    double solve(WindowState prev, WindowState now) {
        int n = o.horizon();
        double[] mean = new double[n];
        double[] sd = new double[n];
        // warm start: last plan shifted by one window
        for (int i = 0; i < n; i++) {
            mean[i] = plan[Math.min(i + 1, n - 1)];
            sd[i] = (max - floor) / 2;
        }
        double[][] seqs = new double[o.samples()][n];
        double[] cost = new double[o.samples()];
        Integer[] order = new Integer[o.samples()];
        double[] best = mean.clone();
        double bestCost = Double.POSITIVE_INFINITY;
        double bestFirstPower = Double.NaN;
        for (int round = 0; round < o.rounds(); round++) {
            for (int s = 0; s < o.samples(); s++) {
                for (int i = 0; i < n; i++) {
                    double v = switch (round == 0 ? s : -1) {
                        case 0 -> mean[i];                 // the warm start itself
                        case 1 -> floor;                   // no restraint
                        case 2 -> max;                     // all restraint
                        case 3 -> now.lambda();            // hold λ
                        default -> mean[i] + sd[i] * rng.nextGaussian();
                    };
                    seqs[s][i] = Math.clamp(v, floor, max);
                }
            }
            double[][] power = model.forecast(prev, now, seqs);
            for (int s = 0; s < o.samples(); s++) {
                cost[s] = objective(now.powerShare(), power[s], seqs[s]);
                order[s] = s;
                if (cost[s] < bestCost) {
                    bestCost = cost[s];
                    best = seqs[s].clone();
                    bestFirstPower = power[s][0];
                }
            }
            Arrays.sort(order, (a, b) -> Double.compare(cost[a], cost[b]));
            for (int i = 0; i < n; i++) {
                double m = 0;
                for (int e = 0; e < o.elites(); e++) {
                    m += seqs[order[e]][i];
                }
                m /= o.elites();
                double v = 0;
                for (int e = 0; e < o.elites(); e++) {
                    double d = seqs[order[e]][i] - m;
                    v += d * d;
                }
                mean[i] = m;
                sd[i] = Math.max(Math.sqrt(v / o.elites()), 1e-3 * (max - floor));
            }
        }
        System.arraycopy(best, 0, plan, 0, n);
        lastForecastWatts = bestFirstPower * tdpWatts;
        return best[0];
    }

    /** MaRCA's objective for one forecast, powers as shares of the budget, plus a tie-break toward the lower λ. */
    double objective(double nowShare, double[] power, double[] lambdas) {
        double target = budgetShare * (1 - o.margin());
        double j = 0;
        double w = 1;
        double last = nowShare;
        for (int i = 0; i < power.length; i++) {
            double p = power[i];
            double track = (p - target) / budgetShare;
            double over = Math.max(0, p - budgetShare) / budgetShare;
            j += w * (track * track + o.overWeight() * over * over);
            if (p >= target) {
                double change = (p - last) / budgetShare;
                j += o.beta() * w * change * change;
            }
            // at equal tracking, less restraint delivers more value: a tie-break far below any tracking difference
            j += 1e-6 * w * (lambdas[i] - floor);
            last = p;
            w *= o.alpha();
        }
        return j;
    }

    @Override
    public void close() {
        model.close();
    }
}
