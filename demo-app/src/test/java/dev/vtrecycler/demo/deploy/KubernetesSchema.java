package dev.vtrecycler.demo.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a YAML document against its resource's schema, as fabric8's model classes carry it (they
 * are generated from the Kubernetes OpenAPI document and from the Prometheus Operator's CRDs):
 * binding must succeed, no field may be unknown to the schema (fabric8 keeps unknown fields in
 * {@code additionalProperties} instead of failing, so every object is walked), and writing the bound
 * object back must give the document again (a value of the wrong type, coerced on the way in, shows
 * up as a difference).
 */
final class KubernetesSchema {
    static final Map<String, Class<?>> KINDS = Map.of(
            "apps/v1 Deployment", Deployment.class,
            "v1 ConfigMap", ConfigMap.class,
            "monitoring.coreos.com/v1 PodMonitor", PodMonitor.class);

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private KubernetesSchema() {}

    /** The problems of one document, one line each; empty when it matches its schema. */
    static List<String> check(Map<String, Object> document) {
        String kind = document.get("apiVersion") + " " + document.get("kind");
        Class<?> type = KINDS.get(kind);
        if (type == null) {
            return List.of("no schema here for " + kind + " (known: " + KINDS.keySet() + ")");
        }
        List<String> problems = new ArrayList<>();
        Object bound;
        try {
            bound = MAPPER.convertValue(document, type);
        } catch (IllegalArgumentException e) {
            return List.of(kind + ": does not bind to " + type.getSimpleName() + ": " + e.getMessage());
        }
        unknownFields(bound, kind, problems, new IdentityHashMap<>());
        // compared as JSON trees read from text, so 65534 as an int and as a long are the same number
        JsonNode written = json(bound);
        JsonNode expected = json(document);
        if (!written.equals(expected)) {
            problems.add(kind + ": written back differs (a value of the wrong type?):\n  read:    " + expected
                    + "\n  written: " + written);
        }
        return problems;
    }

    private static JsonNode json(Object value) {
        try {
            return MAPPER.readTree(MAPPER.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void unknownFields(Object value, String path, List<String> problems, Map<Object, Boolean> seen) {
        if (value == null || seen.put(value, Boolean.TRUE) != null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", problems, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                unknownFields(e.getValue(), path + "." + e.getKey(), problems, seen);
            }
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return; // strings, numbers, booleans
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object child;
            try {
                child = getter.invoke(value);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(getter + ": " + e, e);
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": not in the schema: " + extra.keySet());
                }
                continue;
            }
            String field = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
            unknownFields(child, path + "." + field, problems, seen);
        }
    }
}
