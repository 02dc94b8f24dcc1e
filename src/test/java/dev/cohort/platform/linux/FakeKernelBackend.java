package dev.cohort.platform.linux;

import dev.cohort.platform.CohortException;
import dev.cohort.platform.StateFile;
import dev.cohort.platform.linux.faketree.FakeTreeWriter;
import dev.cohort.service.Backend;
import dev.cohort.service.Daemon;
import dev.cohort.service.systemd.SdNotify;
import java.nio.file.Path;

/**
 * The daemon on a {@link FakeTreeWriter} tree whose writes behave like the kernel's ({@link FakeKernel}: newline-
 * terminated values, clamping, schemata merging, resctrl mkdir/rmdir), so a test can compare the tree byte for byte
 * after a restore. {@link #main} is the daemon subprocess the end-to-end tests start:
 * {@code FakeKernelBackend CONFIG [--dry-run]}; it is {@code cohort run} with this backend factory.
 */
public final class FakeKernelBackend {
    private FakeKernelBackend() {
    }

    /** Opens a LinuxPlatform rooted at the configured host.root, writing through a fake kernel. */
    public static Backend.Factory factory() {
        return cfg -> Backend.linux(new LinuxPlatform(Backend.linuxOptions(cfg, new StateFile(cfg.stateFile())), new FakeKernel()));
    }

    public static void main(String[] args) {
        Boolean dry = args.length > 1 && args[1].equals("--dry-run") ? Boolean.TRUE : null;
        int code;
        try {
            code = new Daemon(new Daemon.Options(Path.of(args[0]), null, dry, factory(), () -> false, SdNotify.fromEnvironment(),
                    System.err, true)).run();
        } catch (CohortException e) {
            System.err.println("cohort: " + e.getMessage());
            code = 1;
        }
        System.exit(code);
    }
}
