package dev.cohort.learn.train;

import ai.djl.ndarray.NDManager;
import dev.cohort.control.RewardWeights;
import dev.cohort.learn.algo.Learner;
import dev.cohort.learn.nn.ActingForward;
import dev.cohort.learn.nn.AgentNet;
import dev.cohort.learn.nn.ParamSet;
import dev.cohort.learn.nn.TrainingForward;
import dev.cohort.learn.onnx.OnnxExporter;
import dev.cohort.platform.CohortException;
import dev.cohort.policy.ActionSpace;
import dev.cohort.policy.ModelContract;
import dev.cohort.policy.ModelProvenance;
import dev.cohort.policy.OnnxPolicy;
import dev.cohort.policy.Role;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes the trained agent networks, one ONNX file per role the training saw, with the model contract and its
 * provenance (algorithm, scenarios, seed, commit, reward weights, how the run went). Each file is verified by
 * {@link OnnxExporter} in ONNX Runtime against the plain-Java forward, DJL's PyTorch blocks, the training
 * forward pass itself and the acting forward ({@link ActingForward}: for AWRQ the average of the heads' outputs,
 * where the file holds the average of their weights). Files of roles the training did not see are removed, so a directory never mixes runs.
 */
public final class ModelExport {
    private ModelExport() {
    }

    static List<OnnxExporter.Report> write(Path dir, TrainConfig cfg, Learner learner, ParamSet weights, boolean[] rolesSeen,
                                           int[] levels, String training, long tickMillis, NDManager manager) {
        List<OnnxExporter.Report> reports = new ArrayList<>();
        var prov = ModelProvenance.here(List.copyOf(cfg.scenarios().keySet()), cfg.seed(), commit(), "cohort train "
                + version(), rewardText(cfg.reward()) + (cfg.evalReward().equals(cfg.reward()) ? ""
                : " (judged by " + rewardText(cfg.evalReward()) + ")"), training);
        // every role is written and checked beside the directory first, so a failed check leaves it as it was
        Path staging = dir.toAbsolutePath().resolveSibling(dir.getFileName() + ".exporting");
        try {
            deleteTree(staging);
            Files.createDirectories(staging);
            for (Role r : Role.values()) {
                if (!rolesSeen[r.ordinal()]) {
                    continue;
                }
                AgentNet net = learner.agents().get(r.ordinal());
                var contract = ModelContract.forSpec(new ActionSpace(r, levels[r.ordinal()]), ModelContract.Decoding.ARGMAX,
                        net.recurrent() ? net.hidden() : 0, cfg.algorithm().id(), prov, tickMillis)
                        .withLambdaRange(cfg.lambdaRange()[0], cfg.lambdaRange()[1]);
                ParamSet own = weights.subset(net.prefix() + ".");
                reports.add(OnnxExporter.export(net.toExport(own), contract, staging.resolve(OnnxPolicy.fileName(r)),
                        List.of(new TrainingForward(net, own, manager), new ActingForward(net, own))));
            }
            Files.createDirectories(dir);
            for (Role r : Role.values()) {
                Path file = dir.resolve(OnnxPolicy.fileName(r));
                if (rolesSeen[r.ordinal()]) {
                    Files.move(staging.resolve(file.getFileName()), file, StandardCopyOption.REPLACE_EXISTING);
                } else {
                    Files.deleteIfExists(file);
                }
            }
            Files.writeString(dir.resolve("config.yaml"), "# the training configuration these models came from ("
                    + cfg.source().getFileName() + ")\n" + cfg.text(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CohortException(dir + ": cannot write the models: " + e.getMessage(), e);
        } finally {
            try {
                deleteTree(staging);
            } catch (IOException e) {
                // the models are in place or the error is on its way; a stale staging directory is cleared next time
            }
        }
        return reports.stream().map(rep -> rep.in(dir)).toList();
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var files = Files.walk(p)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }

    static String rewardText(RewardWeights w) {
        return String.format(Locale.ROOT, "alpha=%s,beta=%s,gamma=%s,delta=%s", num(w.alpha()), num(w.beta()), num(w.gamma()),
                num(w.delta()));
    }

    private static String num(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    /** {@code git describe --always --dirty} of the working directory, or {@link ModelProvenance#UNKNOWN}. */
    public static String commit() {
        try {
            Process p = new ProcessBuilder("git", "describe", "--always", "--dirty").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor() == 0 && !out.isEmpty() && !out.contains(" ") ? out : ModelProvenance.UNKNOWN;
        } catch (IOException e) {
            return ModelProvenance.UNKNOWN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ModelProvenance.UNKNOWN;
        }
    }

    public static String version() {
        String v = ModelExport.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }
}
