package dev.cohort.control;

import dev.cohort.platform.Setting;
import java.util.Arrays;
import java.util.List;

/**
 * The knob values the agents currently hold, per agent, in hardware units: what the tick starts from and
 * what step limits and dead bands compare against. Seeded from the platform's present values.
 */
public final class KnobState {
    final long[] freqKhz;
    final int[] mba;
    final long[] quotaUsec;
    private final AgentLayout layout;

    public KnobState(AgentLayout layout) {
        this.layout = layout;
        freqKhz = new long[layout.coreDomain.length];
        mba = new int[layout.memDomain.length];
        quotaUsec = new long[layout.quotaCgroup.length];
        for (int a = 0; a < freqKhz.length; a++) {
            freqKhz[a] = layout.topology().frequencyDomains().get(layout.coreDomain(a)).maxKhz();
        }
        for (int a = 0; a < mba.length; a++) {
            mba[a] = layout.topology().memoryDomains().get(layout.memDomain(a)).mba().orElseThrow().max();
        }
        Arrays.fill(quotaUsec, -1);
    }

    /** An independent copy (a controller's snapshot). */
    KnobState copy() {
        KnobState c = new KnobState(layout);
        c.copyFrom(this);
        return c;
    }

    /** Takes every value of {@code other}, the knob state of an identical layout. */
    void copyFrom(KnobState other) {
        if (other.freqKhz.length != freqKhz.length || other.mba.length != mba.length || other.quotaUsec.length != quotaUsec.length) {
            throw new IllegalArgumentException("KnobState.copyFrom(): the knob state of another layout (" + other.freqKhz.length
                    + "/" + other.mba.length + "/" + other.quotaUsec.length + " agents against " + freqKhz.length + "/"
                    + mba.length + "/" + quotaUsec.length + ")");
        }
        System.arraycopy(other.freqKhz, 0, freqKhz, 0, freqKhz.length);
        System.arraycopy(other.mba, 0, mba, 0, mba.length);
        System.arraycopy(other.quotaUsec, 0, quotaUsec, 0, quotaUsec.length);
    }

    /** Takes the present values from the platform (settings for knobs outside the layout are ignored). */
    public void update(List<Setting> settings) {
        for (Setting s : settings) {
            update(s);
        }
    }

    /** Records one value now known to be on the host. */
    public void update(Setting s) {
        switch (s) {
            case Setting.FreqMaxKhz f -> {
                int a = indexOf(layout.coreDomain, f.domain());
                if (a >= 0) {
                    freqKhz[a] = f.khz();
                }
            }
            case Setting.MbaPercent m -> {
                int a = indexOf(layout.memDomain, m.domain());
                if (a >= 0) {
                    mba[a] = m.percent();
                }
            }
            case Setting.CpuMaxUsec q -> {
                int a = indexOf(layout.quotaCgroup, q.cgroup());
                if (a >= 0) {
                    quotaUsec[a] = q.quotaUsec();
                }
            }
            default -> {
                // other knobs are not agents' knobs
            }
        }
    }

    /** Frequency limit core agent {@code a} holds, kHz. */
    public long freqKhz(int a) {
        return freqKhz[a];
    }

    /** MBA value memory agent {@code a} holds. */
    public int mba(int a) {
        return mba[a];
    }

    /** Quota quota agent {@code a} holds, µs per period, -1 unlimited. */
    public long quotaUsec(int a) {
        return quotaUsec[a];
    }

    private static int indexOf(int[] arr, int v) {
        for (int i = 0; i < arr.length; i++) {
            if (arr[i] == v) {
                return i;
            }
        }
        return -1;
    }
}
