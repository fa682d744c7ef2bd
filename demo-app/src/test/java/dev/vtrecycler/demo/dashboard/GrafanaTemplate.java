package dev.vtrecycler.demo.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Grafana's variable interpolation, as far as a Prometheus query needs it: {@code $name},
 * {@code ${name}}, {@code ${name:format}} and {@code [[name]]} are replaced by the value given for
 * {@code name}; built-ins such as {@code __rate_interval} are ordinary entries of the value map.
 */
public final class GrafanaTemplate {

    // ${name} / ${name:fmt} first, then [[name]], then $name (longest identifier, so that
    // $__range_s is never read as $__range followed by "_s").
    private static final Pattern REFERENCE =
            Pattern.compile("\\$\\{(\\w+)(?::[\\w-]+)?}|\\[\\[(\\w+)]]|\\$(\\w+)");

    private GrafanaTemplate() {}

    /**
     * The query with every variable replaced.
     *
     * @throws IllegalArgumentException naming the variables that have no value
     */
    public static String expand(String query, Map<String, String> values) {
        Matcher m = REFERENCE.matcher(query);
        StringBuilder out = new StringBuilder();
        List<String> unknown = new ArrayList<>();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
            String value = values.get(name);
            if (value == null) {
                unknown.add("$" + name);
                value = m.group();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("no value for " + unknown + " in: " + query);
        }
        return out.toString();
    }

    /**
     * One label value as Grafana's Prometheus data source writes a multi-value / All-able variable
     * into a query: regex metacharacters escaped, the escape doubled because the value lands in a
     * PromQL string literal ({@code 127.0.0.1:9404} becomes {@code 127\\.0\\.0\\.1:9404}).
     */
    public static String regexValue(String labelValue) {
        StringBuilder out = new StringBuilder();
        for (char c : labelValue.toCharArray()) {
            if ("\\^$*+?.()|{}[]".indexOf(c) >= 0) out.append("\\\\");
            out.append(c);
        }
        return out.toString();
    }
}
