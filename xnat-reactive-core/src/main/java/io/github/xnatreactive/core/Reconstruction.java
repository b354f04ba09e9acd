package io.github.xnatreactive.core;

import static io.github.xnatreactive.core.Records.s;

import java.util.Map;

/**
 * A reconstruction of an imaging session. Every column the server sent, known or not, is kept in {@link #columns()}.
 */
public record Reconstruction(String id, String type, String baseScanType, String uri, Map<String, String> columns) {
    public Reconstruction {
        columns = Map.copyOf(columns);
    }

    /** Builds the record from a listing row. */
    public static Reconstruction from(Map<String, String> row) {
        return new Reconstruction(s(row, "ID"), s(row, "type"), s(row, "baseScanType"), s(row, "URI"), row);
    }

    /** A column by name (case-insensitive), or "" when absent. */
    public String column(String name) {
        return s(columns, name);
    }
}
