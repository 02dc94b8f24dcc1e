package dev.cohort.learn.nn;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Named float tensors in a fixed order: the master copy of a model's parameters, in plain Java. The engine
 * (DJL's PyTorch) only ever sees per-update copies ({@link Bound}); optimisers, target networks, checkpoints,
 * the acting forward pass and the ONNX export all read these arrays. Linear weights are {@code [out, in]},
 * row-major, as PyTorch keeps them. Not thread-safe: the learner owns it, actors get {@link #copy}s.
 */
public final class ParamSet {
    private final Map<String, Integer> index = new LinkedHashMap<>();
    private final List<String> names = new ArrayList<>();
    private final List<int[]> shapes = new ArrayList<>();
    private final List<float[]> values = new ArrayList<>();

    /** Adds a tensor (the array is kept, not copied). */
    public ParamSet add(String name, int[] shape, float[] data) {
        if (index.containsKey(name)) {
            throw new IllegalArgumentException("parameter '" + name + "' defined twice");
        }
        if (numel(shape) != data.length) {
            throw new IllegalArgumentException("parameter '" + name + "' has shape " + Arrays.toString(shape) + " but "
                    + data.length + " values");
        }
        index.put(name, names.size());
        names.add(name);
        shapes.add(shape.clone());
        values.add(data);
        return this;
    }

    /** Adds a linear layer {@code name.weight [out, in]}, {@code name.bias [out]}, initialised as PyTorch's {@code nn.Linear}. */
    public ParamSet linear(String name, int in, int out, RandomGenerator rng) {
        float bound = (float) (1 / Math.sqrt(in));
        add(name + ".weight", new int[]{out, in}, uniform(rng, out * in, bound));
        return add(name + ".bias", new int[]{out}, uniform(rng, out, bound));
    }

    /** Adds a GRU cell {@code name.wih [3h, in]}, {@code whh [3h, h]}, {@code bih}, {@code bhh} (gates r, z, n), as PyTorch initialises it. */
    public ParamSet gru(String name, int in, int hidden, RandomGenerator rng) {
        float bound = (float) (1 / Math.sqrt(hidden));
        int g = 3 * hidden;
        add(name + ".wih", new int[]{g, in}, uniform(rng, g * in, bound));
        add(name + ".whh", new int[]{g, hidden}, uniform(rng, g * hidden, bound));
        add(name + ".bih", new int[]{g}, uniform(rng, g, bound));
        return add(name + ".bhh", new int[]{g}, uniform(rng, g, bound));
    }

    public boolean has(String name) {
        return index.containsKey(name);
    }

    /** The values of a tensor (live). */
    public float[] get(String name) {
        Integer i = index.get(name);
        if (i == null) {
            throw new IllegalArgumentException("no parameter '" + name + "' (have " + names + ")");
        }
        return values.get(i);
    }

    public int[] shape(String name) {
        return shapes.get(index.get(name)).clone();
    }

    public List<String> names() {
        return List.copyOf(names);
    }

    public int size() {
        return names.size();
    }

    float[] value(int i) {
        return values.get(i);
    }

    int[] shapeOf(int i) {
        return shapes.get(i);
    }

    String nameOf(int i) {
        return names.get(i);
    }

    /** Number of scalar parameters. */
    public long count() {
        long n = 0;
        for (float[] v : values) {
            n += v.length;
        }
        return n;
    }

    /** A deep copy. */
    public ParamSet copy() {
        ParamSet p = new ParamSet();
        for (int i = 0; i < names.size(); i++) {
            p.add(names.get(i), shapes.get(i), values.get(i).clone());
        }
        return p;
    }

    /** A set of the same names and shapes, all zeros (optimiser state). */
    public ParamSet zerosLike() {
        ParamSet p = new ParamSet();
        for (int i = 0; i < names.size(); i++) {
            p.add(names.get(i), shapes.get(i), new float[values.get(i).length]);
        }
        return p;
    }

    /** The tensors whose names start with {@code prefix} (live arrays, same order). */
    public ParamSet subset(String prefix) {
        ParamSet p = new ParamSet();
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).startsWith(prefix)) {
                p.add(names.get(i), shapes.get(i), values.get(i));
            }
        }
        return p;
    }

    /** Copies every value of {@code other} (same names and shapes) into this set. */
    public void copyFrom(ParamSet other) {
        requireSameLayout(other);
        for (int i = 0; i < names.size(); i++) {
            System.arraycopy(other.values.get(i), 0, values.get(i), 0, values.get(i).length);
        }
    }

    /** Polyak averaging: {@code this = (1 − tau)·this + tau·other}. */
    public void softUpdate(ParamSet other, double tau) {
        requireSameLayout(other);
        for (int i = 0; i < names.size(); i++) {
            float[] t = values.get(i);
            float[] o = other.values.get(i);
            for (int j = 0; j < t.length; j++) {
                t[j] = (float) ((1 - tau) * t[j] + tau * o[j]);
            }
        }
    }

    /** True when names, shapes and every value are equal. */
    public boolean sameAs(ParamSet other) {
        if (!names.equals(other.names)) {
            return false;
        }
        for (int i = 0; i < names.size(); i++) {
            if (!Arrays.equals(shapes.get(i), other.shapes.get(i)) || !Arrays.equals(values.get(i), other.values.get(i))) {
                return false;
            }
        }
        return true;
    }

    private void requireSameLayout(ParamSet other) {
        if (!names.equals(other.names)) {
            throw new IllegalArgumentException("parameter sets differ: " + names + " vs " + other.names);
        }
        for (int i = 0; i < names.size(); i++) {
            if (!java.util.Arrays.equals(shapes.get(i), other.shapes.get(i))) {
                throw new IllegalArgumentException("parameter " + names.get(i) + " is " + java.util.Arrays.toString(
                        other.shapes.get(i)) + " where " + java.util.Arrays.toString(shapes.get(i)) + " was expected");
            }
        }
    }

    /** Writes names, shapes and values. */
    public void write(DataOutputStream out) throws IOException {
        out.writeInt(names.size());
        for (int i = 0; i < names.size(); i++) {
            out.writeUTF(names.get(i));
            int[] s = shapes.get(i);
            out.writeInt(s.length);
            for (int d : s) {
                out.writeInt(d);
            }
            float[] v = values.get(i);
            for (float f : v) {
                out.writeFloat(f);
            }
        }
    }

    /** Reads what {@link #write} wrote. */
    public static ParamSet read(DataInputStream in) throws IOException {
        ParamSet p = new ParamSet();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            int[] s = new int[in.readInt()];
            for (int d = 0; d < s.length; d++) {
                s[d] = in.readInt();
            }
            float[] v = new float[numel(s)];
            for (int j = 0; j < v.length; j++) {
                v[j] = in.readFloat();
            }
            p.add(name, s, v);
        }
        return p;
    }

    static int numel(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    static float[] uniform(RandomGenerator rng, int n, float bound) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rng.nextDouble(-bound, bound);
        }
        return v;
    }
}
