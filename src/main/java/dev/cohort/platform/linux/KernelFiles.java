package dev.cohort.platform.linux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How every class in this package touches sysfs, procfs, cgroupfs and resctrl files: one whole read per
 * sample (the kernel builds an attribute's content in one {@code show()} when a read starts at offset 0),
 * one {@code write()} per value (one {@code store()}), and {@code mkdir}/{@code rmdir} for cgroups and
 * resctrl groups. Failures are {@link KernelIoException}s that carry the errno and a message naming the
 * operation, the path and the value (see {@link Errno#explain}).
 *
 * <p>{@link #real()} is the kernel. Tests wrap it to emulate kernel store semantics (clamping, padding,
 * errnos) on a fake tree; that is the only reason this is an interface.
 */
public interface KernelFiles {

    /** The whole content of the file, as the kernel printed it (trailing newline included). */
    String read(Path path) throws IOException;

    /** Writes {@code value} to an existing file in one {@code write()}; no newline is added. */
    void write(Path path, String value) throws IOException;

    /** Creates a directory (a cgroup or a resctrl group). */
    void mkdir(Path path) throws IOException;

    /** Removes a directory (a cgroup or a resctrl group); the kernel moves its tasks to the parent. */
    void rmdir(Path path) throws IOException;

    /** The file's content with surrounding whitespace removed. */
    default String readTrim(Path path) throws IOException {
        return read(path).strip();
    }

    /** The file's content as a decimal number. */
    default long readLong(Path path) throws IOException {
        String s = readTrim(path);
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new KernelIoException(Errno.EINVAL, "read " + path + ": expected a number, found '" + s + "'");
        }
    }

    /** The trimmed content, or empty when the file does not exist. Other errors are thrown. */
    default Optional<String> readIfPresent(Path path) throws IOException {
        try {
            return Optional.of(readTrim(path));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (KernelIoException e) {
            if (e.errno() == Errno.ENOENT) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The number in the file, or empty when the file is missing, unreadable or not a number. */
    default OptionalLong readLongOrEmpty(Path path) {
        try {
            return OptionalLong.of(readLong(path));
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /** The kernel's files. */
    static KernelFiles real() {
        return Real.INSTANCE;
    }

    /** Reads and writes through NIO with one reusable buffer per thread. */
    final class Real implements KernelFiles {
        static final Real INSTANCE = new Real();
        private static final ThreadLocal<ByteBuffer> BUF = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(16384));

        private Real() {
        }

        @Override
        public String read(Path path) throws IOException {
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                ByteBuffer buf = BUF.get();
                buf.clear();
                while (true) {
                    int n = ch.read(buf);
                    if (n < 0) {
                        break;
                    }
                    if (!buf.hasRemaining()) {
                        ByteBuffer bigger = ByteBuffer.allocateDirect(buf.capacity() * 2);
                        buf.flip();
                        bigger.put(buf);
                        buf = bigger;
                        BUF.set(buf);
                    }
                }
                buf.flip();
                byte[] bytes = new byte[buf.remaining()];
                buf.get(bytes);
                return new String(bytes, StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                throw Errno.explain("read", path, null, e);
            }
        }

        @Override
        public void write(Path path, String value) throws IOException {
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(value.getBytes(StandardCharsets.US_ASCII));
                int n = ch.write(b);
                if (b.hasRemaining()) {
                    throw new KernelIoException(Errno.EIO, "write '" + value.strip() + "' to " + path
                            + ": the kernel took " + n + " of " + b.limit() + " bytes");
                }
            } catch (KernelIoException e) {
                throw e;
            } catch (IOException e) {
                throw Errno.explain("write", path, value, e);
            }
        }

        @Override
        public void mkdir(Path path) throws IOException {
            try {
                Files.createDirectory(path);
            } catch (IOException e) {
                throw Errno.explain("mkdir", path, null, e);
            }
        }

        @Override
        public void rmdir(Path path) throws IOException {
            try {
                Files.delete(path);
            } catch (IOException e) {
                throw Errno.explain("rmdir", path, null, e);
            }
        }
    }
}
