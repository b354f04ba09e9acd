package io.github.xnatreactive.testkit.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A listing as XNAT's XFTTable: ordered columns, rows of strings, and meta entries. Rendered by {@link #render}. */
public final class Table {
    public final List<String> columns;
    public final List<Map<String, String>> rows = new ArrayList<>();
    public final Map<String, String> meta = new LinkedHashMap<>();
    /** The {@code Columns} block of file listings ({@code [{"key":"URI","serverRoot":""}]}), or null. */
    public String jsonColumnsBlock;

    public Table(List<String> columns) {
        this.columns = new ArrayList<>(columns);
    }

    public Map<String, String> addRow() {
        Map<String, String> row = new LinkedHashMap<>();
        rows.add(row);
        return row;
    }

    /** Renders in a listing format: json (default), csv, xml or html. Unknown formats are a 400. */
    public Reply render(String format) {
        String f = format == null ? "json" : format.toLowerCase(java.util.Locale.ROOT);
        return switch (f) {
            case "json", "application/json" -> Reply.text(200, "application/json", json());
            case "csv", "text/csv" -> Reply.text(200, "text/csv", csv());
            case "xml", "text/xml" -> Reply.text(200, "text/xml", xml());
            case "html", "text/html" -> Reply.text(200, "text/html", html());
            default -> throw XnatError.badRequest("Unsupported format for a listing: " + format);
        };
    }

    private String cell(Map<String, String> row, String column) {
        String v = row.get(column);
        return v == null ? "" : v;
    }

    public String json() {
        StringBuilder b = new StringBuilder(64 + rows.size() * 128);
        b.append("{\"ResultSet\":{");
        if (jsonColumnsBlock != null) {
            b.append("\"Columns\":").append(jsonColumnsBlock).append(',');
        }
        b.append("\"Result\":[");
        for (int i = 0; i < rows.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append('{');
            boolean first = true;
            for (String c : columns) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                Json.string(b, c).append(':');
                Json.string(b, cell(rows.get(i), c));
            }
            b.append('}');
        }
        b.append(']');
        for (Map.Entry<String, String> m : meta.entrySet()) {
            b.append(',');
            Json.string(b, m.getKey()).append(':');
            Json.string(b, m.getValue());
        }
        return b.append("}}").toString();
    }

    public String csv() {
        StringBuilder b = new StringBuilder();
        appendCsvLine(b, columns);
        for (Map<String, String> row : rows) {
            List<String> cells = new ArrayList<>(columns.size());
            for (String c : columns) {
                cells.add(cell(row, c));
            }
            appendCsvLine(b, cells);
        }
        return b.toString();
    }

    private static void appendCsvLine(StringBuilder b, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            String v = cells.get(i);
            if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
                b.append('"').append(v.replace("\"", "\"\"")).append('"');
            } else {
                b.append(v);
            }
        }
        b.append('\n');
    }

    public String xml() {
        StringBuilder b = new StringBuilder();
        b.append("<ResultSet");
        for (Map.Entry<String, String> m : meta.entrySet()) {
            b.append(' ')
                    .append(m.getKey())
                    .append("=\"")
                    .append(Pages.escape(m.getValue()))
                    .append('"');
        }
        b.append("><results><columns>");
        for (String c : columns) {
            b.append("<column>").append(Pages.escape(c)).append("</column>");
        }
        b.append("</columns><rows>");
        for (Map<String, String> row : rows) {
            b.append("<row>");
            for (String c : columns) {
                b.append("<cell>")
                        .append(Pages.escape(cell(row, c).replace('\n', ' ')))
                        .append("</cell>");
            }
            b.append("</row>\n");
        }
        return b.append("</rows></results></ResultSet>").toString();
    }

    public String html() {
        StringBuilder b = new StringBuilder("<html><body><table><tr>");
        for (String c : columns) {
            b.append("<th>").append(Pages.escape(c)).append("</th>");
        }
        b.append("</tr>\n");
        for (Map<String, String> row : rows) {
            b.append("<tr>");
            for (String c : columns) {
                b.append("<td>").append(Pages.escape(cell(row, c))).append("</td>");
            }
            b.append("</tr>\n");
        }
        return b.append("</table></body></html>").toString();
    }
}
