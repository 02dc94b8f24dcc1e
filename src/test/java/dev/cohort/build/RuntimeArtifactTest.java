package dev.cohort.build;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The agent's runtime artifact carries ONNX Runtime and not libtorch; training's extra class path carries libtorch;
 * and no main code depends on the PyTorch engine's classes (DJL finds engines by name), so the agent runs without it.
 */
class RuntimeArtifactTest {
    static final Path REPO = Path.of(System.getProperty("cohort.repo", "."));

    static List<String> classpath(String file) throws IOException {
        return List.of(Files.readString(REPO.resolve("target").resolve(file)).strip().split(":"));
    }

    @Test
    void theAgentsRuntimeClassPathHasOnnxRuntimeButNoLibtorch() throws IOException {
        List<String> cp = classpath("runtime.classpath");
        assertTrue(cp.stream().anyMatch(j -> j.contains("onnxruntime-engine")), cp.toString());
        assertTrue(cp.stream().anyMatch(j -> j.contains("com/microsoft/onnxruntime")), cp.toString());
        assertFalse(cp.stream().anyMatch(j -> j.contains("pytorch")), "libtorch leaked into the runtime: " + cp);
    }

    @Test
    void trainingsClassPathAddsThePyTorchEngineAndLibtorch() throws IOException {
        List<String> cp = classpath("train.classpath");
        assertTrue(cp.stream().anyMatch(j -> j.contains("pytorch-engine")), cp.toString());
        assertTrue(cp.stream().anyMatch(j -> j.contains("pytorch-native-cpu")), cp.toString());
        assertTrue(cp.stream().anyMatch(j -> j.contains("pytorch-jni")), cp.toString());
    }

    @Test
    void noMainCodeImportsThePyTorchEngine() throws IOException {
        try (Stream<Path> src = Files.walk(REPO.resolve("src/main/java"))) {
            var offenders = src.filter(p -> p.toString().endsWith(".java")).filter(p -> {
                try {
                    return Files.readString(p).contains("import ai.djl.pytorch");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
            assertTrue(offenders.isEmpty(), "imports ai.djl.pytorch: " + offenders);
        }
    }

    @Test
    void theLauncherAddsTrainingJarsOnlyForTrain() throws IOException {
        String launcher = Files.readString(REPO.resolve("bin/cohort"));
        assertTrue(launcher.contains("if { [ \"${1:-}\" = \"train\" ] || [ \"${1:-} ${2:-}\" = \"bench train\" ] "
                + "|| [ \"${1:-} ${2:-}\" = \"cost train\" ]; }")
                && launcher.contains("train.classpath"), "train, bench train and cost train alone: " + launcher);
    }
}
