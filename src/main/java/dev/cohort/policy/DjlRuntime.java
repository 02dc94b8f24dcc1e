package dev.cohort.policy;

import ai.djl.engine.Engine;
import dev.cohort.platform.CohortException;

/**
 * The one place that prepares DJL before any of its engines starts: offline mode (DJL must make no network
 * call: without it, engine start-up contacts the cloud instance-metadata address), no alternative engine
 * behind ONNX Runtime (the agent reads outputs with {@code toFloatArray()} and needs no other engine; without
 * this, ONNX Runtime would start libtorch whenever it is on the class path), and one intra-op and one inter-op
 * thread in ONNX Runtime's global pools. Values a user set explicitly (system property) are kept, except
 * offline mode, which is always on. Thread-safe and idempotent.
 */
public final class DjlRuntime {
    /** DJL's engine name for ONNX Runtime. */
    public static final String ONNX_RUNTIME = "OnnxRuntime";
    /** DJL's engine name for libtorch (training only; absent from the agent's runtime class path). */
    public static final String PYTORCH = "PyTorch";
    private static volatile Engine onnxRuntime;

    private DjlRuntime() {
    }

    /** Sets the system properties DJL reads at engine start. Call before anything touches DJL. */
    public static void configure() {
        System.setProperty("ai.djl.offline", "true");
        setIfAbsent("ai.djl.onnx.disable_alternative", "true");
        setIfAbsent("ai.djl.onnxruntime.num_threads", "1");
        setIfAbsent("ai.djl.onnxruntime.num_interop_threads", "1");
        setIfAbsent("ai.djl.pytorch.num_threads", "1");
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
    }

    /**
     * Configures DJL and starts its ONNX Runtime engine (before anything else may create an
     * {@code OrtEnvironment}: DJL fails when the environment's thread pool was set up by someone else).
     *
     * @throws CohortException when the engine cannot start (e.g. ONNX Runtime's native library fails to load)
     */
    public static Engine onnxRuntime() {
        Engine e = onnxRuntime;
        if (e == null) {
            synchronized (DjlRuntime.class) {
                if (onnxRuntime == null) {
                    configure();
                    try {
                        onnxRuntime = Engine.getEngine(ONNX_RUNTIME);
                    } catch (RuntimeException | LinkageError ex) {
                        throw new CohortException("ONNX Runtime did not start: " + ex.getMessage(), ex);
                    }
                }
                e = onnxRuntime;
            }
        }
        return e;
    }

    /** True when DJL's PyTorch engine is on the class path (training builds; never the agent's runtime). */
    public static boolean hasPyTorch() {
        configure();
        return Engine.hasEngine(PYTORCH);
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
