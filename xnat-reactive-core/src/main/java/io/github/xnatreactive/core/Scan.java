package io.github.xnatreactive.core;

import static io.github.xnatreactive.core.Records.s;

import java.util.Map;

/**
 * A scan of an imaging session. Every column the server sent, known or not, is kept in {@link #columns()}.
 */
public record Scan(
        String id,
        String type,
        String quality,
        String xsiType,
        String seriesDescription,
        String note,
        String uri,
        Map<String, String> columns) {
    public Scan {
        columns = Map.copyOf(columns);
    }

    /** Builds the record from a listing row. */
    public static Scan from(Map<String, String> row) {
        return new Scan(
                s(row, "ID"),
                s(row, "type"),
                s(row, "quality"),
                s(row, "xsiType"),
                s(row, "series_description"),
                s(row, "note"),
                s(row, "URI"),
                row);
    }

    /** A column by name (case-insensitive), or "" when absent. */
    public String column(String name) {
        return s(columns, name);
    }
}
