package dev.cohort.learn.train;

import dev.cohort.learn.nn.ParamSet;
import dev.cohort.learn.onnx.OnnxExporter;
import dev.cohort.platform.CohortException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code cohort train}: opens the run directory ({@link RunDirectory}: one run at a time, never another run's work
 * overwritten), then runs the training ({@link TrainingRun}) in it.
 */
public final class Trainer {
    /** Progress callbacks (the CLI's progress bar) and the way to stop a run cleanly. */
    public interface Listener {
        /** A line for the user (setting up, evaluating baselines, exporting). */
        default void message(String text) {
        }

        /** An iteration finished. */
        default void iteration(IterationLog log) {
        }

        /** True once the run should stop at the next iteration boundary, checkpointed (Ctrl-C). */
        default boolean stopRequested() {
            return false;
        }
    }

    /**
     * What a finished or stopped run produced.
     *
     * @param out        the run directory
     * @param models     the exported model files with their checks (none when stopped)
     * @param log        the training log
     * @param curves     the learning-curve PNG (null when stopped)
     * @param report     the markdown report
     * @param envSteps   environment ticks in total
     * @param updates    learner updates in total
     * @param wallSeconds wall-clock time in total
     * @param finalWeights the learner's agent weights at the end (a copy)
     * @param stopped    true when the run stopped on request before its budget; {@code --resume} continues it
     */
    public record Result(Path out, List<OnnxExporter.Report> models, Path log, Path curves, Path report, long envSteps,
                         long updates, double wallSeconds, ParamSet finalWeights, boolean stopped) {
    }

    private Trainer() {
    }

    /** {@link #run(TrainConfig, boolean, boolean, Listener)} without {@code force}. */
    public static Result run(TrainConfig cfg, boolean resume, Listener listener) {
        return run(cfg, resume, false, listener);
    }

    /**
     * Runs (or, with {@code resume}, continues) the training {@code cfg} describes; one run at a time per run directory.
     *
     * @param force train into a run or models directory that holds files cohort did not write for this run, or over a
     *              previous run (its log, checkpoint and report are deleted first)
     * @throws CohortException when another run holds the directory, it holds work that would be lost, the configuration
     *                         cannot be used, or files cannot be written
     */
    public static Result run(TrainConfig cfg, boolean resume, boolean force, Listener listener) {
        try (RunDirectory dir = RunDirectory.open(cfg.out(), cfg.exportDir(), resume, force)) {
            TrainingRun run = new TrainingRun(cfg, listener, dir);
            run.prepare(resume);
            return run.execute();
        }
    }
}
