package dev.cohort.learn.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.platform.CpuSet;
import dev.cohort.platform.sim.ArrivalSpec;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.Scenarios;
import dev.cohort.platform.sim.SimMachine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Moving a scenario onto another machine size keeps its workloads' placement, sharing and load. */
class ResizeTest {
    private static final List<MachineSize> SIZES = Stream.of("1x2", "1x3", "1x4", "1x5", "1x8", "1x16", "1x32", "2x4", "2x8", "2x16",
            "4x4").map(MachineSize::parse).toList();

    /** Every scenario in the repository: built-ins, training files and (as inputs only) the held-out ones. */
    static List<Scenario> all() throws Exception {
        List<Scenario> out = new ArrayList<>();
        Scenarios.builtInNames().forEach(n -> out.add(Scenarios.builtIn(n)));
        Path root = Path.of(System.getProperty("cohort.repo", "."), "configs", "scenarios");
        for (String sub : new String[]{"train", "heldout"}) {
            try (Stream<Path> files = Files.list(root.resolve(sub))) {
                files.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(p -> out.add(Scenarios.load(p)));
            }
        }
        return out;
    }

    @Test
    void membwOnFourCoresKeepsTheServiceAndTheStreamApartAndTheirLoads() {
        Scenario base = Scenarios.builtIn("membw");
        Scenario s = Resize.to(base, MachineSize.parse("1x4"));
        assertEquals(4, s.machine().cpuCount());
        assertEquals(CpuSet.of(0, 1), s.services().getFirst().cpus());
        assertEquals(CpuSet.of(2, 3), s.batchJobs().getFirst().cpus());
        assertEquals(15, s.machine().memory().peakGBps(), 1e-9, "60 GB/s for 16 cores: 15 for 4");
        double rate0 = ((ArrivalSpec.Constant) base.services().getFirst().arrivals()).ratePerSec();
        assertEquals(rate0 / 4, ((ArrivalSpec.Constant) s.services().getFirst().arrivals()).ratePerSec(), 1e-9, "same load on 2 cores");
        assertSame(base, Resize.to(base, MachineSize.parse("1x16")));
    }

    @Test
    void aOneSocketScenarioOnTwoSocketsRunsOnEachSocketAsItDidOnOne() {
        Scenario s = Resize.to(Scenarios.builtIn("colocation"), MachineSize.parse("2x16"));
        assertEquals(List.of("web", "web-2"), s.services().stream().map(v -> v.name()).toList());
        assertEquals(List.of("build", "build-2"), s.batchJobs().stream().map(b -> b.name()).toList());
        assertEquals(CpuSet.range(0, 16), s.services().get(0).cpus());
        assertEquals(CpuSet.range(16, 16), s.services().get(1).cpus());
        assertEquals(CpuSet.range(0, 16), s.batchJobs().get(0).cpus());
        assertEquals(CpuSet.range(16, 16), s.batchJobs().get(1).cpus());
    }

    @Test
    void partialSharingStaysPartialAndCellsKeepTheirOrder() {
        // large's socket 0: web alone on 0-15, web and build on 16-31, build alone on 32-63
        Scenario s = Resize.to(Scenarios.builtIn("large"), MachineSize.parse("2x8"));
        assertEquals(CpuSet.of(0, 1, 2, 3), s.services().get(0).cpus(), "web: its own quarter and the shared quarter");
        assertEquals(CpuSet.of(2, 3, 4, 5, 6, 7), s.batchJobs().get(0).cpus());
        assertEquals(CpuSet.of(8, 9, 10, 11), s.services().get(1).cpus());
        assertEquals(CpuSet.of(12, 13, 14, 15), s.batchJobs().get(1).cpus());
        // three cells do not fit two cores; two sockets do not go onto one
        assertFalse(Resize.fits(Scenarios.builtIn("large"), MachineSize.parse("2x2")));
        assertFalse(Resize.fits(Scenarios.builtIn("large"), MachineSize.parse("1x32")));
        assertThrows(IllegalArgumentException.class, () -> Resize.to(Scenarios.builtIn("large"), MachineSize.parse("1x32")));
    }

    @Test
    void everyResizedScenarioKeepsPlacementSharingAndLoadAndRuns() throws Exception {
        for (Scenario base : all()) {
            for (MachineSize z : SIZES) {
                if (!Resize.fits(base, z)) {
                    assertTrue(z.sockets() % base.machine().sockets() != 0 || z.coresPerSocket() < 4, base.name() + " on " + z);
                    continue;
                }
                Scenario s = Resize.to(base, z);
                String at = base.name() + " on " + z;
                assertEquals(z.sockets(), s.machine().sockets(), at);
                assertEquals(z.coresPerSocket(), s.machine().coresPerSocket(), at);
                int copies = z.sockets() / base.machine().sockets();
                List<CpuSet> before = sets(base);
                List<CpuSet> after = sets(s);
                int nSvc = base.services().size();
                int nJob = base.batchJobs().size();
                assertEquals(copies * before.size(), after.size(), at);
                for (int k = 0; k < copies; k++) {
                    for (int i = 0; i < before.size(); i++) {
                        CpuSet a = image(after, nSvc, nJob, copies, k, i);
                        assertFalse(a.isEmpty(), at + ": set " + i);
                        assertTrue(a.get(a.size() - 1) < s.machine().cpuCount(), at + ": inside the machine");
                        int lo = k * base.machine().sockets() * z.coresPerSocket();
                        int hi = lo + base.machine().sockets() * z.coresPerSocket();
                        assertTrue(a.get(0) >= lo && a.get(a.size() - 1) < hi, at + ": copy " + k + " on its own sockets");
                        for (int j = 0; j < before.size(); j++) {
                            CpuSet b = image(after, nSvc, nJob, copies, k, j);
                            assertEquals(before.get(i).intersects(before.get(j)), a.intersects(b), at + ": sets " + i + ", " + j);
                            if (before.get(i).get(before.get(i).size() - 1) < before.get(j).get(0)) {
                                assertTrue(a.get(a.size() - 1) < b.get(0), at + ": order of sets " + i + ", " + j);
                            }
                        }
                    }
                    for (int i = 0; i < nSvc; i++) {
                        double perCore = base.services().get(i).arrivals().maxRatePerSec() / base.services().get(i).cpus().size();
                        var v = s.services().get(k * nSvc + i);
                        assertEquals(perCore, v.arrivals().maxRatePerSec() / v.cpus().size(), perCore * 1e-9, at + ": load kept");
                    }
                }
                assertEquals(base.machine().memory().peakGBps() / base.machine().coresPerSocket(),
                        s.machine().memory().peakGBps() / z.coresPerSocket(), 1e-9, at + ": bandwidth per core kept");
                new SimMachine(s, 1000).advance(s.tickNanos()); // the simulator accepts it
            }
        }
    }

    /** Services' CPU sets, then jobs' (reserved CPUs are checked through them). */
    private static List<CpuSet> sets(Scenario s) {
        List<CpuSet> out = new ArrayList<>();
        s.services().forEach(v -> out.add(v.cpus()));
        s.batchJobs().forEach(b -> out.add(b.cpus()));
        return out;
    }

    /** Set {@code i} of the file (services first, then jobs) in copy {@code k} of the resized scenario. */
    private static CpuSet image(List<CpuSet> after, int nSvc, int nJob, int copies, int k, int i) {
        return i < nSvc ? after.get(k * nSvc + i) : after.get(copies * nSvc + k * nJob + (i - nSvc));
    }
}
