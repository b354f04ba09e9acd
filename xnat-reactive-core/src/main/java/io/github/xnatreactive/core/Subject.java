package io.github.xnatreactive.core;

import static io.github.xnatreactive.core.Records.s;

import java.util.Map;

/**
 * A subject, as listed under a project or read by {@link SubjectRef#get()}. Every column the server sent, known or not, is kept in {@link #columns()}.
 */
public record Subject(
        String id, String label, String project, String insertDate, String uri, Map<String, String> columns) {
    public Subject {
        columns = Map.copyOf(columns);
    }

    /** Builds the record from a listing row. */
    public static Subject from(Map<String, String> row) {
        return new Subject(s(row, "ID"), s(row, "label"), s(row, "project"), s(row, "insert_date"), s(row, "URI"), row);
    }

    /** A column by name (case-insensitive), or "" when absent. */
    public String column(String name) {
        return s(columns, name);
    }
}
