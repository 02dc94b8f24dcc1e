package dev.cohort.cli;

import dev.cohort.platform.CohortException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks that an output a command was given can be written before the command spends its time, so that a bad path
 * is a one-line error naming the option, the path and the fix rather than a failure at the end.
 */
final class OutputPaths {
    private OutputPaths() {
    }

    /** Creates {@code dir} (and its parents) if needed and checks that files can be written in it. */
    static void directory(String option, Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CohortException(option + " " + dir + ": cannot create the directory (" + reason(e) + "); "
                    + "give a directory you can write");
        }
        if (!Files.isWritable(dir)) {
            throw new CohortException(option + " " + dir + ": the directory is not writable; give a directory you can write");
        }
    }

    /** Creates {@code file}'s directory if needed and checks that the file can be written there. */
    static void file(String option, Path file) {
        Path parent = file.toAbsolutePath().getParent();
        if (Files.isDirectory(file)) {
            throw new CohortException(option + " " + file + ": is a directory; give a file name");
        }
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new CohortException(option + " " + file + ": cannot create its directory " + parent + " (" + reason(e) + "); "
                    + "give a path in a directory you can write");
        }
        if (Files.exists(file) ? !Files.isWritable(file) : !Files.isWritable(parent)) {
            throw new CohortException(option + " " + file + ": not writable; give a path in a directory you can write");
        }
    }

    /** The operating system's reason, without the path the message already names. */
    static String reason(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return switch (e) {
            case java.nio.file.NoSuchFileException x -> "no such file or directory";
            case java.nio.file.AccessDeniedException x -> "permission denied";
            case java.nio.file.FileAlreadyExistsException x -> "a file of that name is in the way";
            case java.nio.file.NotDirectoryException x -> "not a directory";
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
    }
}
