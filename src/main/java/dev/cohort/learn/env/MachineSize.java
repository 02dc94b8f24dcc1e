package dev.cohort.learn.env;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A machine size a training episode may draw: sockets times cores per socket, written {@code 2x16}.
 *
 * @param sockets        packages, each with its own memory bandwidth domain
 * @param coresPerSocket cores (= CPUs, the simulated machine has no SMT) per socket
 */
public record MachineSize(int sockets, int coresPerSocket) {
    private static final Pattern FORM = Pattern.compile("\\s*(\\d{1,4})\\s*[x×]\\s*(\\d{1,5})\\s*");

    public MachineSize {
        if (sockets < 1 || coresPerSocket < 1) {
            throw new IllegalArgumentException("a machine needs at least one socket of one core, got " + sockets + "x" + coresPerSocket);
        }
    }

    /**
     * Parses {@code SxC} ({@code 1x8}, {@code 2x16}).
     *
     * @throws IllegalArgumentException saying the expected form
     */
    public static MachineSize parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("expected sockets x cores per socket, like 1x8 or 2x16, got '" + text + "'");
        }
        return new MachineSize(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /** All CPUs. */
    public int cpus() {
        return sockets * coresPerSocket;
    }

    @Override
    public String toString() {
        return sockets + "x" + coresPerSocket;
    }
}
