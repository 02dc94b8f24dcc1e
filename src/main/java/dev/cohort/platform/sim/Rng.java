package dev.cohort.platform.sim;

/**
 * A small, fast, allocation-free random generator (SplitMix64). Written out here rather than taken from
 * the JDK so that a seed gives the same simulation on every Java version: determinism is part of the
 * simulator's contract. For the same reason the transcendental functions are {@link StrictMath}'s, whose
 * results are specified bit for bit, not {@link Math}'s, which may differ by CPU. Not thread-safe; each
 * stream of randomness owns one.
 */
final class Rng {
    private long state;

    /** A generator for {@code seed}, mixed with {@code stream} so that independent streams do not overlap. */
    Rng(long seed, long stream) {
        this.state = mix(seed ^ mix(stream * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Takes {@code other}'s position in its stream (a snapshot or its restore). */
    void copyFrom(Rng other) {
        state = other.state;
    }

    /** Moves to another point of its stream, set by {@code salt}: the same salt from the same state gives the same draws. */
    void reseed(long salt) {
        state = mix(state ^ mix(salt + 0x2545F4914F6CDD1DL));
    }

    /** The next 64 random bits. */
    long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        return mix(state);
    }

    /** Uniform in [0, 1). */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in (0, 1]: safe to take the logarithm of. */
    double nextOpenDouble() {
        return ((nextLong() >>> 11) + 1) * 0x1.0p-53;
    }

    /** Exponentially distributed with mean 1. */
    double nextExponential() {
        return -StrictMath.log(nextOpenDouble());
    }

    /** Standard normal (Box-Muller; one of the pair is dropped to keep the generator stateless beyond its seed). */
    double nextGaussian() {
        double u = nextOpenDouble();
        double v = nextDouble();
        return Math.sqrt(-2.0 * StrictMath.log(u)) * cosTurns(v);
    }

    /**
     * cos(2π·turns) for any {@code turns}: reduced to ±1/8 turn, then Taylor polynomials (error below 1e-16 on
     * ±π/4). Written out because {@link StrictMath#sin}/{@link StrictMath#cos} allocate on every call and
     * {@link Math}'s may differ by CPU; plain IEEE arithmetic gives the same bits everywhere.
     */
    static double cosTurns(double turns) {
        double q = 4 * (turns - Math.floor(turns));
        double k = Math.rint(q);
        double r = (q - k) * (Math.PI / 2);
        return switch ((int) k & 3) {
            case 0 -> cosSmall(r);
            case 1 -> -sinSmall(r);
            case 2 -> -cosSmall(r);
            default -> sinSmall(r);
        };
    }

    private static double cosSmall(double x) {
        double x2 = x * x;
        double p = 1.0 / 20922789888000.0;                 // 1/16!
        p = p * x2 - 1.0 / 87178291200.0;                  // 1/14!
        p = p * x2 + 1.0 / 479001600.0;                    // 1/12!
        p = p * x2 - 1.0 / 3628800.0;                      // 1/10!
        p = p * x2 + 1.0 / 40320.0;
        p = p * x2 - 1.0 / 720.0;
        p = p * x2 + 1.0 / 24.0;
        p = p * x2 - 0.5;
        return p * x2 + 1.0;
    }

    private static double sinSmall(double x) {
        double x2 = x * x;
        double p = 1.0 / 355687428096000.0;                // 1/17!
        p = p * x2 - 1.0 / 1307674368000.0;                // 1/15!
        p = p * x2 + 1.0 / 6227020800.0;                   // 1/13!
        p = p * x2 - 1.0 / 39916800.0;                     // 1/11!
        p = p * x2 + 1.0 / 362880.0;
        p = p * x2 - 1.0 / 5040.0;
        p = p * x2 + 1.0 / 120.0;
        p = p * x2 - 1.0 / 6.0;
        return x + x * x2 * p;
    }
}
