package dev.cohort.platform.sim;

/**
 * A small, fast, allocation-free random generator (SplitMix64). Written out here rather than taken from
 * the JDK so that a seed gives the same simulation on every Java version: determinism is part of the
 * simulator's contract. Not thread-safe; each stream of randomness owns one.
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
        return -Math.log(nextOpenDouble());
    }

    /** Standard normal (Box-Muller; one of the pair is dropped to keep the generator stateless beyond its seed). */
    double nextGaussian() {
        double u = nextOpenDouble();
        double v = nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * v);
    }
}
