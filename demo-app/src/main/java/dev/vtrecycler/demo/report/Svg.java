package dev.vtrecycler.demo.report;

import java.util.Locale;

/**
 * A few SVG elements as text. The report draws its charts with these instead of a charting library,
 * so an HTML report is one file that needs nothing from the network when it is opened, and a chart
 * exported on its own is the same markup.
 */
final class Svg {
    private final StringBuilder body = new StringBuilder();
    private final double width;
    private final double height;

    Svg(double width, double height) {
        this.width = width;
        this.height = height;
    }

    Svg rect(String cssClass, double x, double y, double w, double h, String fill, String tooltip) {
        body.append("<rect class=\"").append(cssClass).append("\" x=\"").append(n(x)).append("\" y=\"").append(n(y))
                .append("\" width=\"").append(n(Math.max(w, 0))).append("\" height=\"").append(n(Math.max(h, 0)))
                .append("\" fill=\"").append(fill).append('"');
        if (tooltip == null) {
            body.append("/>\n");
        } else {
            body.append("><title>").append(escape(tooltip)).append("</title></rect>\n");
        }
        return this;
    }

    Svg line(double x1, double y1, double x2, double y2, String stroke, double strokeWidth) {
        body.append("<line x1=\"").append(n(x1)).append("\" y1=\"").append(n(y1)).append("\" x2=\"").append(n(x2))
                .append("\" y2=\"").append(n(y2)).append("\" stroke=\"").append(stroke).append("\" stroke-width=\"")
                .append(n(strokeWidth)).append("\"/>\n");
        return this;
    }

    Svg polyline(String cssClass, double[] xs, double[] ys, String stroke) {
        body.append("<polyline class=\"").append(cssClass).append("\" fill=\"none\" stroke=\"").append(stroke)
                .append("\" stroke-width=\"2\" points=\"");
        for (int i = 0; i < xs.length; i++) {
            body.append(i == 0 ? "" : " ").append(n(xs[i])).append(',').append(n(ys[i]));
        }
        body.append("\"/>\n");
        return this;
    }

    Svg circle(String cssClass, double cx, double cy, double r, String fill, String tooltip) {
        body.append("<circle class=\"").append(cssClass).append("\" cx=\"").append(n(cx)).append("\" cy=\"").append(n(cy))
                .append("\" r=\"").append(n(r)).append("\" fill=\"").append(fill).append("\"><title>")
                .append(escape(tooltip)).append("</title></circle>\n");
        return this;
    }

    /** {@code anchor}: start, middle or end; {@code rotate}: degrees around (x, y), 0 for none. */
    Svg text(double x, double y, String anchor, double size, String weight, double rotate, String content) {
        body.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" text-anchor=\"").append(anchor)
                .append("\" font-size=\"").append(n(size)).append('"');
        if (!weight.equals("normal")) {
            body.append(" font-weight=\"").append(weight).append('"');
        }
        if (rotate != 0) {
            body.append(" transform=\"rotate(").append(n(rotate)).append(' ').append(n(x)).append(' ').append(n(y))
                    .append(")\"");
        }
        body.append('>').append(escape(content)).append("</text>\n");
        return this;
    }

    /** The whole document; {@code title} is what screen readers and tooltips show for the chart. */
    String render(String id, String title) {
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"" + escape(id) + "\" width=\"" + n(width)
                + "\" height=\"" + n(height) + "\" viewBox=\"0 0 " + n(width) + " " + n(height) + "\" role=\"img\""
                + " font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n<title>" + escape(title) + "</title>\n"
                + "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n" + body + "</svg>\n";
    }

    /** Escapes text for element content and attribute values alike. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Coordinates with one decimal: small files, sub-pixel precision is invisible. */
    private static String n(double value) {
        String text = String.format(Locale.ROOT, "%.1f", value);
        return text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
    }
}
