package dev.cohort.control;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/** Writes an {@link ObservedTick} into a journal line as {@code obs} (read back by the estimator's journal training). */
final class ObservedJson {
    private ObservedJson() {
    }

    /** {@code "obs":{"layout":{...},"pkg_w":[...],"core":{"data":[...],"levels":[...]},"memory":...,"quota":...}}. */
    static void write(JsonGenerator g, ObservedTick o) throws IOException {
        g.writeObjectFieldStart("obs");
        LayoutFacts f = o.layout();
        g.writeObjectFieldStart("layout");
        g.writeNumberField("packages", f.packages());
        g.writeNumberField("tdp_w", f.tdpWatts());
        ints(g, "levels", f.levels());
        ints(g, "row_cpus", f.rowCpus());
        ints(g, "row_pkg", f.rowPackage());
        g.writeArrayFieldStart("row_min_khz");
        for (long v : f.rowMinKhz()) {
            g.writeNumber(v);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("row_max_khz");
        for (long v : f.rowMaxKhz()) {
            g.writeNumber(v);
        }
        g.writeEndArray();
        nested(g, "row_quota", f.rowQuota());
        nested(g, "row_memory", f.rowMemory());
        g.writeEndObject();
        g.writeArrayFieldStart("pkg_w");
        for (double w : o.packageWatts()) {
            if (Double.isFinite(w)) {
                g.writeNumber(w);
            } else {
                g.writeNull();
            }
        }
        g.writeEndArray();
        for (dev.cohort.policy.Role role : dev.cohort.policy.Role.values()) {
            g.writeObjectFieldStart(role.id());
            g.writeArrayFieldStart("data");
            for (float v : o.data()[role.ordinal()]) {
                g.writeNumber(v);
            }
            g.writeEndArray();
            ints(g, "levels", o.levels()[role.ordinal()]);
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void ints(JsonGenerator g, String name, int[] v) throws IOException {
        g.writeArrayFieldStart(name);
        for (int x : v) {
            g.writeNumber(x);
        }
        g.writeEndArray();
    }

    private static void nested(JsonGenerator g, String name, int[][] v) throws IOException {
        g.writeArrayFieldStart(name);
        for (int[] row : v) {
            g.writeStartArray();
            for (int x : row) {
                g.writeNumber(x);
            }
            g.writeEndArray();
        }
        g.writeEndArray();
    }

}
