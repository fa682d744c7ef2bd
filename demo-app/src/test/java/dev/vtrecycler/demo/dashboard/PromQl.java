package dev.vtrecycler.demo.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Just enough PromQL lexing to lint dashboard queries without a Prometheus server: which metric
 * names a query selects, with which label matchers, over which ranges, under which functions.
 *
 * <p>Not a parser: it relies on the shapes dashboards use (selectors, function calls, aggregations
 * with {@code by}/{@code without}, binary operators). Whether the query is valid PromQL is decided
 * by a real Prometheus in {@code PrometheusDashboardIT}.
 */
public final class PromQl {

    /**
     * One metric selector: {@code name{matchers}}; {@code matchers} is the text between the braces,
     * {@code enclosingFunction} the innermost function or aggregation around it ("" at top level).
     */
    public record Selector(String metric, String matchers, String enclosingFunction) {

        /** The label matchers, parsed; a matcher list that does not parse yields an error. */
        public List<Matcher> matcherList() {
            List<Matcher> list = new ArrayList<>();
            java.util.regex.Matcher m = MATCHER.matcher(matchers);
            int end = 0;
            while (m.find() && m.start() == end) {
                list.add(new Matcher(m.group(1), m.group(2), m.group(3)));
                end = m.end();
            }
            if (end != matchers.length()) {
                throw new IllegalArgumentException("cannot read label matchers {" + matchers + "} of " + metric);
            }
            return list;
        }
    }

    /** {@code label op "value"}, value as written (escapes kept). */
    public record Matcher(String label, String op, String value) {}

    private static final Pattern MATCHER = Pattern.compile(
            "\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*,?\\s*");

    /** Identifiers that are PromQL keywords or aggregation operators, never metric names. */
    private static final Set<String> KEYWORDS = Set.of(
            "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "and", "or",
            "unless", "atan2", "sum", "min", "max", "avg", "count", "stddev", "stdvar", "topk", "bottomk",
            "quantile", "count_values", "group", "inf", "nan", "limitk", "limit_ratio");

    /** Keywords followed by a parenthesised list of label names (not an expression). */
    private static final Set<String> LABEL_LIST_KEYWORDS =
            Set.of("by", "without", "on", "ignoring", "group_left", "group_right");

    private PromQl() {}

    /** Every metric selector in the query, in order. A bare name yields empty matchers. */
    public static List<Selector> selectors(String expr) {
        List<Token> tokens = tokenize(expr);
        List<Selector> selectors = new ArrayList<>();
        List<String> openCalls = new ArrayList<>(); // function name (or "") per open '('
        int labelListEnd = -1;                      // index of the ')' closing the last by/without list
        String labelListOwner = "";                 // the aggregation written before that list
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.kind == Kind.PUNCT && t.text.equals("(")) {
                Token before = i > 0 ? tokens.get(i - 1) : null;
                String call = before != null && before.kind == Kind.IDENT ? before.text : "";
                openCalls.add(i - 1 == labelListEnd ? labelListOwner : call); // sum by (x) (...)
                continue;
            }
            if (t.kind == Kind.PUNCT && t.text.equals(")")) {
                if (!openCalls.isEmpty()) openCalls.remove(openCalls.size() - 1);
                continue;
            }
            if (t.kind != Kind.IDENT) continue;
            if (LABEL_LIST_KEYWORDS.contains(t.text)) {
                Token before = i > 0 ? tokens.get(i - 1) : null;
                labelListOwner = before != null && before.kind == Kind.IDENT ? before.text : "";
                labelListEnd = i = skipLabelList(tokens, i);
                continue;
            }
            Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
            if (KEYWORDS.contains(t.text) || (next != null && next.kind == Kind.PUNCT && next.text.equals("("))) {
                continue; // keyword, aggregation or function call
            }
            String matchers = next != null && next.kind == Kind.BRACES ? next.text : "";
            String enclosing = openCalls.isEmpty() ? "" : openCalls.get(openCalls.size() - 1);
            selectors.add(new Selector(t.text, matchers, enclosing));
        }
        return selectors;
    }

    /** The text inside every {@code [...]} (range or subquery), in order. */
    public static List<String> ranges(String expr) {
        List<String> ranges = new ArrayList<>();
        for (Token t : tokenize(expr)) {
            if (t.kind == Kind.BRACKETS) ranges.add(t.text);
        }
        return ranges;
    }

    private static int skipLabelList(List<Token> tokens, int keyword) {
        int i = keyword + 1;
        if (i < tokens.size() && tokens.get(i).text.equals("(")) {
            while (i < tokens.size() && !tokens.get(i).text.equals(")")) i++;
        }
        return i; // at the ')' (or the keyword when no list follows, e.g. a bare "bool")
    }

    private enum Kind { IDENT, NUMBER, STRING, BRACES, BRACKETS, PUNCT }

    private record Token(Kind kind, String text) {}

    private static List<Token> tokenize(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#') { // comment to end of line
                while (i < s.length() && s.charAt(i) != '\n') i++;
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                int start = i;
                while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == ':')) i++;
                out.add(new Token(Kind.IDENT, s.substring(start, i)));
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
                int start = i;
                while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '.')) i++;
                out.add(new Token(Kind.NUMBER, s.substring(start, i)));
            } else if (c == '"' || c == '\'' || c == '`') {
                int end = endOfString(s, i);
                out.add(new Token(Kind.STRING, s.substring(i + 1, end - 1)));
                i = end;
            } else if (c == '{' || c == '[') {
                char close = c == '{' ? '}' : ']';
                int start = i + 1;
                while (i < s.length() && s.charAt(i) != close) {
                    i = (s.charAt(i) == '"' || s.charAt(i) == '\'' || s.charAt(i) == '`') ? endOfString(s, i) : i + 1;
                }
                out.add(new Token(c == '{' ? Kind.BRACES : Kind.BRACKETS, s.substring(start, Math.min(i, s.length()))));
                i++;
            } else {
                out.add(new Token(Kind.PUNCT, String.valueOf(c)));
                i++;
            }
        }
        return out;
    }

    /** Index just past the closing quote of the string literal starting at {@code start}. */
    private static int endOfString(String s, int start) {
        char quote = s.charAt(start);
        int i = start + 1;
        while (i < s.length() && s.charAt(i) != quote) {
            i += (s.charAt(i) == '\\' && quote != '`') ? 2 : 1;
        }
        return Math.min(i + 1, s.length());
    }
}
