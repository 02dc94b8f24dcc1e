package dev.cohort.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.policy.baseline.Baselines;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model trained and exported outside cohort, with PyTorch's own {@code torch.onnx.export} and the contract written
 * by the {@code onnx} Python package, runs in {@link OnnxPolicy} and decides as PyTorch does, tick after tick with
 * the recurrent state carried. Needs Debian's {@code python3-torch} and {@code python3-onnx}; skipped otherwise.
 */
@Tag("interop")
class TorchInteropTest {
    static final Path SCRIPT = Path.of(System.getProperty("cohort.repo", "."), "src/test/resources/interop/export_torch_agent.py");

    @TempDir
    Path dir;

    /** A python3 that imports torch and onnx: Debian's first (pyenv's python3 may shadow it without torch). */
    static Optional<String> pythonWithTorch() {
        for (String py : List.of("/usr/bin/python3", "python3")) {
            try {
                Process p = new ProcessBuilder(py, "-c", "import torch, onnx").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return Optional.of(py);
                }
            } catch (IOException | InterruptedException e) {
                // not this one
            }
        }
        return Optional.empty();
    }

    @Test
    void aTorchOnnxExportWithTheContractDecidesAsPyTorchDoes() throws Exception {
        Optional<String> py = pythonWithTorch();
        assumeTrue(py.isPresent(), "no python3 with torch and onnx (apt-get install python3-torch python3-onnx)");
        List<String> cmd = List.of(py.get(), SCRIPT.toString(), "--out-dir", dir.toString(),
                "--core-features", ObservationSpec.CORE.describe(), "--quota-features", ObservationSpec.QUOTA.describe(),
                "--core-levels", "11", "--quota-levels", "10");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(true, p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, "export script failed:\n" + log);

        JsonNode ref = new ObjectMapper().readTree(dir.resolve("reference.json").toFile());
        int agents = ref.get("agents").asInt();
        Observations obs = observations(agents);
        try (OnnxPolicy policy = OnnxPolicy.load("torch", dir, Baselines.create("powersave"),
                Map.of(Role.CORE, new ActionSpace(Role.CORE, 11), Role.QUOTA, new ActionSpace(Role.QUOTA, 10)))) {
            assertEquals("torch.onnx.export", policy.contract(Role.CORE).orElseThrow().provenance().producer().split(" ")[0]);
            int tick = 0;
            for (JsonNode t : ref.get("ticks")) {
                obs.setTick(++tick);
                for (Role r : List.of(Role.CORE, Role.QUOTA)) {
                    float[] data = floats(t.get(r.id()).get("obs"));
                    System.arraycopy(data, 0, obs.role(r).data(), 0, data.length);
                }
                Decision d = policy.decide(obs);
                for (Role r : List.of(Role.CORE, Role.QUOTA)) {
                    JsonNode want = t.get(r.id());
                    assertArrayEquals(ints(want.get("levels")), d.levels(r), r.id() + " levels at tick " + tick);
                    assertArrayEquals(floats(want.get("q")), policy.lastOutputs(r), 1e-5f, r.id() + " q at tick " + tick);
                }
            }
            assertEquals(0, policy.fallbackCount());
        }
    }

    static Observations observations(int agents) {
        var byRole = new EnumMap<Role, RoleObservations>(Role.class);
        byRole.put(Role.CORE, new RoleObservations(ObservationSpec.CORE, new ActionSpace(Role.CORE, 11), agents));
        byRole.put(Role.MEMORY, new RoleObservations(ObservationSpec.MEMORY, new ActionSpace(Role.MEMORY, 10), 0));
        byRole.put(Role.QUOTA, new RoleObservations(ObservationSpec.QUOTA, new ActionSpace(Role.QUOTA, 10), agents));
        return new Observations(byRole);
    }

    static float[] floats(JsonNode a) {
        float[] v = new float[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) a.get(i).asDouble();
        }
        return v;
    }

    static int[] ints(JsonNode a) {
        var v = new ArrayList<Integer>();
        a.forEach(x -> v.add(x.asInt()));
        return v.stream().mapToInt(Integer::intValue).toArray();
    }
}
