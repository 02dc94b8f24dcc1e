package dev.cohort.platform.linux;

import java.io.IOException;

/** A failed read, write, mkdir or rmdir of a kernel file, with its errno and a message a person can act on. */
public final class KernelIoException extends IOException {
    private static final long serialVersionUID = 1L;
    private final Errno errno;

    public KernelIoException(Errno errno, String message) {
        super(message);
        this.errno = errno;
    }

    public KernelIoException(Errno errno, String message, Throwable cause) {
        super(message, cause);
        this.errno = errno;
    }

    /** What the kernel said (UNKNOWN when the text matched no known errno). */
    public Errno errno() {
        return errno;
    }
}
