package dev.cohort.balance.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.control.LayoutFacts;
import dev.cohort.platform.CohortException;
import dev.cohort.policy.ActionSpace;
import dev.cohort.policy.ObservationSpec;
import dev.cohort.policy.Observations;
import dev.cohort.policy.Role;
import dev.cohort.policy.RoleObservations;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads estimator samples from a host's journal written with observations ({@code JsonLinesJournal.recordingObservations},
 * {@code simulate --journal-observations}): each pair of consecutive tick lines with the same layout makes one sample, the
 * first line's observations with the levels the agents held over the next interval (the second line's current levels),
 * and the truth the second line measured: each package's power (RAPL) and each domain's utilisation. Lines without
 * measured power (no RAPL, or an estimate) are skipped, so an estimator never learns from its own output.
 */
public final class JournalSamples {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int C_UTIL = ObservationSpec.CORE.index("util");

    private JournalSamples() {
    }

    /**
     * The samples in {@code files}, read in the order given (a rotated {@code .gz} too).
     *
     * @throws CohortException naming the file when it cannot be read or has no line with observations
     */
    public static List<CostSample> read(List<Path> files) {
        List<CostSample> out = new ArrayList<>();
        for (Path f : files) {
            int before = out.size();
            long lines = readFile(f, out);
            if (lines == 0) {
                throw new CohortException(f + ": no tick line carries observations (\"obs\"): write the journal with "
                        + "observations (journal.observations: true in the daemon's configuration, or simulate --journal FILE"
                        + " --journal-observations) on a host with RAPL");
            }
            if (out.size() == before) {
                throw new CohortException(f + ": " + lines + " lines with observations but no two consecutive ticks with "
                        + "measured package power: the estimator trains only on a host whose RAPL measures");
            }
        }
        return out;
    }

    private static long readFile(Path f, List<CostSample> out) {
        long withObs = 0;
        try (InputStream raw = Files.newInputStream(f);
             InputStream in = f.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            JsonNode prev = null;
            String line;
            long n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (IOException e) {
                    throw new CohortException(f + ":" + n + ": not a JSON line (" + e.getMessage().lines().findFirst().orElse("")
                            + ")");
                }
                if (!node.has("tick") || !node.hasNonNull("obs")) {
                    continue;
                }
                withObs++;
                if (prev != null && node.path("tick").asLong() == prev.path("tick").asLong() + 1
                        && prev.path("obs").path("layout").equals(node.path("obs").path("layout"))) {
                    CostSample s = sample(prev, node, out.size());
                    if (s != null) {
                        out.add(s);
                    }
                }
                prev = node;
            }
        } catch (IOException e) {
            throw new CohortException(f + ": cannot read the journal: " + e.getMessage());
        }
        return withObs;
    }

    /** The sample of two consecutive lines, or null when the second has no measured power. */
    private static CostSample sample(JsonNode now, JsonNode next, long group) {
        if (!"measured".equals(next.path("power_source").asText("measured"))) {
            return null;
        }
        JsonNode nextPkg = next.path("obs").path("pkg_w");
        double[] watts = new double[nextPkg.size()];
        for (int p = 0; p < watts.length; p++) {
            if (!nextPkg.get(p).isNumber() || !(nextPkg.get(p).asDouble() > 0)) {
                return null;
            }
            watts[p] = nextPkg.get(p).asDouble();
        }
        LayoutFacts lf = layout(now.path("obs").path("layout"));
        HostFacts facts = HostFacts.of(lf);
        if (facts.rows() == 0 || watts.length != facts.packages() || !facts.packagesWithoutRows().isEmpty()) {
            return null;
        }
        Observations obs = observations(now.path("obs"), lf);
        Observations after = observations(next.path("obs"), lf);
        int[][] held = CostFeatures.current(after);
        float[] util = new float[facts.rows()];
        float[] scale = new float[facts.rows()];
        for (int r = 0; r < facts.rows(); r++) {
            util[r] = after.role(Role.CORE).get(r, C_UTIL);
            scale[r] = (float) facts.rowScaleWatts(r);
        }
        return new CostSample(group, "journal", CostFeatures.rows(obs, facts, held), facts.rowPackage().clone(), scale, watts,
                facts.packageTdpWatts(), util, CostFeatures.rows(after, facts, held));
    }

    private static Observations observations(JsonNode o, LayoutFacts lf) {
        var byRole = new EnumMap<Role, RoleObservations>(Role.class);
        for (Role r : Role.values()) {
            JsonNode n = o.path(r.id());
            JsonNode levels = n.path("levels");
            ObservationSpec spec = ObservationSpec.of(r);
            var ro = new RoleObservations(spec, new ActionSpace(r, lf.levels()[r.ordinal()]), levels.size());
            JsonNode data = n.path("data");
            if (data.size() != levels.size() * spec.size()) {
                throw new CohortException("journal: " + r.id() + " observations hold " + data.size() + " values for "
                        + levels.size() + " agents of " + spec.size() + " features: written by another build's spec");
            }
            for (int i = 0; i < data.size(); i++) {
                ro.data()[i] = (float) data.get(i).asDouble();
            }
            for (int a = 0; a < levels.size(); a++) {
                ro.setCurrentLevel(a, levels.get(a).asInt());
            }
            byRole.put(r, ro);
        }
        return new Observations(byRole);
    }

    private static LayoutFacts layout(JsonNode l) {
        return new LayoutFacts(l.path("packages").asInt(1), l.path("tdp_w").asDouble(), ints(l.path("levels")),
                ints(l.path("row_cpus")), ints(l.path("row_pkg")), longs(l.path("row_min_khz")), longs(l.path("row_max_khz")),
                nested(l.path("row_quota")), nested(l.path("row_memory")));
    }

    private static int[] ints(JsonNode a) {
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asInt();
        }
        return v;
    }

    private static long[] longs(JsonNode a) {
        long[] v = new long[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asLong();
        }
        return v;
    }

    private static int[][] nested(JsonNode a) {
        int[][] v = new int[a.size()][];
        for (int i = 0; i < v.length; i++) {
            v[i] = ints(a.get(i));
        }
        return v;
    }
}
