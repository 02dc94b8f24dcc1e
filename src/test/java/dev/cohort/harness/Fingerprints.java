package dev.cohort.harness;

import dev.cohort.control.TickRecord;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

/**
 * Text fingerprints of tick records in which every double is its raw bits: two fingerprints are equal exactly when
 * the records are bit for bit. Record components are read by reflection, so a component added later is covered too.
 */
public final class Fingerprints {
    private Fingerprints() {
    }

    /** One tick record, every field. */
    public static String of(TickRecord r) {
        return value(r);
    }

    /** Steps {@code h} {@code ticks} times; the fingerprint of every record, then of the machine's exact energy and the observations. */
    public static List<String> steps(SimHarness h, int ticks) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < ticks; i++) {
            out.add(of(h.step()));
        }
        out.add(tail(h));
        return out;
    }

    /** The machine's exact energy, its knobs and the controller's present observations. */
    public static String tail(SimHarness h) {
        StringBuilder sb = new StringBuilder("E=").append(Double.doubleToRawLongBits(h.machine().trueEnergyJoules()));
        sb.append(' ').append(h.machine().currentSettings());
        for (var role : dev.cohort.policy.Role.values()) {
            var ro = h.controller().observations().role(role);
            sb.append(' ').append(role.id()).append(java.util.Arrays.toString(ro.data()));
        }
        return sb.toString();
    }

    private static String value(Object v) {
        return switch (v) {
            case null -> "null";
            case Double d -> Long.toString(Double.doubleToRawLongBits(d));
            case double[] a -> {
                StringBuilder sb = new StringBuilder("[");
                for (double x : a) {
                    sb.append(Double.doubleToRawLongBits(x)).append(',');
                }
                yield sb.append(']').toString();
            }
            case Record rec -> {
                StringBuilder sb = new StringBuilder(rec.getClass().getSimpleName()).append('{');
                for (RecordComponent c : rec.getClass().getRecordComponents()) {
                    try {
                        sb.append(c.getName()).append('=').append(value(c.getAccessor().invoke(rec))).append(';');
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException(e);
                    }
                }
                yield sb.append('}').toString();
            }
            default -> v.toString();
        };
    }
}
