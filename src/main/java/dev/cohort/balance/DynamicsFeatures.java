package dev.cohort.balance;

import java.util.List;

/**
 * The dynamics model's input and output, in order (part of its contract). Input: the last window and the change into
 * it, and the λ the next window will run at; output: the change of power, latency penalty and best-effort progress
 * from the last window to the next. Changes rather than levels, so that the model's prior is persistence and it learns
 * only what moves the next window away from the last one.
 */
public final class DynamicsFeatures {
    /** Input names, in order. */
    public static final List<String> INPUTS = List.of("power_share", "power_share_change", "latency_penalty",
            "be_progress", "stall", "lambda", "next_lambda");
    /** Output names, in order. */
    public static final List<String> OUTPUTS = List.of("next_power_share_change", "next_latency_penalty_change",
            "next_be_progress_change");
    public static final int IN = INPUTS.size();
    public static final int OUT = OUTPUTS.size();

    private DynamicsFeatures() {
    }

    /**
     * Writes the input row for going from {@code now} (after {@code before}) into a window at {@code nextLambda}; both λ
     * enter as {@code ln(1 + λ) / ln(1 + λ_max)} ({@code lambdaScale} is the λ_max the model was trained over): of order
     * one, and as fine where power starts to answer λ (tens) as where it has given up most of what it can (hundreds).
     */
    public static void encode(WindowState before, WindowState now, double nextLambda, double lambdaScale, float[] out,
                              int offset) {
        out[offset] = (float) now.powerShare();
        out[offset + 1] = (float) (now.powerShare() - before.powerShare());
        out[offset + 2] = (float) now.latencyPenalty();
        out[offset + 3] = (float) now.progress();
        out[offset + 4] = (float) now.stall();
        out[offset + 5] = lambdaInput(now.lambda(), lambdaScale);
        out[offset + 6] = lambdaInput(nextLambda, lambdaScale);
    }

    /** λ as the model sees it: {@code ln(1 + λ) / ln(1 + λ_max)}. */
    static float lambdaInput(double lambda, double lambdaScale) {
        return (float) (Math.log1p(Math.max(0, lambda)) / Math.log1p(lambdaScale));
    }

    /** The next window from {@code now} and the model's output row (stall held, as the model does not forecast it). */
    public static WindowState next(WindowState now, float[] y, int offset, double nextLambda) {
        // each within what it can be (power at most TDP, the peak the machine can draw; the reward's latency penalty at
        // most 3), so a forecast rolled over the horizon cannot run away on its own errors
        return new WindowState(Math.clamp(now.powerShare() + y[offset], 0, 1),
                Math.clamp(now.latencyPenalty() + y[offset + 1], 0, 3), Math.clamp(now.progress() + y[offset + 2], 0, 1),
                now.stall(), nextLambda);
    }
}
