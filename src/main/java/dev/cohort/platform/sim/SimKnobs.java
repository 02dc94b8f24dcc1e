package dev.cohort.platform.sim;

import dev.cohort.platform.Knob;
import dev.cohort.platform.KnobIo;
import dev.cohort.platform.Topology;
import java.io.IOException;

/**
 * The simulated machine's knobs in the text forms the kernel uses, with the kernel's rules: frequencies in
 * kHz, clamped to the hardware range and resolved to a level (max down, min up; if min exceeds max the
 * max wins); {@code cpu.max} as {@code "max 100000"} or {@code "50000 100000"} with EINVAL outside the
 * kernel's limits; {@code cpu.weight} 1..10000 (ERANGE outside); MBA percent rounded up to the hardware
 * step (out of range is an error, as resctrl says); a package's power limit as {@code "<µW> <window µs>"} or
 * {@code "max <window µs>"} (none), the window within the hardware's 1 ms to 40 s. Ids: {@code sim:freq-max:<domain>},
 * {@code sim:freq-min:<domain>}, {@code sim:cpu-max:<cgroup>}, {@code sim:cpu-weight:<cgroup>},
 * {@code sim:mba:<memory domain>}, {@code sim:power-limit:<package>}.
 */
final class SimKnobs implements KnobIo {
    private final Engine e;

    SimKnobs(Engine e) {
        this.e = e;
    }

    static Knob freqMax(int d) {
        return new Knob("sim:freq-max:" + d, "maximum frequency of frequency domain " + d + ", kHz");
    }

    static Knob freqMin(int d) {
        return new Knob("sim:freq-min:" + d, "minimum frequency of frequency domain " + d + ", kHz");
    }

    static Knob cpuMax(int g, String name) {
        return new Knob("sim:cpu-max:" + g, "cpu.max of cgroup sim/" + name);
    }

    static Knob cpuWeight(int g, String name) {
        return new Knob("sim:cpu-weight:" + g, "cpu.weight of cgroup sim/" + name);
    }

    static Knob mba(int d) {
        return new Knob("sim:mba:" + d, "MBA limit of the best-effort group in memory domain " + d + ", percent");
    }

    static Knob powerLimit(int p) {
        return new Knob("sim:power-limit:" + p, "power limit (PL1) of package " + p + ": µW and window µs");
    }

    /** A power-limit setting in the knob's text form. */
    static String powerLimitText(dev.cohort.platform.Setting.PowerLimitUw p) {
        return (p.limitUw() < 0 ? "max" : Long.toString(p.limitUw())) + " " + p.windowUs();
    }

    private record Id(String kind, int index) {
    }

    private Id parse(Knob k) throws IOException {
        String[] f = k.id().split(":");
        if (f.length != 3 || !f[0].equals("sim")) {
            throw new IOException("No such file or directory: " + k.id() + " is not a simulated-machine knob");
        }
        int i;
        try {
            i = Integer.parseInt(f[2]);
        } catch (NumberFormatException ex) {
            throw new IOException("No such file or directory: " + k.id());
        }
        int limit = switch (f[1]) {
            case "freq-max", "freq-min" -> e.domains;
            case "cpu-max", "cpu-weight" -> e.cgroupCount;
            case "mba", "power-limit" -> e.sockets;
            default -> throw new IOException("No such file or directory: " + k.id() + " is not a simulated-machine knob");
        };
        if (i < 0 || i >= limit) {
            throw new IOException("No such file or directory: " + k.id() + " (indices run 0.." + (limit - 1) + ")");
        }
        return new Id(f[1], i);
    }

    @Override
    public String read(Knob knob) throws IOException {
        Id id = parse(knob);
        return switch (id.kind()) {
            case "freq-max" -> Long.toString(e.freqMaxKhz[id.index()]);
            case "freq-min" -> Long.toString(e.freqMinKhz[id.index()]);
            case "cpu-max" -> e.cpuMax[id.index()].text();
            case "cpu-weight" -> Integer.toString(e.cpuWeight[id.index()]);
            case "power-limit" -> {
                double w = e.limiter.limitWatts[id.index()];
                yield (Double.isNaN(w) ? "max" : Long.toString(Math.round(w * 1e6))) + " " + e.limiter.windowUsec[id.index()];
            }
            default -> Integer.toString(e.mbaPercent[id.index()]);
        };
    }

    @Override
    public void write(Knob knob, String value) throws IOException {
        Id id = parse(knob);
        int i = id.index();
        String v = value.strip();
        switch (id.kind()) {
            case "freq-max", "freq-min" -> {
                long khz = frequency(v);
                MachineSpec.Dvfs dvfs = e.machine.dvfs();
                long c = Math.max(dvfs.minKhz(), Math.min(dvfs.maxKhz(), khz));
                if (id.kind().equals("freq-max")) {
                    e.freqMaxKhz[i] = e.snapDown(c);
                } else {
                    e.freqMinKhz[i] = e.snapUp(c);
                }
                e.applyFrequency(i);
            }
            case "cpu-max" -> {
                try {
                    e.setCpuMax(i, CpuMax.parse(v, e.cpuMax[i].periodUsec()));
                } catch (IllegalArgumentException ex) {
                    throw new IOException(ex.getMessage());
                }
            }
            case "power-limit" -> {
                String[] f = v.split("\\s+");
                if (f.length != 2) {
                    throw new IOException("power limit '" + v + "' is not '<µW> <window µs>' or 'max <window µs>' (Invalid argument)");
                }
                long window = whole(f[1], "a time window in µs");
                if (window < PowerLimiter.MIN_WINDOW_USEC || window > PowerLimiter.MAX_WINDOW_USEC) {
                    throw new IOException("power-limit window " + window + " µs is outside " + PowerLimiter.MIN_WINDOW_USEC
                            + ".." + PowerLimiter.MAX_WINDOW_USEC + " µs (Invalid argument)");
                }
                double watts = Double.NaN;
                if (!f[0].equals("max")) {
                    long uw = whole(f[0], "a power limit in µW");
                    if (uw <= 0) {
                        throw new IOException("power limit " + uw + " µW is not positive (Invalid argument)");
                    }
                    watts = uw / 1e6;
                }
                e.setPowerLimit(i, watts, window);
            }
            case "cpu-weight" -> {
                long w = whole(v, "a whole cpu.weight from 1 to 10000");
                if (w < 1 || w > 10_000) {
                    throw new IOException("cpu.weight " + w + " is outside 1..10000 (Numerical result out of range)");
                }
                e.cpuWeight[i] = (int) w;
            }
            default -> {
                Topology.MbaScale scale = e.machine.memory().mba();
                long p;
                try {
                    p = Long.parseLong(v);
                } catch (NumberFormatException ex) {
                    throw new IOException("Invalid MB value " + v + " (a whole percent from " + scale.min() + " to "
                            + scale.max() + " is allowed)");
                }
                if (p < scale.min() || p > scale.max()) {
                    throw new IOException("MB value " + p + " out of range [" + scale.min() + "," + scale.max() + "]");
                }
                e.mbaPercent[i] = scale.snap((int) p);
            }
        }
    }

    private static long frequency(String v) throws IOException {
        long khz = whole(v, "a frequency in kHz");
        if (khz < 0 || khz >= (1L << 31)) {
            throw new IOException("frequency " + v + " kHz is not a non-negative 32-bit value (Invalid argument)");
        }
        return khz;
    }

    private static long whole(String v, String what) throws IOException {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException ex) {
            throw new IOException("'" + v + "' is not " + what + " (Invalid argument)");
        }
    }

    @Override
    public boolean sameValue(Knob knob, String a, String b) {
        if (knob.id().startsWith("sim:cpu-max:")) {
            try {
                return CpuMax.parse(a, CpuMax.DEFAULT_PERIOD_USEC).equals(CpuMax.parse(b, CpuMax.DEFAULT_PERIOD_USEC));
            } catch (IllegalArgumentException ex) {
                return false;
            }
        }
        return KnobIo.super.sameValue(knob, a, b);
    }
}
