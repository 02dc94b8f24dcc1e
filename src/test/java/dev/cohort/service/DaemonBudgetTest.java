package dev.cohort.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon holding a power budget on the simulated machine (issue 13, "What must show"): the configured budget in
 * status and metrics with its balancer, λ and the measured power; the budget held over the balancer's windows;
 * {@code cohort tune budget} moving it live and {@code cohort tune release budget} handing it back to the
 * configuration. Colocation's machine: 63.05 W peak (the TDP a percent is of), 16.8 W idle; {@code performance} draws
 * about 48 W there without a budget. The balancer's step is 200 ms (ten 20 ms ticks) so that a test sees many windows.
 */
class DaemonBudgetTest {
    static final double TDP = 63.0496;

    @TempDir
    Path dir;

    private Path config(String scenario, String budget) throws IOException {
        Path c = dir.resolve("budget.yaml");
        Files.writeString(c, """
                backend: sim
                period: 20ms
                sim: {scenario: %s, seed: 7}
                paths: {state_dir: %s, journal: %s}
                metrics: {port: 0}
                policy: {core: performance, memory: performance, quota: performance}
                balancer_step: 200ms
                %s
                """.formatted(scenario, dir.resolve("run"), dir.resolve("journal.jsonl"), budget));
        return c;
    }

    /** {@code promtool check metrics} passes on {@code body}, with no lint finding (skipped where promtool is missing). */
    static void promtool(String body) throws Exception {
        Path promtool = java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "/usr/bin").split(":"))
                .map(p -> Path.of(p, "promtool")).filter(Files::isExecutable).findFirst().orElse(null);
        if (promtool == null) {
            return; // DaemonSimTest says so; .ci/run installs it
        }
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        p.getOutputStream().write(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "promtool check metrics:\n" + out);
        assertEquals("", out.strip(), "promtool has no lint findings");
    }

    /** {@code cohort ARGS}: the exit code, then what it printed. */
    static String[] cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new String[]{Integer.toString(code), out + err.toString()};
    }

    private static long windows(JsonNode s) {
        return s.path("budget").path("windows").asLong();
    }

    @Test
    void raplHoldsTheConfiguredBudgetAndTuneMovesItLive() throws Exception {
        Path cfg = config("colocation", "power_budget: 60%\nbalancer: rapl");
        try (InProcessDaemon d = InProcessDaemon.start(cfg, dir.resolve("run/cohort.sock"))) {
            JsonNode s = d.awaitStatus(x -> windows(x) >= 15, 60_000);
            StatusSchemaTest.assertSchema(s);
            JsonNode b = s.path("budget");
            assertEquals(0.6 * TDP, b.path("watts").asDouble(), 1e-3, "60% of the simulated machine's peak power: " + b);
            assertEquals("60%", b.path("spec").asText());
            assertEquals("config", b.path("source").asText());
            assertEquals("rapl", b.path("balancer").asText());
            assertEquals("measured", b.path("power_source").asText());
            assertEquals(0.2, b.path("step_s").asDouble(), 1e-9);
            assertTrue(b.path("power_w").asDouble() > 0, b.toString());
            long over = b.path("over_budget_windows").asLong();
            assertTrue(over <= windows(s) / 4, "the budget held: " + over + " of " + windows(s) + " windows over (the first"
                    + " ones, while PL1's average settles): " + b);
            assertTrue(b.path("window_w").asDouble() <= 0.6 * TDP * 1.02, "the last window under the budget: " + b);
            String text = cli("status", "--config", cfg.toString())[1];
            assertTrue(text.contains("budget 37.8 W (60%, config)  balancer rapl"), text);

            String body = LatencySources.get("http://" + s.path("daemon").path("metrics").asText() + "/metrics");
            assertEquals(0.6 * TDP, ShadowMetricsTest.sample(body, "cohort_power_budget_watts ").orElseThrow(), 1e-3);
            assertTrue(ShadowMetricsTest.sample(body, "cohort_budget_windows_total ").orElseThrow() >= 15, body);
            assertTrue(ShadowMetricsTest.sample(body, "cohort_over_budget_windows_total ").isPresent(), body);
            assertTrue(ShadowMetricsTest.sample(body, "cohort_over_budget_ticks_total ").isPresent(), body);
            assertEquals(1.0, ShadowMetricsTest.sample(body, "cohort_lambda ").orElseThrow(), "rapl leaves λ at its default");
            assertTrue(ShadowMetricsTest.sample(body, "cohort_package_power_watts{package=\"0\",source=\"measured\"}").orElseThrow() > 0);
            promtool(body);

            // below the machine's idle power: refused, nothing changed
            String[] low = cli("tune", "--config", cfg.toString(), "budget", "10W");
            assertNotEquals("0", low[0], low[1]);
            assertTrue(low[1].contains("cohort tune budget: 10W (10.0 W) is below the machine's idle power 16.8 W"), low[1]);
            assertEquals("config", d.awaitStatus(x -> true, 5_000).path("budget").path("source").asText());

            double before = b.path("window_w").asDouble();
            String[] tuned = cli("tune", "--config", cfg.toString(), "budget", "45%");
            assertEquals("0", tuned[0], tuned[1]);
            assertTrue(tuned[1].contains("power budget 45% = 28.4 W (cohort tune;"), tuned[1]);
            long at = windows(d.awaitStatus(x -> x.path("budget").path("source").asText().equals("tune"), 5_000));
            JsonNode t = d.awaitStatus(x -> windows(x) >= at + 10, 30_000).path("budget");
            assertEquals(0.45 * TDP, t.path("watts").asDouble(), 1e-3);
            assertTrue(t.path("window_w").asDouble() <= 0.45 * TDP * 1.02 && t.path("window_w").asDouble() < before - 5,
                    "power followed the new budget down from " + before + " W: " + t);

            String[] released = cli("tune", "--config", cfg.toString(), "release", "budget");
            assertEquals("0", released[0], released[1]);
            assertTrue(released[1].contains("released the tuned power budget; now power budget 60% = 37.8 W (configuration)"),
                    released[1]);
            JsonNode r = d.awaitStatus(x -> x.path("budget").path("source").asText().equals("config"), 5_000).path("budget");
            assertEquals(0.6 * TDP, r.path("watts").asDouble(), 1e-3);
            assertEquals(0, d.stop());
        }
        String journal = Files.readString(dir.resolve("journal.jsonl"));
        assertTrue(journal.contains("\"budget_w\":37.8") && journal.contains("\"budget_w\":28.3") && journal.contains("\"lambda\":1.0"),
                "budget and λ beside every tick");
        assertTrue(journal.contains("cohort tune budget 45%"), "the tune is journalled");
    }

    @Test
    void piMovesLambdaAndTuneTurnsItBack() throws Exception {
        // performance does not read λ, so power stays over 60% and λ climbs to λ_max; a budget over the power lets it fall
        Path cfg = config("colocation", "power_budget: 60%\nbalancer: pi\nlambda_max: 3");
        try (InProcessDaemon d = InProcessDaemon.start(cfg, dir.resolve("run/cohort.sock"))) {
            JsonNode up = d.awaitStatus(x -> x.path("budget").path("lambda").asDouble() >= 3, 60_000).path("budget");
            assertEquals(3.0, up.path("lambda").asDouble(), 1e-9, "held at λ_max: " + up);
            assertEquals(3.0, up.path("lambda_max").asDouble());
            assertTrue(up.path("over_budget_windows").asLong() > 0, up.toString());
            // over the budget with λ at its bound: the operator is told the budget is out of the balancer's reach
            JsonNode stuck = d.awaitStatus(x -> x.path("budget").path("over_budget_at_bound_windows").asLong() >= 3, 30_000);
            String text = cli("status", "--config", cfg.toString())[1];
            assertTrue(text.contains("budget out of reach: the last ") && text.contains("windows were over it with lambda at"
                    + " or near its max 3.00"), text);
            String body = LatencySources.get("http://" + stuck.path("daemon").path("metrics").asText() + "/metrics");
            assertTrue(ShadowMetricsTest.sample(body, "cohort_over_budget_at_bound_windows_total ").orElseThrow() >= 3, body);
            assertEquals("0", cli("tune", "--config", cfg.toString(), "budget", "100%")[0]);
            JsonNode down = d.awaitStatus(x -> x.path("budget").path("lambda").asDouble() <= 1.0, 30_000).path("budget");
            assertEquals(1.0, down.path("lambda").asDouble(), 1e-9, "back at the configured λ, its floor: " + down);
            assertEquals(0, down.path("over_budget_at_bound_windows").asLong(), "a budget it can hold: " + down);
            assertFalse(cli("status", "--config", cfg.toString())[1].contains("out of reach"));
            assertEquals("tune", down.path("source").asText());
            // a reload (SIGHUP) keeps the tuned budget, as it keeps every manual override
            long ticks = d.awaitStatus(x -> true, 5_000).path("ticks").path("count").asLong();
            d.daemon.requestReload();
            JsonNode kept = d.awaitStatus(x -> x.path("ticks").path("count").asLong() > ticks + 20, 10_000).path("budget");
            assertEquals("tune", kept.path("source").asText(), kept.toString());
            assertEquals(TDP, kept.path("watts").asDouble(), 1e-3);
            assertTrue(d.log().contains("power budget 100% = 63.0 W (cohort tune;"), d.log());
            String[] off = cli("tune", "--config", cfg.toString(), "budget", "off");
            assertEquals("0", off[0], off[1]);
            assertTrue(off[1].contains("power budget 60% = 37.8 W (configuration)"), off[1]);
            assertEquals(0, d.stop());
        }
        assertTrue(Files.readString(dir.resolve("journal.jsonl")).contains("power budget 37.8 W out of reach: 3 windows in a"
                + " row over it"), "journalled once it is out of reach");
    }

    @Test
    void governorClampsTheBatchCoresAndTuneMovesItsBudgetLive() throws Exception {
        // membw: the service on cores 0-7, the stream on 8-15 (domains the clamp may step down); 104.1 W peak, and
        // performance draws about 67 W unbudgeted
        Path cfg = config("membw", "power_budget: 50%\nbalancer: governor");
        try (InProcessDaemon d = InProcessDaemon.start(cfg, dir.resolve("run/cohort.sock"))) {
            JsonNode b = d.awaitStatus(x -> windows(x) >= 15, 60_000).path("budget");
            assertEquals("governor", b.path("balancer").asText());
            double held = b.path("window_w").asDouble();
            assertTrue(held < 0.5 * 104.0992 * 1.05, "the clamp brought power to the budget: " + b);
            assertEquals("0", cli("tune", "--config", cfg.toString(), "budget", "100%")[0]);
            // the clamp lets go under the higher budget: power rises (awaited: how fast depends on the stream)
            JsonNode free = d.awaitStatus(x -> x.path("budget").path("source").asText().equals("tune")
                    && x.path("budget").path("window_w").asDouble() > held + 3, 30_000).path("budget");
            assertEquals(104.0992, free.path("watts").asDouble(), 1e-3);
            assertEquals(0, d.stop());
        }
        assertTrue(Files.readString(dir.resolve("journal.jsonl")).contains("domains without services step down"),
                "the governor's clamp is journalled");
    }

    @Test
    void piPricesALearnedPolicySoThatLambdaReachesIt() throws Exception {
        Path cfg = config("colocation", "power_budget: 60%\nbalancer: pi\nlambda_max: 50");
        Files.writeString(cfg, Files.readString(cfg).replace("policy: {core: performance, memory: performance, quota: performance}",
                "policy: {core: learned, memory: learned, quota: learned}").replace("period: 20ms", "period: 100ms")
                .replace("balancer_step: 200ms", "balancer_step: 500ms")); // the shipped models' tick
        try (InProcessDaemon d = InProcessDaemon.start(cfg, dir.resolve("run/cohort.sock"))) {
            JsonNode s = d.awaitStatus(x -> windows(x) >= 6, 60_000);
            assertTrue(d.log().contains("balancer pi holds the budget by moving λ (1..50): policy ")
                    && d.log().contains(" follows it through the cost estimator's prices (PricedPolicy)"), d.log());
            assertEquals(0, s.path("ticks").path("fallbacks").asLong(), "the priced policy decides: " + s.path("last_decisions"));
            System.out.println("pi with the priced learned policy at 60%: " + s.path("budget"));
            assertEquals(0, d.stop());
        }
    }

    @Test
    void mpcPlansLambdaWithTheDynamicsModelAndPredictsThePower() throws Exception {
        // a model whose power falls 0.1 of TDP per unit of λ; performance does not follow λ, so the plan keeps raising it
        Path model = dev.cohort.balance.TestDynamicsModels.exact(Files.createDirectories(dir.resolve("dyn")), 200, 6);
        Path cfg = config("colocation", "power_budget: 60%\nbalancer: mpc\nlambda_max: 4\ndynamics_model: " + model);
        try (InProcessDaemon d = InProcessDaemon.start(cfg, dir.resolve("run/cohort.sock"))) {
            JsonNode b = d.awaitStatus(x -> x.path("budget").path("lambda").asDouble() > 1.5
                    && !x.path("budget").path("predicted_w").isNull() && windows(x) >= 1, 60_000).path("budget");
            assertEquals("mpc", b.path("balancer").asText());
            assertTrue(b.path("predicted_w").asDouble() > 0 && b.path("step_cost_us").asDouble() > 0, b.toString());
            assertTrue(d.log().contains("balancer mpc holds the budget by moving λ (1..4), which the configured policies ignore"),
                    d.log());
            String body = LatencySources.get("http://" + d.awaitStatus(x -> true, 5_000).path("daemon").path("metrics").asText()
                    + "/metrics");
            assertTrue(ShadowMetricsTest.sample(body, "cohort_predicted_power_watts ").orElseThrow() > 0, body);
            assertEquals(0, d.stop());
        }
        // the model was trained at another step: refused at start, one line naming the key
        Files.writeString(cfg, Files.readString(cfg).replace("balancer_step: 200ms", "balancer_step: 400ms"));
        try (InProcessDaemon d = InProcessDaemon.start(cfg, dir.resolve("run/cohort.sock"))) {
            RuntimeException e = d.failure();
            assertTrue(e != null && e.getMessage().startsWith("balancer_step 400 ms: the dynamics model ")
                    && e.getMessage().contains("was trained at a balancer step of 200 ms"), String.valueOf(e));
        }
        // the model forecasts a policy priced at another κ than the daemon's: refused at start, one line
        Path other = dev.cohort.balance.TestDynamicsModels.exact(Files.createDirectories(dir.resolve("dyn-k")), 200, 6, 0.1f,
                0.625);
        Files.writeString(cfg, Files.readString(cfg).replace("balancer_step: 400ms", "balancer_step: 200ms")
                .replace(model.toString(), other.toString()));
        try (InProcessDaemon d = InProcessDaemon.start(cfg, dir.resolve("run/cohort.sock"))) {
            RuntimeException e = d.failure();
            assertEquals("dynamics_model (for balancer mpc): " + other + " was trained from a policy priced at κ 0.625, not "
                    + "0.2083 (train one with cohort dynamics train --price-scale 0.2083)", String.valueOf(e.getMessage()));
        }
    }

    @Test
    void onAHostRaplWritesPl1ThroughPowercapAndTheStopRestoresIt() throws Exception {
        Path tree = dev.cohort.platform.linux.faketree.FakeTreeWriter.write(dir.resolve("tree"),
                dev.cohort.platform.linux.faketree.TreeSpec.intelServer(8, 2));
        TreeSnapshot original = TreeSnapshot.of(tree);
        Path cfg = FakeHostConfig.write(dir, tree, "static:core=0.5", "static:memory=1", "static:quota=1", -1);
        Files.writeString(cfg, Files.readString(cfg) + "power_budget: 100W\nbalancer: rapl\n");
        Path pl1 = tree.resolve("sys/class/powercap/intel-rapl:1/constraint_0_power_limit_uw");
        try (InProcessDaemon d = InProcessDaemon.start(cfg, dir.resolve("run/cohort.sock"))) {
            d.awaitStatus(x -> x.path("ticks").path("count").asLong() >= 2, 60_000);
            assertEquals("50000000", Files.readString(pl1).strip(), "100 W split evenly over the two packages");
            assertEquals("1000000", Files.readString(pl1.resolveSibling("constraint_0_time_window_us")).strip(),
                    "the balancer's step as PL1's window");
            assertTrue(Files.readString(dir.resolve("run/state.json")).contains("constraint_0_power_limit_uw"),
                    "saved before the write, like every knob");
            String[] tuned = cli("tune", "--config", cfg.toString(), "budget", "80W");
            assertEquals("0", tuned[0], tuned[1]);
            assertEquals("40000000", Files.readString(pl1).strip(), "tune budget writes the new limit at once");
            assertEquals("0", cli("tune", "--config", cfg.toString(), "release", "budget")[0]);
            assertEquals("50000000", Files.readString(pl1).strip(), "back to the configured budget");
            // a reload to no budget puts PL1 back as found while the daemon runs on
            Files.writeString(cfg, Files.readString(cfg).replace("power_budget: 100W\n", ""));
            d.daemon.requestReload();
            long end = System.currentTimeMillis() + 10_000;
            while (!Files.readString(pl1).strip().equals("65000000") && System.currentTimeMillis() < end) {
                Thread.sleep(20);
            }
            assertEquals("65000000", Files.readString(pl1).strip(), d.log());
            assertEquals("none", d.awaitStatus(x -> x.path("budget").path("watts").isNull(), 10_000).path("budget")
                    .path("spec").asText("none"));
            assertEquals(0, d.stop(), d.log());
        }
        // plain files, not the kernel's: the generated originals end in a newline the restore's write does not add
        assertEquals("65000000", Files.readString(pl1).strip(), "PL1 restored as found");
        assertEquals("27983872", Files.readString(pl1.resolveSibling("constraint_0_time_window_us")).strip());
        assertTrue(TreeSnapshot.of(tree).diff(original).stream().allMatch(l -> l.matches("changed .*: '(\\d+)' -> '\\1\\\\n'")),
                "every knob restored: " + TreeSnapshot.of(tree).diff(original));
    }

    /** A scenario file: colocation's machine and work, with RAPL hidden as on a host without it. */
    private Path hiddenRapl() throws IOException {
        String sc = Files.readString(Path.of("configs/scenarios/membw.yaml"))
                .replace("name: membw", "name: membw-no-rapl")
                .replace("  coresPerSocket: 16\n", "  coresPerSocket: 16\n  rapl: {present: false}\n");
        Path f = dir.resolve("membw-no-rapl.yaml");
        Files.writeString(f, sc);
        return f;
    }

    @Test
    void withoutRaplAMissingCostModelIsAOneLineError() throws Exception {
        Path cfg = config(hiddenRapl().toString(), "power_budget: 60%\nbalancer: governor\ncost_model: " + dir.resolve("nowhere"));
        try (InProcessDaemon d = InProcessDaemon.start(cfg, dir.resolve("run/cohort.sock"))) {
            RuntimeException e = d.failure();
            assertTrue(e != null && e.getMessage().startsWith("cost_model " + dir.resolve("nowhere") + ": ")
                    && e.getMessage().contains("no cost model there") && e.getMessage().lines().count() == 1, String.valueOf(e));
        }
    }

    /**
     * The end-to-end case: the same daemon with RAPL hidden, its package power estimated by the shipped cost
     * estimator ({@code models/cost}, loaded because the machine has no RAPL); {@code membw}'s batch job has cores of its
     * own, so the governor's clamp can hold the budget there.
     */
    @Test
    void withRaplHiddenTheEstimatedPowerHoldsTheBudgetAndTuneMovesIt() throws Exception {
        // membw's machine: 104.1 W peak; the clamp steps the stream's cores down to about 45 W (estimated) at most, so
        // both budgets here are within its reach. It acts only while over, so windows hover at the budget, a few % over.
        Path cfg = config(hiddenRapl().toString(), "power_budget: 55%\nbalancer: governor");
        double tdp = 104.0992;
        try (InProcessDaemon d = InProcessDaemon.start(cfg, dir.resolve("run/cohort.sock"))) {
            JsonNode s = d.awaitStatus(x -> windows(x) >= 15, 60_000);
            JsonNode b = s.path("budget");
            assertEquals("estimated", b.path("power_source").asText(), b.toString());
            assertTrue(s.path("packages").get(0).path("power_w").isNull(), "no measured power");
            assertTrue(b.path("power_w").asDouble() > 0 && b.path("predicted_w").asDouble() > 0, b.toString());
            double before = b.path("window_w").asDouble();
            assertTrue(before <= 0.55 * tdp * 1.05, "held within 5% of the budget on the estimated power: " + b);
            assertTrue(d.log().contains("package power: estimated (cost model"), d.log());
            String text = cli("status", "--config", cfg.toString())[1];
            assertTrue(text.contains("(55%, config)  balancer governor") && text.contains(" estimated  predicted "), text);
            String body = LatencySources.get("http://" + s.path("daemon").path("metrics").asText() + "/metrics");
            assertTrue(ShadowMetricsTest.sample(body, "cohort_package_power_watts{package=\"all\",source=\"estimated\"}")
                    .orElseThrow() > 0, body);
            assertTrue(ShadowMetricsTest.sample(body, "cohort_predicted_power_watts ").orElseThrow() > 0, body);
            promtool(body);
            System.out.println("hidden RAPL, governor at 55%: " + b);

            assertEquals("0", cli("tune", "--config", cfg.toString(), "budget", "48%")[0]);
            long at = windows(d.awaitStatus(x -> x.path("budget").path("source").asText().equals("tune"), 5_000));
            JsonNode t = d.awaitStatus(x -> windows(x) >= at + 10, 30_000).path("budget");
            System.out.println("hidden RAPL, governor tuned to 48%: " + t);
            // The clamp hovers about the budget, a window a few % over, the next under: judge the mean of the next five
            // windows, not one. (A single window at 55% may already sit under 48%: the load decides; the new budget is
            // the claim.)
            double settled = meanOfNextWindows(d, 5);
            assertTrue(settled <= 0.48 * tdp * 1.05, "power followed the budget down: mean of five windows " + settled
                    + " W; last " + t);
            assertEquals(0, d.stop());
        }
        String journal = Files.readString(dir.resolve("journal.jsonl"));
        assertTrue(journal.contains("\"power_source\":\"estimated\"") && journal.contains("\"budget_w\":49.9"), "labelled in the journal");
    }

    /** The mean of the next {@code n} one-second windows' power the daemon reports, each read once. */
    private static double meanOfNextWindows(InProcessDaemon d, int n) throws Exception {
        double sum = 0;
        long seen = windows(d.awaitStatus(x -> true, 5_000));
        for (int i = 0; i < n; i++) {
            long want = seen + 1;
            JsonNode s = d.awaitStatus(x -> windows(x) >= want, 10_000);
            seen = windows(s);
            sum += s.path("budget").path("window_w").asDouble();
        }
        return sum / n;
    }
}
