package dev.cohort.learn.train;

import dev.cohort.platform.CohortException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * A training run's directory: one run at a time (a lock), the files of one run only, and never another's work
 * destroyed. cohort marks a directory it creates ({@value #MARK}); a directory that is not empty and not so marked, or
 * that holds a run when neither {@code --resume} nor {@code --force} is given, is refused. With {@code --force} a fresh
 * run first removes the previous run's log, checkpoint, curves and report, so no report ever sits beside another run's
 * log. The models directory is guarded the same way ({@value #EXPORT_MARK}), since it may be a tracked one such as
 * {@code models/qmix}.
 */
final class RunDirectory implements AutoCloseable {
    static final String MARK = ".cohort-run";
    static final String EXPORT_MARK = ".cohort-export";
    private static final List<String> RUN_FILES = List.of("train.jsonl", "checkpoint.bin", "report.md", "learning-curves.png",
            RunSummary.FILE);
    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private RunDirectory(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Opens {@code dir} for a run and locks it.
     *
     * @throws CohortException (one line, naming the directory and the option that would allow it) when another run
     *                         holds it, it holds work cohort did not write, or it holds a run and neither resume nor force
     */
    static RunDirectory open(Path dir, Path exportDir, boolean resume, boolean force) {
        boolean existed = Files.isDirectory(dir) && !isEmpty(dir);
        if (existed && !Files.exists(dir.resolve(MARK)) && !force) {
            throw new CohortException(dir + " holds files cohort train did not write; pick another out: directory, or "
                    + "--force to train into it anyway");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CohortException(dir + ": cannot create the run directory: " + e.getMessage(), e);
        }
        FileChannel ch;
        FileLock l;
        try {
            ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            throw new CohortException(dir + ": another training in this process is writing into this directory");
        } catch (IOException e) {
            throw new CohortException(dir.resolve(".lock") + ": cannot lock the run directory: " + e.getMessage(), e);
        }
        RunDirectory d = new RunDirectory(dir, ch, l);
        if (l == null) {
            d.close();
            throw new CohortException(dir + ": another cohort train is writing into this directory");
        }
        try {
            d.claim(exportDir, resume, force);
        } catch (RuntimeException e) {
            d.close();
            throw e;
        }
        return d;
    }

    private void claim(Path exportDir, boolean resume, boolean force) {
        boolean holdsRun = RUN_FILES.stream().anyMatch(f -> Files.exists(dir.resolve(f)));
        if (resume && !Files.exists(checkpoint())) {
            throw new CohortException(checkpoint() + " does not exist: nothing to resume (run without --resume to start)");
        }
        if (!resume && holdsRun && !force) {
            throw new CohortException(dir + " holds a run already: --resume continues it, --force starts over and deletes its "
                    + "log, checkpoint and report");
        }
        if (!Files.isSymbolicLink(exportDir) && Files.isDirectory(exportDir) && !isEmpty(exportDir)
                && !ownsExport(exportDir) && !force) {
            throw new CohortException(exportDir + " holds models cohort train did not export from " + dir + "; pick another "
                    + "export: directory, or --force to overwrite them");
        }
        try {
            Files.writeString(dir.resolve(MARK), "cohort train run directory\n");
            if (!resume) {
                for (String f : RUN_FILES) {
                    Files.deleteIfExists(dir.resolve(f)); // a fresh run never leaves the last one's files beside its own
                }
            } else {
                Files.deleteIfExists(dir.resolve(RunSummary.FILE)); // written again when the resumed run finishes
            }
        } catch (IOException e) {
            throw new CohortException(dir + ": cannot prepare the run directory: " + e.getMessage(), e);
        }
    }

    private boolean ownsExport(Path exportDir) {
        try {
            return Files.readString(exportDir.resolve(EXPORT_MARK)).strip().equals(dir.toAbsolutePath().normalize().toString());
        } catch (IOException e) {
            return false;
        }
    }

    /** Marks {@code exportDir} as this run's export, once its models are written. */
    void markExport(Path exportDir) {
        try {
            Files.createDirectories(exportDir);
            Files.writeString(exportDir.resolve(EXPORT_MARK), dir.toAbsolutePath().normalize() + "\n");
        } catch (IOException e) {
            throw new CohortException(exportDir + ": cannot mark the export directory: " + e.getMessage(), e);
        }
    }

    private static boolean isEmpty(Path d) {
        try (Stream<Path> s = Files.list(d)) {
            return s.noneMatch(p -> !p.getFileName().toString().equals(".lock"));
        } catch (IOException e) {
            return false;
        }
    }

    Path dir() {
        return dir;
    }

    Path checkpoint() {
        return dir.resolve("checkpoint.bin");
    }

    Path log() {
        return dir.resolve("train.jsonl");
    }

    Path report() {
        return dir.resolve("report.md");
    }

    Path curves() {
        return dir.resolve("learning-curves.png");
    }

    @Override
    public void close() {
        try {
            if (lock != null) {
                lock.release();
            }
            channel.close();
        } catch (IOException ignored) {
            // the lock goes with the process anyway
        }
    }
}
