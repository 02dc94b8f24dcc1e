package dev.cohort.control;

import dev.cohort.platform.Availability;
import dev.cohort.platform.Capabilities;
import dev.cohort.platform.CgroupRole;
import dev.cohort.platform.Control;
import dev.cohort.platform.ControlPlan;
import dev.cohort.platform.CpuSet;
import dev.cohort.platform.Knob;
import dev.cohort.platform.KnobIo;
import dev.cohort.platform.KnobKeeper;
import dev.cohort.platform.LatencyHistogram;
import dev.cohort.platform.Platform;
import dev.cohort.platform.RestoreReport;
import dev.cohort.platform.Setting;
import dev.cohort.platform.SettingResult;
import dev.cohort.platform.Signal;
import dev.cohort.platform.StateStore;
import dev.cohort.platform.Telemetry;
import dev.cohort.platform.Topology;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A hand-driven host for control-layer tests: 4 CPUs, one frequency domain each (1.0–3.0 GHz in 100 MHz
 * steps), one memory domain with MBA, a service "web" on CPUs 0-1 (SLO 5 ms at p99) and a batch job on
 * CPUs 2-3. Each sample advances 100 ms; the test sets utilisation and the service's latency beforehand.
 */
final class FakePlatform implements Platform {
    static final long STEP_NANOS = 100_000_000L;
    final double[] util = {0.5, 0.5, 0.5, 0.5};
    double serviceLatencyUsec = 1000;
    double watts = 50;
    final Map<String, String> knobs = new HashMap<>();
    final List<String> writes = new ArrayList<>();
    /** Frequency domains whose settings come back UNSUPPORTED, as a held manual override does; and how often asked. */
    final java.util.Set<Integer> refusedDomains = new java.util.HashSet<>();
    int refusedAsks;
    private final Topology topo;
    private final KnobKeeper keeper;
    private long now;
    private final long[] busy = new long[4];
    private final long[] idle = new long[4];
    private long energyUj;
    private final LatencyHistogram web = new LatencyHistogram();

    FakePlatform(CpuSet reserved) {
        List<Topology.Cpu> cpus = new ArrayList<>();
        List<Topology.FrequencyDomain> fd = new ArrayList<>();
        List<Long> levels = new ArrayList<>();
        for (long k = 1_000_000; k <= 3_000_000; k += 100_000) {
            levels.add(k);
        }
        for (int c = 0; c < 4; c++) {
            cpus.add(new Topology.Cpu(c, c, 0, 0));
            fd.add(new Topology.FrequencyDomain("policy" + c, CpuSet.of(c), 1_000_000, 3_000_000, levels));
            knobs.put("freq" + c, "3000000");
        }
        knobs.put("mba0", "100");
        knobs.put("quota1", "max 100000");
        topo = new Topology(cpus, 1, fd,
                List.of(new Topology.MemoryDomain(0, 0, CpuSet.range(0, 4), Optional.of(new Topology.MbaScale(10, 10, 100, true)))),
                List.of(new Topology.CgroupInfo("web", "sim/web", CgroupRole.LATENCY_CRITICAL, CpuSet.of(0, 1), 5000, 0.99),
                        new Topology.CgroupInfo("batch", "sim/batch", CgroupRole.BEST_EFFORT, CpuSet.of(2, 3), 0, 0)),
                reserved);
        KnobIo io = new KnobIo() {
            @Override
            public String read(Knob k) throws IOException {
                String v = knobs.get(k.id());
                if (v == null) {
                    throw new IOException("No such file or directory");
                }
                return v;
            }

            @Override
            public void write(Knob k, String value) {
                writes.add(k.id() + "=" + value);
                knobs.put(k.id(), value);
            }
        };
        try {
            keeper = new KnobKeeper(io, StateStore.inMemory());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    FakePlatform() {
        this(CpuSet.empty());
    }

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public Topology topology() {
        return topo;
    }

    @Override
    public Capabilities capabilities() {
        var b = Capabilities.builder();
        for (Signal s : Signal.values()) {
            b.signal(s, Availability.yes());
        }
        b.control(Control.FREQ_MAX_KHZ, Availability.yes()).control(Control.MBA_PERCENT, Availability.yes())
                .control(Control.CPU_MAX_USEC, Availability.yes());
        return b.build();
    }

    @Override
    public Telemetry sample() {
        now += STEP_NANOS;
        for (int c = 0; c < 4; c++) {
            busy[c] += (long) (util[c] * STEP_NANOS);
            idle[c] += STEP_NANOS - (long) (util[c] * STEP_NANOS);
        }
        energyUj += (long) (watts * STEP_NANOS / 1000);
        for (int i = 0; i < 100; i++) {
            web.record((long) (serviceLatencyUsec * 1000));
        }
        return Telemetry.builder(now)
                .counter(Signal.CPU_BUSY_NANOS, busy.clone())
                .counter(Signal.CPU_IDLE_NANOS, idle.clone())
                .counter(Signal.PKG_ENERGY_UJ, new long[]{energyUj})
                .counter(Signal.CGROUP_USAGE_USEC, new long[]{0, 0})
                .latency(new LatencyHistogram[]{web.copy(), null})
                .build();
    }

    @Override
    public List<SettingResult> apply(ControlPlan plan) {
        List<SettingResult> out = new ArrayList<>();
        for (Setting s : plan.settings()) {
            switch (s) {
                case Setting.FreqMaxKhz f when refusedDomains.contains(f.domain()) -> {
                    refusedAsks++;
                    out.add(SettingResult.unsupported(s, "held by a manual override"));
                }
                case Setting.FreqMaxKhz f -> out.add(SettingResult.of(s,
                        keeper.write(new Knob("freq" + f.domain(), "freq"), Long.toString(f.khz())), keeper.io()));
                case Setting.MbaPercent m -> out.add(SettingResult.of(s,
                        keeper.write(new Knob("mba" + m.domain(), "mba"), Integer.toString(m.percent())), keeper.io()));
                case Setting.CpuMaxUsec q -> out.add(SettingResult.of(s, keeper.write(new Knob("quota" + q.cgroup(), "quota"),
                        (q.quotaUsec() < 0 ? "max" : Long.toString(q.quotaUsec())) + " " + q.periodUsec()), keeper.io()));
                default -> out.add(SettingResult.unsupported(s, "the fake host has no " + s.control()));
            }
        }
        return out;
    }

    @Override
    public List<Setting> currentSettings() {
        List<Setting> s = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            s.add(new Setting.FreqMaxKhz(c, Long.parseLong(knobs.get("freq" + c))));
        }
        s.add(new Setting.MbaPercent(0, Integer.parseInt(knobs.get("mba0"))));
        String[] q = knobs.get("quota1").split(" ");
        s.add(new Setting.CpuMaxUsec(1, q[0].equals("max") ? -1 : Long.parseLong(q[0]), Long.parseLong(q[1])));
        return s;
    }

    @Override
    public RestoreReport restore(boolean force) {
        return keeper.restore(force);
    }

    @Override
    public void close() {
    }
}
