package dev.vtrecycler.demo.report;

import java.util.List;

/** A finished report: the HTML page, and its charts for export as separate SVG files. */
public record Report(HtmlPage page, List<Chart> charts) {}
