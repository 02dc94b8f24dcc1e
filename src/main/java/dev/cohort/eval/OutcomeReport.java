package dev.cohort.eval;

import dev.cohort.harness.oracle.OraclePolicy;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.balance.BudgetFigures;
import dev.cohort.balance.BudgetSpec;
import dev.cohort.harness.Stats;
import dev.cohort.platform.Readable;
import java.awt.Color;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The outcome simulation's results ({@link OutcomeSweep}), per scenario × budget × balancer (the oracle last), mean
 * and 95% interval over the seeds: {@code outcome.md} (the tables), {@code outcome.csv} and {@code outcome.json} (every
 * figure), {@code outcome-runs.csv} (one line per run) and {@code outcome-<scenario>.png} (Return% against the budget,
 * one line per balancer). Return% is each run's value over the oracle's on the same scenario, budget and seed, so it
 * is paired and exists only on the seeds the oracle ran.
 */
public final class OutcomeReport {
    /** The figures of a cell, with their CSV/JSON key, heading and format. */
    public enum Figure {
        BUDGET_W("budget_w", "budget", r -> r.figures().budgetWatts(), Readable::watts),
        MEAN_POWER_W("mean_power_w", "mean power", r -> r.metrics().meanPowerWatts(), Readable::watts),
        OVER_BUDGET("over_budget_share", "windows over budget", r -> r.figures().overBudgetShare(), Readable::share),
        BUDGET_USE("budget_use_share", "μ where it binds", r -> r.figures().budgetUse(), Readable::share),
        OVER_USE("over_budget_use_share", "ν", r -> r.figures().overBudgetUse(), Readable::share),
        BINDING("budget_binding_share", "windows it binds", r -> r.figures().bindingShare(), Readable::share),
        SLO_TICKS("slo_violation_tick_share", "ticks over SLO", r -> r.metrics().sloViolationTickShare(), Readable::share),
        SERVED("lc_requests_in_slo_share", "LC requests in SLO", OutcomeRun::servedInSloShare, Readable::share),
        BE_WORK("be_work_share", "BE work done", r -> r.metrics().beWorkShare(), Readable::share),
        VALUE("value_share", "value", OutcomeRun::value, Readable::share),
        RETURN("return_share", "Return%", null, Readable::share);

        private final String key;
        private final String label;
        private final ToDoubleFunction<OutcomeRun> get;
        private final DoubleFunction<String> text;

        Figure(String key, String label, ToDoubleFunction<OutcomeRun> get, DoubleFunction<String> text) {
            this.key = key;
            this.label = label;
            this.get = get;
            this.text = text;
        }

        public String key() {
            return key;
        }

        public String label() {
            return label;
        }

        String format(double v) {
            return Double.isNaN(v) ? Readable.ABSENT : text.apply(v);
        }
    }

    /** The columns of the markdown table, in order ({@link Figure#BINDING} is in the CSV and JSON only). */
    static final List<Figure> TABLE = List.of(Figure.BUDGET_W, Figure.MEAN_POWER_W, Figure.OVER_BUDGET, Figure.BUDGET_USE,
            Figure.OVER_USE, Figure.SLO_TICKS, Figure.SERVED, Figure.BE_WORK, Figure.VALUE, Figure.RETURN);

    /** One scenario × budget × balancer: its runs and the figures' statistics over them. */
    public record Cell(String scenario, String budget, String balancer, List<OutcomeRun> runs, Map<Figure, Stats> stats) {
    }

    private OutcomeReport() {
    }

    /** The cells in scenario, budget, balancer order, the oracle after the balancers. */
    public static List<Cell> cells(OutcomeSweep.Result r) {
        Map<String, Double> oracleValue = new HashMap<>();
        for (OutcomeRun run : r.runs()) {
            if (run.balancer().equals(OraclePolicy.NAME)) {
                oracleValue.put(key(run), run.value());
            }
        }
        List<Cell> out = new ArrayList<>();
        for (var sc : r.plan().scenarios()) {
            for (BudgetSpec b : r.plan().budgets()) {
                for (String k : balancers(r)) {
                    List<OutcomeRun> runs = r.runs().stream().filter(x -> x.scenario().equals(sc.name())
                            && x.budget().equals(b.toString()) && x.balancer().equals(k)).toList();
                    Map<Figure, Stats> st = new EnumMap<>(Figure.class);
                    for (Figure f : Figure.values()) {
                        st.put(f, Stats.of(runs.stream().mapToDouble(x -> f == Figure.RETURN
                                ? x.value() / oracleValue.getOrDefault(key(x), Double.NaN) : f.get.applyAsDouble(x)).toArray()));
                    }
                    out.add(new Cell(sc.name(), b.toString(), k, runs, st));
                }
            }
        }
        return out;
    }

    private static String key(OutcomeRun r) {
        return r.scenario() + "\u0000" + r.budget() + "\u0000" + r.seed();
    }

    /** The rows' balancer names: each balancer's key, then the oracle's. */
    private static List<String> balancers(OutcomeSweep.Result r) {
        List<String> out = new ArrayList<>(r.plan().balancers().stream().map(k -> k.key()).toList());
        out.add(OraclePolicy.NAME);
        return out;
    }

    /** Writes every file into {@code dir}; returns the plots. */
    public static List<Path> write(OutcomeSweep.Result r, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Cell> cells = cells(r);
        Files.writeString(dir.resolve("outcome.md"), markdown(r, cells));
        writeCsv(cells, dir.resolve("outcome.csv"));
        writeJson(r, cells, dir.resolve("outcome.json"));
        writeRuns(r, dir.resolve("outcome-runs.csv"));
        System.setProperty("java.awt.headless", "true");
        List<Path> plots = new ArrayList<>();
        for (var sc : r.plan().scenarios()) {
            Path p = dir.resolve("outcome-" + sc.name() + ".png");
            BitmapEncoder.saveBitmap(plot(r, cells, sc.name()), p.toString(), BitmapEncoder.BitmapFormat.PNG);
            plots.add(p);
        }
        return plots;
    }

    /** The tables, one per scenario, with what the budgets were of and how Return% is paired. */
    public static String markdown(OutcomeSweep.Result r) {
        return markdown(r, cells(r));
    }

    private static String markdown(OutcomeSweep.Result r, List<Cell> cells) {
        StringBuilder sb = new StringBuilder();
        String policy = r.plan().policy();
        for (var sc : r.plan().scenarios()) {
            List<RunResult> free = r.unconstrained().stream().filter(x -> x.scenario().equals(sc.name())).toList();
            Stats power = Stats.of(free.stream().mapToDouble(x -> x.metrics().meanPowerWatts()).toArray());
            Stats value = Stats.of(free.stream().mapToDouble(x -> OutcomeRun.value(x.metrics())).toArray());
            int oracleSeeds = r.plan().options().oracle().seedsFor(sc.name(), r.plan().seeds().length);
            sb.append("### ").append(sc.name()).append("\n\n");
            sb.append(policy).append(" with no budget: mean power ").append(power.format(Readable::watts))
                    .append(", value ").append(value.format(Readable::share)).append(" (seeds ")
                    .append(seedText(r.plan().seeds(), r.plan().seeds().length)).append("; a percent budget is of each")
                    .append(" seed's own power). The oracle ran on seeds ").append(seedText(r.plan().seeds(), oracleSeeds))
                    .append("; Return% is paired with it per seed.\n\n");
            sb.append("| budget | balancer |");
            for (Figure f : TABLE) {
                sb.append(' ').append(f == Figure.BUDGET_W ? "budget (W)" : f.label()).append(" |");
            }
            sb.append("\n|---|---|").append("---|".repeat(TABLE.size())).append('\n');
            for (Cell c : cells) {
                if (!c.scenario().equals(sc.name())) {
                    continue;
                }
                sb.append("| ").append(c.budget()).append(" | ").append(c.balancer()).append(" |");
                for (Figure f : TABLE) {
                    sb.append(' ').append(c.stats().get(f).format(f::format)).append(" |");
                }
                sb.append('\n');
            }
            sb.append('\n');
        }
        sb.append("Mean ± 95% interval over seeds. Windows are the balancer's step (")
                .append(Readable.seconds(r.plan().stepNanos() / 1e9)).append(") of true package power; μ is the mean of")
                .append(" min(P, B)/B over the windows where the budget binds (for the oracle: where it changed its choice),")
                .append(" ν the mean of max(P − B, 0)/B over all windows. Value is the mean of LC requests served inside")
                .append(" the SLO and BE work done (each a share of its maximum); Return% is value over the oracle's under")
                .append(" the same budget.\n\n");
        r.plan().resolved().notes().forEach(n -> sb.append(n).append("\n\n"));
        r.plan().notes().forEach(n -> sb.append(n).append("\n\n"));
        return sb.toString();
    }

    private static String seedText(long[] seeds, int n) {
        if (n == 0) {
            return "none";
        }
        boolean run = true;
        for (int i = 1; i < n; i++) {
            run &= seeds[i] == seeds[i - 1] + 1;
        }
        if (run && n > 2) {
            return seeds[0] + "–" + seeds[n - 1];
        }
        List<String> s = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            s.add(Long.toString(seeds[i]));
        }
        return String.join(", ", s);
    }

    private static void writeCsv(List<Cell> cells, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file)) {
            w.write("scenario,budget,balancer,runs");
            for (Figure f : Figure.values()) {
                w.write("," + f.key() + "," + f.key() + "_ci95_half_width," + f.key() + "_n");
            }
            w.write('\n');
            for (Cell c : cells) {
                w.write(c.scenario() + "," + c.budget() + "," + c.balancer() + "," + c.runs().size());
                for (Figure f : Figure.values()) {
                    Stats st = c.stats().get(f);
                    w.write("," + Report.num(st.mean()) + "," + Report.num(st.halfWidth()) + "," + st.n());
                }
                w.write('\n');
            }
        }
    }

    private static void writeJson(OutcomeSweep.Result r, List<Cell> cells, Path file) throws IOException {
        ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = om.createObjectNode();
        root.put("policy", r.plan().policy());
        root.put("window_s", r.plan().stepNanos() / 1e9);
        ArrayNode free = root.putArray("unconstrained");
        for (RunResult u : r.unconstrained()) {
            ObjectNode o = free.addObject();
            o.put("scenario", u.scenario());
            o.put("seed", u.seed());
            RunReport.put(o, "mean_power_w", u.metrics().meanPowerWatts());
            RunReport.put(o, "value_share", OutcomeRun.value(u.metrics()));
        }
        ArrayNode cs = root.putArray("cells");
        for (Cell c : cells) {
            ObjectNode o = cs.addObject();
            o.put("scenario", c.scenario());
            o.put("budget", c.budget());
            o.put("balancer", c.balancer());
            o.put("runs", c.runs().size());
            ObjectNode fs = o.putObject("figures");
            for (Figure f : Figure.values()) {
                Stats st = c.stats().get(f);
                ObjectNode x = fs.putObject(f.key());
                RunReport.put(x, "mean", st.mean());
                RunReport.put(x, "ci95_half_width", st.halfWidth());
                x.put("n", st.n());
            }
        }
        om.writeValue(file.toFile(), root);
    }

    private static void writeRuns(OutcomeSweep.Result r, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file)) {
            w.write("scenario,budget,balancer,seed,reference_w,budget_w,windows,over_budget_share,budget_use_share,"
                    + "over_budget_use_share,budget_binding_share,mean_lambda,mean_power_w,slo_violation_tick_share,"
                    + "lc_requests,lc_requests_over_slo,be_work_share,value_share\n");
            for (OutcomeRun x : r.runs()) {
                BudgetFigures b = x.figures();
                w.write(String.join(",", x.scenario(), x.budget(), x.balancer(), Long.toString(x.seed()),
                        Report.num(x.referenceWatts()), Report.num(b.budgetWatts()), Integer.toString(b.windows()),
                        Report.num(b.overBudgetShare()), Report.num(b.budgetUse()), Report.num(b.overBudgetUse()),
                        Report.num(b.bindingShare()), Report.num(b.meanLambda()), Report.num(x.metrics().meanPowerWatts()),
                        Report.num(x.metrics().sloViolationTickShare()), Long.toString(x.metrics().lcRequests()),
                        Long.toString(x.metrics().lcRequestsOverSlo()), Report.num(x.metrics().beWorkShare()),
                        Report.num(x.value())) + "\n");
            }
        }
    }

    /** Return% above this is cut off the plot (a rival far over a budget the oracle keeps, or a budget no one keeps). */
    static final double PLOT_MAX_PERCENT = 150;

    /**
     * Return% against the budget on {@code sc}, one line per balancer (the oracle's at 100%), the 95% interval as error
     * bars, each line's share of windows over budget per budget in the legend (a rival that breaks the budget can
     * deliver more than the oracle that keeps it). The x axis is the budget in percent when every budget is a percent,
     * else its mean in watts; the y axis stops at {@value #PLOT_MAX_PERCENT}%, said in the title when a point is cut.
     */
    static XYChart plot(OutcomeSweep.Result r, List<Cell> cells, String sc) {
        List<BudgetSpec> budgets = r.plan().budgets();
        boolean percent = budgets.stream().allMatch(b -> b instanceof BudgetSpec.Percent);
        XYChart c = new XYChartBuilder().width(900).height(560)
                .title(sc + ": " + r.plan().policy() + "'s Return% against the power budget, per balancer")
                .xAxisTitle(percent ? "budget (% of " + r.plan().policy() + "'s own power with no budget)" : "budget (W)")
                .yAxisTitle("Return% (value / oracle's under the same budget)").build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setMarkerSize(8);
        c.getStyler().setErrorBarsColorSeriesColor(true);
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        boolean cut = false;
        for (String k : balancers(r)) {
            // (x, Return%, half-width, windows over budget), sorted by budget
            List<double[]> points = new ArrayList<>();
            for (Cell cell : cells) {
                if (!cell.scenario().equals(sc) || !cell.balancer().equals(k)) {
                    continue;
                }
                Stats ret = cell.stats().get(Figure.RETURN);
                BudgetSpec b = budgets.stream().filter(s -> s.toString().equals(cell.budget())).findFirst().orElseThrow();
                double bx = percent ? ((BudgetSpec.Percent) b).percent() : cell.stats().get(Figure.BUDGET_W).mean();
                if (Double.isFinite(ret.mean()) && Double.isFinite(bx)) {
                    points.add(new double[]{bx, ret.mean() * 100, Double.isFinite(ret.halfWidth()) ? ret.halfWidth() * 100 : 0,
                            cell.stats().get(Figure.OVER_BUDGET).mean()});
                }
            }
            if (points.isEmpty()) {
                continue;
            }
            points.sort((a, b) -> Double.compare(a[0], b[0]));
            double[] xs = points.stream().mapToDouble(p -> p[0]).toArray();
            double[] ys = points.stream().mapToDouble(p -> p[1]).toArray();
            double[] es = points.stream().mapToDouble(p -> p[2]).toArray();
            for (double[] p : points) {
                low = Math.min(low, Math.max(0, p[1] - p[2]));
                high = Math.max(high, p[1] + p[2]);
                cut |= p[1] > PLOT_MAX_PERCENT;
            }
            String over = points.stream().map(p -> Readable.share(p[3])).collect(java.util.stream.Collectors.joining(", "));
            XYSeries s = c.addSeries(k + " (windows over budget: " + over + ")", xs, ys, es);
            s.setMarker(SeriesMarkers.CIRCLE);
            if (k.equals(OraclePolicy.NAME)) {
                s.setLineStyle(new java.awt.BasicStroke(2f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER,
                        10f, new float[]{8f, 6f}, 0f));
                s.setLineColor(Color.DARK_GRAY);
                s.setMarkerColor(Color.DARK_GRAY);
            }
        }
        if (c.getSeriesMap().isEmpty()) {
            c.setTitle(c.getTitle() + " (no data)");
            return c;
        }
        c.getStyler().setYAxisMin(Math.max(0, Math.floor((low - 5) / 10) * 10));
        c.getStyler().setYAxisMax(Math.min(PLOT_MAX_PERCENT, Math.ceil((high + 5) / 10) * 10));
        if (cut) {
            c.setTitle(c.getTitle() + " (cut at " + (int) PLOT_MAX_PERCENT + "%)");
        }
        return c;
    }
}
