package dev.cohort.platform;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The C library through the FFM API, bound once for every native binding class ({@code *Native}): the native
 * linker, the libc symbol lookup, {@code errno} captured at the call ({@link Linker.Option#captureCallState}, since
 * the JVM may overwrite it before a later call could read it), {@code strerror} and {@code close}. A binding class
 * asks for its functions with {@link #downcall}, passes a capture segment ({@link #captureLayout}) first to each
 * call, and reads the errno of a failed call with {@link #errno}. Thread-safe: everything is bound in the static
 * initialiser and immutable after.
 *
 * <p>When libc cannot be bound (no native access, an unknown platform), nothing throws here: {@link #unavailableReason}
 * says why, and {@link #downcall} throws, so each binding class records its own failure and degrades.
 */
public final class Libc {
    private static final Linker LINKER;
    private static final SymbolLookup LOOKUP;
    private static final Linker.Option CAPTURE_ERRNO;
    private static final StructLayout CAPTURE;
    private static final VarHandle ERRNO;
    private static final MethodHandle STRERROR;
    private static final MethodHandle CLOSE;
    private static final Throwable LINK_ERROR;

    static {
        Linker linker = null;
        SymbolLookup lookup = null;
        Linker.Option ccs = null;
        StructLayout cap = null;
        VarHandle err = null;
        MethodHandle st = null;
        MethodHandle cl = null;
        Throwable linkError = null;
        try {
            linker = Linker.nativeLinker();
            lookup = linker.defaultLookup();
            ccs = Linker.Option.captureCallState("errno");
            cap = Linker.Option.captureStateLayout();
            err = cap.varHandle(MemoryLayout.PathElement.groupElement("errno"));
            st = linker.downcallHandle(lookup.find("strerror").orElseThrow(), FunctionDescriptor.of(ADDRESS, JAVA_INT));
            cl = linker.downcallHandle(lookup.find("close").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        } catch (Throwable t) {
            linkError = t;
        }
        LINKER = linker;
        LOOKUP = lookup;
        CAPTURE_ERRNO = ccs;
        CAPTURE = cap;
        ERRNO = err;
        STRERROR = st;
        CLOSE = cl;
        LINK_ERROR = linkError;
    }

    private Libc() {
    }

    /** Why libc cannot be called (no libc, native access denied), or null when it can. */
    public static String unavailableReason() {
        return LINK_ERROR == null ? null : "cannot bind libc through FFM: " + LINK_ERROR;
    }

    /**
     * A handle on libc function {@code name} that captures {@code errno}: its first parameter is a capture segment
     * ({@link #captureLayout}), then the function's own. Meant for static initialisers.
     *
     * @param options further linker options, e.g. {@link Linker.Option#firstVariadicArg} for a variadic function
     * @throws IllegalStateException when libc is not bound
     * @throws java.util.NoSuchElementException when libc has no such function
     */
    public static MethodHandle downcall(String name, FunctionDescriptor function, Linker.Option... options) {
        Linker.Option[] all = Arrays.copyOf(options, options.length + 1);
        all[options.length] = CAPTURE_ERRNO;
        return plainDowncall(name, function, all);
    }

    /**
     * A handle on libc function {@code name} that does not capture {@code errno}.
     *
     * @throws IllegalStateException when libc is not bound
     * @throws java.util.NoSuchElementException when libc has no such function
     */
    public static MethodHandle plainDowncall(String name, FunctionDescriptor function, Linker.Option... options) {
        if (LINK_ERROR != null) {
            throw new IllegalStateException(unavailableReason(), LINK_ERROR);
        }
        return LINKER.downcallHandle(LOOKUP.find(name).orElseThrow(), function, options);
    }

    /** The layout of the segment a capturing call writes {@code errno} into (allocate one per call or per thread). */
    public static StructLayout captureLayout() {
        return CAPTURE;
    }

    /** The {@code errno} a capturing call left in {@code capture}. */
    public static int errno(MemorySegment capture) {
        return (int) ERRNO.get(capture, 0L);
    }

    /** libc's text for {@code errno} ({@code strerror}), or "error" when it cannot be had. */
    public static String strerror(int errno) {
        if (STRERROR == null) {
            return "error";
        }
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "error";
        }
    }

    /** {@code errno} for a message: libc's text and the number, e.g. {@code "Connection refused (errno 111)"}. */
    public static String describe(int errno) {
        return strerror(errno) + " (errno " + errno + ")";
    }

    /** close(fd); errors ignored (nothing useful is left to do after a failed close). */
    public static void close(int fd) {
        if (CLOSE == null) {
            return;
        }
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            // nothing useful to do
        }
    }
}
