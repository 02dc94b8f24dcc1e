package dev.cohort.learn.onnx;

import dev.cohort.platform.CohortException;
import dev.cohort.policy.DjlRuntime;
import dev.cohort.policy.ModelContract;
import dev.cohort.policy.OnnxRoleModel;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Exports one role's agent network to an ONNX file with its contract in the metadata, and proves the file
 * right before it is put in place: ONNX Runtime (through the same loader the agent uses) must reproduce, within
 * {@link #allowedDifference} on every output and hidden state over several ticks of random observations, the plain-Java
 * forward pass, the DJL PyTorch forward of the same weights when DJL's PyTorch engine is in the JVM (training
 * builds), and every other given reference (the trainer's own forward); the contract read back must equal the
 * one written. A file that fails is deleted and the export throws.
 */
public final class OnnxExporter {
    /** Largest difference allowed between ONNX Runtime and a reference, per value of size up to 1 (above: relative). */
    public static final double TOLERANCE = 1e-5;
    private static final int AGENTS = 7;
    private static final int TICKS = 4;

    private OnnxExporter() {
    }

    /**
     * What one reference comparison found.
     *
     * @param reference   the reference's name
     * @param maxAbsDiff  largest absolute difference over all outputs and hidden states compared
     * @param values      number of values compared
     */
    public record Check(String reference, double maxAbsDiff, long values) {
    }

    /**
     * An export that passed.
     *
     * @param file   the file written
     * @param checks one per reference: {@code java} first, then {@code djl-pytorch} when libtorch is in the JVM, then the extras
     */
    public record Report(Path file, List<Check> checks) {
        /** The same report for the file moved into {@code dir} (an export checked beside its directory). */
        public Report in(Path dir) {
            return new Report(dir.resolve(file.getFileName()), checks);
        }
    }

    /**
     * Writes {@code net} with {@code contract} to {@code file} and verifies it.
     *
     * @param extraReferences forward passes besides the plain-Java and DJL PyTorch ones (the trainer's); not closed here
     * @throws CohortException when the network and contract disagree, the file cannot be written, or ONNX Runtime's
     *                         outputs differ from a reference by more than {@link #allowedDifference}
     */
    public static Report export(AgentNetwork net, ModelContract contract, Path file, List<ReferenceForward> extraReferences) {
        requireConsistent(net, contract);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            try (OutputStream out = Files.newOutputStream(tmp)) {
                AgentGraph.build(net, contract, producerVersion()).writeTo(out);
            }
            var refs = new ArrayList<ReferenceForward>();
            refs.add(new JavaForward(net));
            try (ReferenceForward torch = DjlRuntime.hasPyTorch() ? new DjlPyTorchForward(net) : null) {
                if (torch != null) {
                    refs.add(torch);
                }
                refs.addAll(extraReferences);
                List<Check> checks = verify(tmp, contract, refs);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return new Report(file, checks);
            }
        } catch (IOException e) {
            throw new CohortException(file + ": cannot write the model: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the move took it, or it never existed
            }
        }
    }

    private static List<Check> verify(Path tmp, ModelContract contract, List<ReferenceForward> refs) {
        try (OnnxRoleModel ort = OnnxRoleModel.open(tmp)) {
            if (!ort.contract().equals(contract)) {
                throw new CohortException(tmp + ": the contract read back differs from the one written: " + ort.contract());
            }
            var checks = new ArrayList<Check>();
            for (ReferenceForward ref : refs) {
                checks.add(compare(ort, contract, ref));
            }
            return checks;
        }
    }

    /** Steps ONNX Runtime and the reference side by side, each carrying its own hidden state. */
    private static Check compare(OnnxRoleModel ort, ModelContract c, ReferenceForward ref) {
        var rng = new SplittableRandom(20_251_121L);
        int hid = c.hiddenSize();
        float[] hOrt = new float[AGENTS * hid];
        float[] hRef = new float[AGENTS * hid];
        double max = 0;
        long n = 0;
        for (int t = 0; t < TICKS; t++) {
            float[] obs = new float[AGENTS * c.features().size()];
            for (int i = 0; i < obs.length; i++) {
                obs[i] = (float) rng.nextDouble(-1.5, 1.5);
            }
            OnnxRoleModel.Outputs o = ort.infer(obs, AGENTS, hOrt);
            ReferenceForward.Step r = ref.forward(obs, AGENTS, hRef);
            max = Math.max(max, maxDiff(o.values(), r.values(), ref.name(), c.outputName(), t));
            n += o.values().length;
            if (c.recurrent()) {
                max = Math.max(max, maxDiff(o.stateOut(), r.stateOut(), ref.name(), c.stateOutName(), t));
                n += o.stateOut().length;
                hOrt = o.stateOut();
                hRef = r.stateOut();
            }
        }
        return new Check(ref.name(), max, n);
    }

    /**
     * The difference allowed from a reference value: {@link #TOLERANCE}, times the value's size above 1. Why relative:
     * a float keeps about seven significant digits, so two correct forward passes that sum in another order differ by
     * a few units in the last place, about 1e-5 on a Q-value of 28 (seen on a run's averaged weights).
     */
    public static double allowedDifference(double reference) {
        return TOLERANCE * Math.max(1, Math.abs(reference));
    }

    private static double maxDiff(float[] ort, float[] ref, String refName, String output, int tick) {
        if (ort.length != ref.length) {
            throw new CohortException("export check: ONNX Runtime gives " + ort.length + " values for '" + output
                    + "', the " + refName + " forward " + ref.length);
        }
        double max = 0;
        for (int i = 0; i < ort.length; i++) {
            double d = Math.abs((double) ort[i] - ref[i]);
            if (!(d <= allowedDifference(ref[i]))) {
                throw new CohortException(String.format(java.util.Locale.ROOT,
                        "export check failed: ONNX Runtime's '%s'[%d] at tick %d is %.7g, the %s forward gives %.7g "
                                + "(difference %.2g, tolerance %.2g)", output, i, tick, ort[i], refName, ref[i], d,
                        allowedDifference(ref[i])));
            }
            max = Math.max(max, d);
        }
        return max;
    }

    private static void requireConsistent(AgentNetwork net, ModelContract c) {
        String problem = null;
        if (net.inputs() != c.features().size()) {
            problem = "the network takes " + net.inputs() + " inputs, the contract names " + c.features().size() + " features";
        } else if (net.outputs() != c.outputWidth()) {
            problem = "the network gives " + net.outputs() + " outputs, the contract's " + c.decoding().id() + " over "
                    + c.actionLevels() + " levels needs " + c.outputWidth();
        } else if (net.recurrent() != c.recurrent() || net.hiddenSize() != c.hiddenSize()) {
            problem = "the network's hidden state (" + net.hiddenSize() + ") differs from the contract's (" + c.hiddenSize() + ")";
        }
        if (problem != null) {
            throw new CohortException("cannot export the " + c.role().id() + " agent: " + problem);
        }
    }

    private static String producerVersion() {
        String v = OnnxExporter.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }
}
