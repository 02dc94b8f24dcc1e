package dev.cohort.learn.train;

import dev.cohort.harness.Shard;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One shard of a training sweep ({@code cohort train --sweep FILE --shard K/N}): the runs of its slice
 * ({@link Shard#slice}, balanced by each run's budget), one after the other. A run that finished before
 * ({@link RunSummary#FILE} in its directory) is skipped and one that stopped with a checkpoint is resumed, so a shard
 * started again (a pod rescheduled, a Ctrl-C) carries on where it was.
 */
public final class SweepShard {
    private SweepShard() {
    }

    /** What became of one run. */
    public enum Status {
        TRAINED, RESUMED, ALREADY_FINISHED, STOPPED
    }

    /**
     * One run of the slice.
     *
     * @param result the training's result (null when it had finished before)
     */
    public record Outcome(Sweep.Run run, Status status, Trainer.Result result) {
    }

    /** The runs {@code shard} holds, in sweep order. */
    public static List<Sweep.Run> slice(Sweep sweep, Shard shard, Long envSteps) {
        return java.util.Arrays.stream(shard.slice(sweep.costs(envSteps))).mapToObj(sweep.runs()::get).toList();
    }

    /**
     * Trains the slice's runs; stops after a run that stopped on request.
     *
     * @param listener each run's listener (messages, stop requests)
     */
    public static List<Outcome> run(Sweep sweep, Shard shard, Long envSteps, Double wallMinutes,
                                    Function<Sweep.Run, Trainer.Listener> listener) {
        SweepManifest.claim(sweep.out(), SweepManifest.of(sweep, envSteps, wallMinutes));
        List<Outcome> out = new ArrayList<>();
        for (Sweep.Run r : slice(sweep, shard, envSteps)) {
            var dir = sweep.dir(r);
            if (Files.isRegularFile(dir.resolve(RunSummary.FILE))) {
                out.add(new Outcome(r, Status.ALREADY_FINISHED, null));
                continue;
            }
            boolean resume = Files.isRegularFile(dir.resolve("checkpoint.bin"));
            // a run of ours that died before its first checkpoint has nothing to continue: start it over
            boolean force = !resume && Files.isRegularFile(dir.resolve(RunDirectory.MARK));
            Trainer.Result res = Trainer.run(sweep.config(r, envSteps, wallMinutes), resume, force, listener.apply(r));
            out.add(new Outcome(r, res.stopped() ? Status.STOPPED : resume ? Status.RESUMED : Status.TRAINED, res));
            if (res.stopped()) {
                break;
            }
        }
        return out;
    }
}
