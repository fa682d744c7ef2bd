package dev.vtrecycler.demo.dashboard;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Prometheus template-variable query. Grafana does not send these to Prometheus as written:
 * {@code label_values(selector, label)} becomes a series lookup, {@code query_result(expr)} an
 * instant query. The IT evaluates them the same way; anything else is rejected so that a new kind
 * of variable query cannot slip through untested.
 */
public sealed interface VariableQuery {

    /** {@code label_values(label)} (selector empty) or {@code label_values(selector, label)}. */
    record LabelValues(String selector, String label) implements VariableQuery {}

    /** {@code query_result(expr)}. */
    record QueryResult(String expr) implements VariableQuery {}

    Pattern LABEL_VALUES = Pattern.compile("(?s)\\s*label_values\\(\\s*(?:(.*\\S)\\s*,)?\\s*(\\w+)\\s*\\)\\s*");
    Pattern QUERY_RESULT = Pattern.compile("(?s)\\s*query_result\\((.*)\\)\\s*");

    static VariableQuery parse(String query) {
        Matcher m = LABEL_VALUES.matcher(query);
        if (m.matches()) {
            return new LabelValues(m.group(1) == null ? "" : m.group(1), m.group(2));
        }
        m = QUERY_RESULT.matcher(query);
        if (m.matches()) {
            return new QueryResult(m.group(1).trim());
        }
        throw new IllegalArgumentException("unsupported variable query (use label_values or query_result): " + query);
    }

    /** The PromQL inside, for linting: the selector of label_values, the expression of query_result. */
    default String promQl() {
        return switch (this) {
            case LabelValues lv -> lv.selector();
            case QueryResult qr -> qr.expr();
        };
    }
}
