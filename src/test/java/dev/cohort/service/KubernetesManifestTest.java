package dev.cohort.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cohort.service.config.DaemonConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.internal.KubernetesDeserializer;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * The manifests under {@code configs/kubernetes/}: every YAML document there (any file, multi-document files too)
 * parses as the Kubernetes type its apiVersion and kind claim, by the fabric8 model, with no field the model does
 * not know anywhere in it (fabric8 keeps those in {@code additionalProperties}, which must stay empty at every
 * level); the kustomization names files that exist and the image the DaemonSets use; the configuration in the
 * ConfigMap is one cohort loads; the canary and shadow DaemonSets differ from the stable one only as they say; and
 * the roll-out gates pass {@code promtool check rules} and {@code promtool test rules}.
 */
class KubernetesManifestTest {
    static final Path DIR = Path.of("configs/kubernetes");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final JsonMapper KUBE = JsonMapper.builder()
            .addModule(new SimpleModule().addDeserializer(KubernetesResource.class, new KubernetesDeserializer())).build();
    private static final String KUSTOMIZE = "kustomize.config.k8s.io/";

    /** One YAML document of a manifest file. */
    record Doc(Path file, int index, JsonNode tree) {
        String where() {
            return DIR.relativize(file) + (index > 0 ? " (document " + (index + 1) + ")" : "");
        }

        String kind() {
            return tree.path("kind").asText();
        }

        String name() {
            return tree.path("metadata").path("name").asText();
        }
    }

    static List<Doc> documents() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(DIR)) {
            files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
        List<Doc> docs = new ArrayList<>();
        for (Path f : files) {
            try (var parser = YAML.getFactory().createParser(f.toFile())) {
                List<JsonNode> trees = YAML.readValues(parser, JsonNode.class).readAll();
                for (int i = 0; i < trees.size(); i++) {
                    if (trees.get(i) != null && !trees.get(i).isNull() && !trees.get(i).isMissingNode()) {
                        docs.add(new Doc(f, i, trees.get(i)));
                    }
                }
            }
        }
        return docs;
    }

    /** The document parsed as its Kubernetes type; fails naming the file when there is no model for it. */
    static HasMetadata typed(Doc d) {
        String json = d.tree().toString();
        KubernetesResource r = KUBE.readValue(json, KubernetesResource.class);
        if (r instanceof GenericKubernetesResource || !(r instanceof HasMetadata)) {
            fail(d.where() + ": no Kubernetes model for apiVersion " + d.tree().path("apiVersion").asText() + ", kind "
                    + d.kind());
        }
        return (HasMetadata) r;
    }

    @Test
    void everyDocumentIsTheKubernetesTypeItClaimsWithNoUnknownField() throws IOException {
        List<Doc> docs = documents();
        assertTrue(docs.size() >= 8, "the fleet's manifests are there: " + docs.size());
        List<String> problems = new ArrayList<>();
        for (Doc d : docs) {
            if (d.tree().path("apiVersion").asText().startsWith(KUSTOMIZE)) {
                continue; // kustomize's own file: checked below
            }
            HasMetadata m = typed(d);
            assertEquals(d.kind(), m.getKind(), d.where());
            assertEquals(d.tree().path("apiVersion").asText(), m.getApiVersion(), d.where());
            unknownFields(m, d.where() + ": " + d.kind() + " " + d.name(), problems);
        }
        assertEquals(List.of(), problems, "fields the Kubernetes model does not know");
    }

    @Test
    void aMisspelledFieldIsCaught() throws IOException {
        Doc ds = byName(documents(), "DaemonSet", "cohort");
        ObjectNode bad = ds.tree().deepCopy();
        ((ObjectNode) bad.path("spec").path("template").path("spec").path("containers").get(0).path("securityContext"))
                .put("privilegd", true);
        ((ObjectNode) bad.path("spec")).put("terminationGracePeriod", 60);
        List<String> problems = new ArrayList<>();
        unknownFields(typed(new Doc(ds.file(), 0, bad)), "DaemonSet cohort", problems);
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("containers[0].securityContext") && p.contains("privilegd")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("spec") && p.contains("terminationGracePeriod")), problems.toString());
    }

    /**
     * Walks a fabric8 object through its getters: every {@code additionalProperties} on the way must be empty.
     * Problems are "where.path: unknown field(s) [names]".
     */
    static void unknownFields(Object o, String path, List<String> problems) {
        if (o == null || o instanceof String || o instanceof Number || o instanceof Boolean || o instanceof Enum<?>) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object x : c) {
                unknownFields(x, path + "[" + i++ + "]", problems);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> unknownFields(v, path + "." + k, problems));
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method g : o.getClass().getMethods()) {
            if (g.getParameterCount() != 0 || Modifier.isStatic(g.getModifiers()) || g.getDeclaringClass() == Object.class
                    || !g.getName().startsWith("get")) {
                continue;
            }
            Object v;
            try {
                v = g.invoke(o);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(path + ": " + g.getName() + ": " + e, e);
            }
            String prop = Character.toLowerCase(g.getName().charAt(3)) + g.getName().substring(4);
            if (prop.equals("additionalProperties")) {
                if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": unknown field(s) " + new TreeSet<>(extra.keySet().stream().map(String::valueOf).toList()));
                }
            } else if (!(o instanceof ConfigMap && prop.equals("data"))) {
                unknownFields(v, path + "." + prop, problems);
            }
        }
    }

    static Doc byName(List<Doc> docs, String kind, String name) {
        return docs.stream().filter(d -> d.kind().equals(kind) && d.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + DIR));
    }

    @Test
    void theKustomizationListsFilesThatExistAndSetsTheImageTheDaemonSetsUse() throws IOException {
        List<Doc> docs = documents();
        Doc k = docs.stream().filter(d -> d.tree().path("apiVersion").asText().startsWith(KUSTOMIZE)).findFirst().orElseThrow();
        Set<String> known = Set.of("apiVersion", "kind", "resources", "images");
        k.tree().fieldNames().forEachRemaining(f -> assertTrue(known.contains(f), k.where() + ": unexpected key " + f));
        for (JsonNode r : k.tree().path("resources")) {
            assertTrue(Files.isRegularFile(DIR.resolve(r.asText())), k.where() + ": resource " + r.asText() + " does not exist");
        }
        String image = k.tree().path("images").get(0).path("name").asText();
        List<Doc> daemonSets = docs.stream().filter(d -> d.kind().equals("DaemonSet")).toList();
        assertEquals(3, daemonSets.size(), "stable, canary, shadow");
        for (Doc ds : daemonSets) {
            DaemonSet t = (DaemonSet) typed(ds);
            assertEquals(image, t.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage(),
                    ds.where() + ": the image is the kustomization's parameter");
            assertTrue(k.tree().path("resources").toString().contains(DIR.relativize(ds.file()).toString()),
                    ds.where() + " is applied by the kustomization");
        }
    }

    @Test
    void theConfigMapHoldsAConfigurationCohortLoads() throws IOException {
        Doc cm = byName(documents(), "ConfigMap", "cohort-config");
        String yaml = cm.tree().path("data").path("cohort.yaml").asText();
        DaemonConfig c = DaemonConfig.parse("cohort-config/cohort.yaml", yaml);
        assertEquals("0.0.0.0", c.metrics().address(), "Prometheus scrapes the pod's address");
        assertEquals(9464, c.metrics().port());
        assertFalse(c.dryRun(), "the writers write; the shadow adds --dry-run");
        assertEquals(Path.of("/run/cohort"), c.stateFile().getParent(), "the state on the host path the DaemonSets mount");
        JsonNode stable = byName(documents(), "DaemonSet", "cohort").tree();
        assertTrue(stable.toString().contains("\"mountPath\":\"/run/cohort\""), "state_dir is a mount");
        assertTrue(stable.toString().contains("\"mountPath\":\"" + c.journal().getParent() + "\""), "the journal's directory is a mount");
    }

    @Test
    void theCanaryIsTheStableDaemonSetOnCanaryNodesWithTheCandidateModels() throws IOException {
        List<Doc> docs = documents();
        JsonNode stable = byName(docs, "DaemonSet", "cohort").tree();
        JsonNode canary = byName(docs, "DaemonSet", "cohort-canary").tree();
        ObjectNode expected = track(stable, "cohort-canary", "canary", canary);
        ((ObjectNode) expected.path("spec").path("updateStrategy").path("rollingUpdate")).put("maxUnavailable", 1);
        ObjectNode pod = (ObjectNode) expected.path("spec").path("template").path("spec");
        pod.remove("affinity");
        pod.putObject("nodeSelector").put("cohort.dev/rollout", "canary").put("kubernetes.io/os", "linux");
        assertEquals(expected, canary);
        assertTrue(stable.path("spec").path("template").path("spec").path("affinity").toString()
                .contains("{\"key\":\"cohort.dev/rollout\",\"operator\":\"NotIn\",\"values\":[\"canary\"]}"),
                "the stable DaemonSet stays off canary nodes: one writer per node");
    }

    @Test
    void theShadowIsADryRunWithStateOfItsOwn() throws IOException {
        List<Doc> docs = documents();
        JsonNode stable = byName(docs, "DaemonSet", "cohort").tree();
        JsonNode shadow = byName(docs, "DaemonSet", "cohort-shadow").tree();
        ObjectNode expected = track(stable, "cohort-shadow", "shadow", shadow);
        ((ObjectNode) expected.path("spec").path("updateStrategy").path("rollingUpdate")).put("maxUnavailable", "100%");
        ObjectNode pod = (ObjectNode) expected.path("spec").path("template").path("spec");
        pod.remove("affinity");
        pod.putObject("nodeSelector").put("cohort.dev/shadow", "true").put("kubernetes.io/os", "linux");
        ((ArrayNode) pod.path("containers").get(0).path("args")).add("--dry-run");
        for (JsonNode v : pod.path("volumes")) {
            String name = v.path("name").asText();
            if (name.equals("state") || name.equals("journal")) {
                JsonNode own = findVolume(shadow, name);
                assertTrue(own.has("emptyDir"), "the shadow's " + name + " is the pod's own, not the node's: " + own);
                ((ObjectNode) v).remove("hostPath");
                ((ObjectNode) v).set("emptyDir", own.path("emptyDir"));
            }
        }
        assertEquals(expected, shadow);
    }

    private static List<JsonNode> iterate(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    private static JsonNode findVolume(JsonNode ds, String name) {
        return iterate(ds.path("spec").path("template").path("spec").path("volumes")).stream()
                .filter(v -> v.path("name").asText().equals(name)).findFirst().orElseThrow();
    }

    /**
     * The stable DaemonSet renamed to another track, with that track's models ConfigMap (a versioned
     * cohort-models-* other than the stable one's).
     */
    private static ObjectNode track(JsonNode stable, String name, String track, JsonNode other) {
        ObjectNode e = stable.deepCopy();
        ((ObjectNode) e.path("metadata")).put("name", name);
        ((ObjectNode) e.path("metadata").path("labels")).put("track", track);
        ((ObjectNode) e.path("spec").path("selector").path("matchLabels")).put("track", track);
        ((ObjectNode) e.path("spec").path("template").path("metadata").path("labels")).put("track", track);
        String stableModels = findVolume(stable, "models").path("configMap").path("name").asText();
        String models = findVolume(other, "models").path("configMap").path("name").asText();
        assertTrue(models.startsWith("cohort-models-") && !models.equals(stableModels),
                name + " mounts a candidate's models, not the stable " + stableModels + ": " + models);
        ((ObjectNode) findVolume(e, "models").path("configMap")).put("name", models);
        return e;
    }

    @Test
    void theRolloutGatesPassPromtoolCheckAndTheirUnitTests(@TempDir Path dir) throws Exception {
        Path promtool = Arrays.stream(System.getenv().getOrDefault("PATH", "/usr/bin").split(":"))
                .map(p -> Path.of(p, "promtool")).filter(Files::isExecutable).findFirst().orElse(null);
        if (promtool == null && System.getenv("COHORT_REQUIRE_PROMTOOL") != null) {
            fail("promtool is not installed, and COHORT_REQUIRE_PROMTOOL (set by .ci/run) says the gates must be checked");
        }
        assumeTrue(promtool != null, "promtool is not installed (apt-get install prometheus); .ci/run installs it");
        Doc gates = byName(documents(), "ConfigMap", "cohort-rollout-gates");
        Path rules = dir.resolve("cohort-rollout-gates.rules.yaml");
        Files.writeString(rules, gates.tree().path("data").path("cohort-rollout-gates.rules.yaml").asText());
        Path tests = dir.resolve("rollout-gates.test.yaml");
        Files.copy(Path.of("src/test/resources/kubernetes/rollout-gates.test.yaml"), tests);
        String check = promtool(promtool, dir, "check", "rules", rules.toString());
        assertTrue(check.contains("SUCCESS: 10 rules found"), check);
        String test = promtool(promtool, dir, "test", "rules", tests.toString());
        assertTrue(test.contains("SUCCESS"), test);
    }

    private static String promtool(Path promtool, Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(promtool.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool " + String.join(" ", args) + " finished");
        assertEquals(0, p.exitValue(), "promtool " + String.join(" ", args) + ":\n" + out);
        return out;
    }
}
