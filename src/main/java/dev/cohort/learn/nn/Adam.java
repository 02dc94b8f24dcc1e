package dev.cohort.learn.nn;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Adam (Kingma and Ba) over a {@link ParamSet}, in plain Java, with the gradient clipped to a global L2 norm
 * first (as PyMARL's {@code clip_grad_norm_}). Its state (moments and step count) is part of a checkpoint,
 * so a resumed run takes exactly the steps an uninterrupted one would. Not thread-safe.
 */
public final class Adam {
    private final double lr;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double clipNorm;
    private ParamSet m;
    private ParamSet v;
    private long steps;
    private long skipped;
    /** What the learning rate is multiplied by now (a schedule's; not kept: the trainer sets it before each update). */
    private double lrScale = 1;

    /**
     * @param lr       learning rate
     * @param clipNorm largest global gradient norm applied (the gradient is scaled down above it); ≤ 0 for none
     */
    public Adam(ParamSet params, double lr, double clipNorm) {
        this(params, lr, 0.9, 0.999, 1e-8, clipNorm);
    }

    public Adam(ParamSet params, double lr, double beta1, double beta2, double eps, double clipNorm) {
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.clipNorm = clipNorm;
        this.m = params.zerosLike();
        this.v = params.zerosLike();
    }

    /** Multiplies the learning rate by {@code scale} (in (0, 1]) from the next step on. */
    public void scaleLearningRate(double scale) {
        if (!(scale > 0 && scale <= 1)) {
            throw new IllegalArgumentException("a learning-rate scale must be in (0, 1], got " + scale);
        }
        lrScale = scale;
    }

    /**
     * Applies one step with gradients in {@code params}' order; returns the gradient's global norm before clipping.
     * A null gradient means the loss did not reach that tensor: it is left alone, moments included (as PyTorch's
     * Adam skips a parameter whose {@code grad} is {@code None}). A gradient that is not finite (NaN or infinite
     * anywhere) is not applied at all: the step is skipped and the returned norm says why.
     */
    public double step(ParamSet params, float[][] grads) {
        double sq = 0;
        for (float[] g : grads) {
            if (g == null) {
                continue;
            }
            for (float x : g) {
                sq += (double) x * x;
            }
        }
        double norm = Math.sqrt(sq);
        if (!Double.isFinite(norm)) {
            skipped++;
            return norm;
        }
        double scale = clipNorm > 0 && norm > clipNorm ? clipNorm / (norm + 1e-6) : 1;
        steps++;
        double c1 = 1 - Math.pow(beta1, steps);
        double c2 = 1 - Math.pow(beta2, steps);
        double rate = lr * lrScale;
        for (int i = 0; i < params.size(); i++) {
            float[] p = params.value(i);
            float[] g = grads[i];
            if (g == null) {
                continue;
            }
            float[] mi = m.value(i);
            float[] vi = v.value(i);
            for (int j = 0; j < p.length; j++) {
                double gj = g[j] * scale;
                mi[j] = (float) (beta1 * mi[j] + (1 - beta1) * gj);
                vi[j] = (float) (beta2 * vi[j] + (1 - beta2) * gj * gj);
                p[j] = (float) (p[j] - rate * (mi[j] / c1) / (Math.sqrt(vi[j] / c2) + eps));
            }
        }
        return norm;
    }

    /** Steps taken. */
    public long steps() {
        return steps;
    }

    /** Steps skipped because the gradient was not finite. */
    public long skipped() {
        return skipped;
    }

    public void write(DataOutputStream out) throws IOException {
        out.writeLong(steps);
        out.writeLong(skipped);
        m.write(out);
        v.write(out);
    }

    /** Restores the state {@link #write} wrote (the parameter layout must match). */
    public void read(DataInputStream in) throws IOException {
        steps = in.readLong();
        skipped = in.readLong();
        ParamSet mm = ParamSet.read(in);
        ParamSet vv = ParamSet.read(in);
        m.copyFrom(mm);
        v.copyFrom(vv);
    }
}
