package io.github.xnatreactive.core;

import static io.github.xnatreactive.core.Records.s;

import java.util.Map;

/**
 * An experiment: an imaging session (xnat:mrSessionData...) or an assessor, as listed or read. Every column the server sent, known or not, is kept in {@link #columns()}.
 */
public record Experiment(
        String id,
        String label,
        String project,
        String xsiType,
        String date,
        String insertDate,
        String uri,
        Map<String, String> columns) {
    public Experiment {
        columns = Map.copyOf(columns);
    }

    /** Builds the record from a listing row. */
    public static Experiment from(Map<String, String> row) {
        return new Experiment(
                s(row, "ID"),
                s(row, "label"),
                s(row, "project"),
                s(row, "xsiType"),
                s(row, "date"),
                s(row, "insert_date"),
                s(row, "URI"),
                row);
    }

    /** A column by name (case-insensitive), or "" when absent. */
    public String column(String name) {
        return s(columns, name);
    }
}
