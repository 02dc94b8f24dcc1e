package dev.cohort.learn.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;

/** Engine forward passes over {@link Bound} parameters: the few layers the learners are built from. */
public final class Layers {
    private Layers() {
    }

    /** {@code x·Wᵀ + b} over the last axis of {@code x} (any leading axes). */
    public static NDArray linear(Bound b, String name, NDArray x) {
        return Linear.linear(x, b.p(name + ".weight"), b.p(name + ".bias")).singletonOrThrow();
    }

    /**
     * A linear layer over the concatenation {@code [c, x]} without building it: {@code c} (width {@code cw}) is
     * shared by the {@code N} rows of {@code x} that follow it, so its product is taken once and broadcast.
     * Equal to {@code linear(concat(broadcast(c), x))} with the layer's weight split by columns.
     *
     * @param c {@code [B, T, 1, cw]}
     * @param x {@code [B, T, N, xw]}
     * @return {@code [B, T, N, out]}
     */
    public static NDArray linearSplit(Bound b, String name, NDArray c, NDArray x) {
        NDArray w = b.p(name + ".weight");
        long cw = c.getShape().get(c.getShape().dimension() - 1);
        NDArray wc = w.get(new ai.djl.ndarray.index.NDIndex(":, 0:" + cw));
        NDArray wx = w.get(new ai.djl.ndarray.index.NDIndex(":, " + cw + ":"));
        NDArray fromC = Linear.linear(c, wc, b.p(name + ".bias")).singletonOrThrow();
        NDArray fromX = Linear.linear(x, wx).singletonOrThrow();
        return fromX.add(fromC);
    }

    /**
     * The element-wise TD loss of errors {@code td}: the squared error {@code td²} when {@code huber} is 0; else twice
     * the Huber loss with threshold {@code huber} (the same {@code td²} within it, linear beyond, so one large error
     * cannot dominate a batch), written as {@code q² + 2·huber·(|td| − q)} with {@code q = min(|td|, huber)}.
     */
    public static NDArray tdLoss(NDArray td, double huber) {
        if (huber <= 0) {
            return td.mul(td);
        }
        NDArray a = td.abs();
        NDArray q = a.minimum(constant(a, huber));
        return q.mul(q).add(a.sub(q).mul(constant(a, 2 * huber)));
    }

    /**
     * The number {@code v} as a scalar array of {@code like}'s manager, alive until that manager closes. Use it, not
     * DJL's {@code mul(Number)}, {@code div(Number)}, {@code minimum(Number)} and the like, wherever a gradient flows:
     * those wrap the number in a scalar whose memory is released as soon as the operation returns, while autograd keeps
     * the scalar for the backward pass, which then reads freed memory once the garbage collector has run (gradients of
     * 10¹⁰ to 10³⁵, or NaN, with a normal loss; {@code LayersTest}).
     */
    public static NDArray constant(NDArray like, double v) {
        return like.getManager().create((float) v);
    }

    /** {@code softplus(x) = ln(1 + eˣ)}, PyTorch's (linear above 20, so no exponent overflows); positive everywhere. */
    public static NDArray softplus(NDArray x) {
        return Activation.softPlus(x);
    }

    /** {@code relu(linear(x))}. */
    public static NDArray linearRelu(Bound b, String name, NDArray x) {
        return Activation.relu(linear(b, name, x));
    }

    /**
     * A one-layer GRU (PyTorch's formulas, gates r, z, n) over a batch of sequences.
     *
     * @param x  {@code [rows, steps, inputs]}
     * @param h0 {@code [rows, hidden]}, the state before the first step
     * @return {@code [rows, steps, hidden]}, the state after each step
     */
    public static NDArray gru(Bound b, String name, NDArray x, NDArray h0) {
        NDList params = new NDList(b.p(name + ".wih"), b.p(name + ".whh"), b.p(name + ".bih"), b.p(name + ".bhh"));
        NDList out = x.getNDArrayInternal().gru(x, h0.expandDims(0), params, true, 1, 0, true, false, true);
        return out.get(0);
    }
}
