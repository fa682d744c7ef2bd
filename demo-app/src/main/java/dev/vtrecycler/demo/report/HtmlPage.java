package dev.vtrecycler.demo.report;

import java.util.List;

/**
 * A self-contained HTML report: inline CSS, inline SVG charts, no script, nothing fetched when it is
 * opened (so it can be mailed, attached to a ticket or opened offline). Built top to bottom.
 */
public final class HtmlPage {
    private static final String STYLE = """
            body { font-family: DejaVu Sans, Helvetica, Arial, sans-serif; margin: 24px; color: #222; max-width: 1400px; }
            h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 32px; }
            table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; }
            th, td { border: 1px solid #ccc; padding: 4px 10px; text-align: right; white-space: nowrap; }
            th:first-child, td:first-child { text-align: left; }
            th { background: #f2f2f2; }
            pre { background: #f7f7f7; padding: 12px; overflow-x: auto; font-size: 12px; }
            svg.chart { display: block; margin: 8px 0 20px; max-width: 100%; height: auto; }
            .note { color: #555; font-size: 13px; }
            """;

    private final StringBuilder body = new StringBuilder();
    private final String title;

    public HtmlPage(String title) {
        this.title = title;
        body.append("<h1>").append(Svg.escape(title)).append("</h1>\n");
    }

    public HtmlPage heading(String text) {
        body.append("<h2>").append(Svg.escape(text)).append("</h2>\n");
        return this;
    }

    public HtmlPage note(String text) {
        body.append("<p class=\"note\">").append(Svg.escape(text)).append("</p>\n");
        return this;
    }

    /** The first row is the header. */
    public HtmlPage table(List<String[]> rows) {
        body.append("<table>\n");
        for (int r = 0; r < rows.size(); r++) {
            String cell = r == 0 ? "th" : "td";
            body.append("<tr>");
            for (String value : rows.get(r)) {
                body.append('<').append(cell).append('>').append(Svg.escape(value)).append("</").append(cell).append('>');
            }
            body.append("</tr>\n");
        }
        body.append("</table>\n");
        return this;
    }

    public HtmlPage chart(Chart chart) {
        body.append(ChartSvg.render(chart));
        return this;
    }

    /** Preformatted text, e.g. the command's own text output, so the page holds every figure it printed. */
    public HtmlPage preformatted(String text) {
        body.append("<pre>").append(Svg.escape(text)).append("</pre>\n");
        return this;
    }

    public String render() {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + Svg.escape(title)
                + "</title>\n<style>\n" + STYLE + "</style>\n</head>\n<body>\n" + body + "</body>\n</html>\n";
    }
}
