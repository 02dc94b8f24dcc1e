package dev.cohort.platform.linux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * RAPL energy read straight from the model-specific registers through {@code /dev/cpu/N/msr}, for hosts
 * without powercap. The file offset is the MSR number; each read is 8 bytes, little-endian.
 *
 * <pre>
 * MSR_RAPL_POWER_UNIT      0x606       bits 12:8 energy status unit ESU: one count = 1/2^ESU J
 * MSR_PKG_ENERGY_STATUS    0x611       bits 31:0, wraps at 2^32 counts
 * MSR_DRAM_ENERGY_STATUS   0x619       bits 31:0 (servers; some use a fixed 15.3 µJ unit)
 * AMD: MSR_AMD_RAPL_POWER_UNIT 0xC0010299, MSR_AMD_PKG_ENERGY_STATUS 0xC001029B (no DRAM counter)
 * </pre>
 *
 * Opening needs CAP_SYS_RAWIO and the {@code msr} module; an MSR the CPU lacks reads as EIO. Read-only: this
 * class never writes an MSR.
 */
public final class MsrRapl {
    /** Intel register numbers. */
    static final long INTEL_UNIT = 0x606, INTEL_PKG = 0x611, INTEL_DRAM = 0x619;
    /** AMD register numbers. */
    static final long AMD_UNIT = 0xC0010299L, AMD_PKG = 0xC001029BL;

    private final Path devDir;
    private final boolean amd;

    /** @param amd true on AMD (and Hygon) CPUs, whose RAPL registers live at 0xC001029x */
    public MsrRapl(Path root, boolean amd) {
        this.devDir = root.resolve("dev/cpu");
        this.amd = amd;
    }

    /** The MSR device of {@code cpu}. */
    public Path device(int cpu) {
        return devDir.resolve(Integer.toString(cpu)).resolve("msr");
    }

    /** True when the MSR device of {@code cpu} exists (the {@code msr} module is loaded). */
    public boolean present(int cpu) {
        return Files.exists(device(cpu));
    }

    /** Microjoules per counter step, from the unit register of {@code cpu}. */
    public double microjoulesPerCount(int cpu) throws IOException {
        long unit = read(cpu, amd ? AMD_UNIT : INTEL_UNIT);
        return 1e6 / (1L << ((unit >>> 8) & 0x1f));
    }

    /** The raw 32-bit package energy counter of the package {@code cpu} belongs to. */
    public long packageCounts(int cpu) throws IOException {
        return read(cpu, amd ? AMD_PKG : INTEL_PKG) & 0xffffffffL;
    }

    /** The raw 32-bit DRAM energy counter (Intel servers only). */
    public long dramCounts(int cpu) throws IOException {
        if (amd) {
            throw new KernelIoException(Errno.EIO, "AMD has no DRAM RAPL counter");
        }
        return read(cpu, INTEL_DRAM) & 0xffffffffL;
    }

    /** Reads one MSR of one CPU. */
    public long read(int cpu, long msr) throws IOException {
        Path dev = device(cpu);
        try (FileChannel ch = FileChannel.open(dev, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining()) {
                if (ch.read(b, msr + b.position()) < 0) {
                    throw new KernelIoException(Errno.EIO, "read MSR 0x" + Long.toHexString(msr) + " from " + dev
                            + ": EIO (end of file): this CPU does not implement the MSR");
                }
            }
            return b.flip().getLong();
        } catch (KernelIoException e) {
            throw e;
        } catch (IOException e) {
            throw Errno.explain("read MSR 0x" + Long.toHexString(msr) + " from", dev, null, e);
        }
    }
}
