package dev.vtrecycler.demo.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * deploy/kubernetes: every resource matches its schema ({@link KubernetesSchema}), and the pieces fit
 * together: the agent jar the init container copies is the one JAVA_TOOL_OPTIONS loads, through the
 * same volume; the PodMonitor finds the pods and the agent's port; the dashboard ConfigMap holds the
 * repository's dashboard unchanged.
 */
class KubernetesExampleTest {
    private static final Path FOLDER = Path.of("").toAbsolutePath().resolveSibling("deploy").resolve("kubernetes");
    private static final Path DASHBOARD = Path.of("").toAbsolutePath().resolveSibling("grafana")
            .resolve("vtrecycler-dashboard.json");

    private static Map<String, Object> deployment;
    private static Map<String, Object> podMonitor;
    private static Map<String, Object> configMap;

    @BeforeAll
    static void read() throws IOException {
        deployment = single("deployment.yaml");
        podMonitor = single("podmonitor.yaml");
        configMap = single("grafana-dashboard-configmap.yaml");
    }

    private static List<Object> documents(String file) throws IOException {
        List<Object> out = new ArrayList<>();
        new Load(LoadSettings.builder().build()).loadAllFromString(Files.readString(FOLDER.resolve(file))).forEach(out::add);
        return out;
    }

    private static Map<String, Object> single(String file) throws IOException {
        List<Object> docs = documents(file);
        assertThat(docs).as(file).hasSize(1);
        return map(docs.get(0));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        assertThat(o).isInstanceOf(List.class);
        return (List<Object>) o;
    }

    /** {@code at(doc, "spec", "template", "spec")}: a nested map. */
    private static Map<String, Object> at(Map<String, Object> doc, String... keys) {
        Map<String, Object> m = doc;
        for (String key : keys) {
            m = map(m.get(key));
        }
        return m;
    }

    private static Map<String, Object> named(Object items, String name) {
        return list(items).stream().map(KubernetesExampleTest::map).filter(m -> name.equals(m.get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no entry named " + name + " in " + items));
    }

    @Test
    void everyResourceMatchesItsSchema() throws IOException {
        List<String> resources = resourceFiles();
        assertThat(resources).containsExactlyInAnyOrder("deployment.yaml", "podmonitor.yaml", "grafana-dashboard-configmap.yaml");
        for (String file : resources) {
            for (Object doc : documents(file)) {
                assertThat(KubernetesSchema.check(map(doc))).as(file).isEmpty();
                assertThat(at(map(doc), "metadata").get("name")).as(file + " metadata.name").isNotNull();
            }
        }
    }

    @Test
    void theSchemaCheckRejectsUnknownFieldsAndWrongTypes() {
        Map<String, Object> typo = Map.of("apiVersion", "monitoring.coreos.com/v1", "kind", "PodMonitor",
                "metadata", Map.of("name", "x"),
                "spec", Map.of("selector", Map.of("matchLabels", Map.of("a", "b")),
                        "podMetricsEndpoints", List.of(Map.of("port", "vtrecycler", "intervall", "15s"))));
        assertThat(KubernetesSchema.check(typo)).singleElement().asString()
                .contains("podMetricsEndpoints[0]").contains("not in the schema: [intervall]");

        Map<String, Object> wrongType = Map.of("apiVersion", "v1", "kind", "ConfigMap",
                "metadata", Map.of("name", "x", "labels", Map.of("grafana_dashboard", 1)));
        assertThat(KubernetesSchema.check(wrongType)).singleElement().asString().contains("written back differs");
    }

    /** What kustomization.yaml applies: every other YAML file of the folder, and nothing missing. */
    private static List<String> resourceFiles() throws IOException {
        Map<String, Object> kustomization = single("kustomization.yaml");
        assertThat(kustomization.get("kind")).isEqualTo("Kustomization");
        List<String> listed = list(kustomization.get("resources")).stream().map(String::valueOf).toList();
        try (Stream<Path> files = Files.list(FOLDER)) {
            List<String> yaml = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml")).toList();
            assertThat(listed).containsExactlyInAnyOrderElementsOf(yaml);
        }
        return listed;
    }

    @Test
    void theInitContainerCopiesTheJarThatJavaToolOptionsLoads() throws IOException {
        Map<String, Object> pod = at(deployment, "spec", "template", "spec");
        Map<String, Object> init = named(pod.get("initContainers"), "vtrecycler-agent");
        Map<String, Object> app = map(list(pod.get("containers")).get(0));

        Map<String, Object> volume = named(pod.get("volumes"), "vtrecycler-agent");
        assertThat(volume).containsKey("emptyDir");
        String initMount = (String) named(init.get("volumeMounts"), "vtrecycler-agent").get("mountPath");
        String appMount = (String) named(app.get("volumeMounts"), "vtrecycler-agent").get("mountPath");

        List<Object> command = list(init.get("command"));
        assertThat(command).hasSize(3).first().isEqualTo("cp");
        String copiedFrom = (String) command.get(1);
        String copiedTo = (String) command.get(2);
        assertThat(copiedTo).startsWith(initMount + "/");
        String jarInApp = appMount + copiedTo.substring(initMount.length());

        String toolOptions = (String) named(app.get("env"), "JAVA_TOOL_OPTIONS").get("value");
        Matcher agent = Pattern.compile("-javaagent:(\\S+?\\.jar)(?:=(\\S*))?").matcher(toolOptions);
        assertThat(agent.find()).as(toolOptions).isTrue();
        assertThat(agent.group(1)).isEqualTo(jarInApp);

        // the agent's port is the container port the PodMonitor scrapes
        Matcher port = Pattern.compile("(?:^|,)port=(\\d+)").matcher(agent.group(2));
        assertThat(port.find()).as(toolOptions).isTrue();
        Map<String, Object> metricsPort = named(app.get("ports"), "vtrecycler");
        assertThat(metricsPort.get("containerPort")).isEqualTo(Integer.valueOf(port.group(1)));

        // the image the init container runs puts the jar where it copies it from
        String dockerfile = Files.readString(FOLDER.resolve("agent-image").resolve("Dockerfile"));
        assertThat(dockerfile).containsPattern("(?m)^COPY vtrecycler-agent\\.jar " + Pattern.quote(copiedFrom) + "$");
    }

    @Test
    void thePodMonitorSelectsThePodsAndScrapesTheAgentPort() {
        Map<String, Object> podLabels = at(deployment, "spec", "template", "metadata", "labels");
        assertThat(podLabels).containsAllEntriesOf(at(deployment, "spec", "selector", "matchLabels"));
        assertThat(podLabels).containsAllEntriesOf(at(podMonitor, "spec", "selector", "matchLabels"));

        Map<String, Object> endpoint = map(list(at(podMonitor, "spec").get("podMetricsEndpoints")).get(0));
        assertThat(endpoint).containsEntry("port", "vtrecycler").containsEntry("path", "/metrics");
    }

    @Test
    void theDashboardConfigMapHoldsTheDashboardFileUnchanged() throws IOException {
        assertThat(at(configMap, "metadata", "labels")).containsEntry("grafana_dashboard", "1");
        String copy = (String) at(configMap, "data").get("vtrecycler-dashboard.json");
        assertThat(copy)
                .as("deploy/kubernetes/grafana-dashboard-configmap.yaml is stale: run deploy/kubernetes/generate-dashboard-configmap.sh")
                .isEqualTo(Files.readString(DASHBOARD));
    }
}
