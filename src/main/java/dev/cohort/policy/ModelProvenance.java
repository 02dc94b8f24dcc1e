package dev.cohort.policy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Where a model came from, written into its metadata with the contract: enough to reproduce the run and to
 * tell two models apart. Java, OS and architecture are recorded because Math and StrictMath results may
 * differ across platforms (as Tribuo's {@code ModelProvenance} notes). Fields an exporter did not write
 * read as {@link #UNKNOWN}.
 *
 * @param scenarios the scenario names trained on, in order (empty when unknown)
 * @param seed      the training seed as text ({@link #UNKNOWN} when not recorded)
 * @param commit    the code commit the trainer ran ({@code git describe}), {@link #UNKNOWN} when not in a checkout
 * @param trainedAt when the export was written, ISO-8601 UTC
 * @param producer  the program that wrote the file, e.g. {@code cohort 0.1.0} or {@code torch.onnx.export 1.13}
 * @param java      Java runtime version of the trainer
 * @param os        operating system name of the trainer
 * @param arch      CPU architecture of the trainer
 * @param reward    the reward weights trained with, e.g. {@code alpha=30,beta=1,gamma=0.1,delta=2}
 * @param training  how the training ran (simulator seeds, scenario variation, budget), free text
 */
public record ModelProvenance(List<String> scenarios, String seed, String commit, String trainedAt, String producer,
                              String java, String os, String arch, String reward, String training) {
    /** The value of a field an exporter did not record. */
    public static final String UNKNOWN = "unknown";

    public ModelProvenance {
        scenarios = List.copyOf(scenarios);
    }

    /**
     * A provenance stamped now, with this JVM's Java, OS and architecture.
     *
     * @param scenarios scenario names trained on
     * @param seed      training seed
     * @param commit    code commit ({@link #UNKNOWN} when not known)
     * @param producer  the exporting program
     */
    public static ModelProvenance here(List<String> scenarios, long seed, String commit, String producer) {
        return here(scenarios, seed, commit, producer, UNKNOWN, UNKNOWN);
    }

    /**
     * A provenance stamped now, with the reward weights and a description of the training run.
     *
     * @param reward   reward weights, e.g. {@code alpha=30,beta=1,gamma=0.1,delta=2}
     * @param training how the training ran, free text
     */
    public static ModelProvenance here(List<String> scenarios, long seed, String commit, String producer, String reward,
                                       String training) {
        return new ModelProvenance(scenarios, Long.toString(seed), commit,
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), producer,
                System.getProperty("java.version"), System.getProperty("os.name"), System.getProperty("os.arch"), reward, training);
    }
}
