package io.github.xnatreactive.core;

import static io.github.xnatreactive.core.Records.s;

import java.util.Map;

/**
 * A project, as listed by {@code /data/projects} or read by {@link ProjectRef#get()}. Every column the server sent, known or not, is kept in {@link #columns()}.
 */
public record Project(
        String id,
        String name,
        String secondaryId,
        String description,
        String piFirstname,
        String piLastname,
        String uri,
        Map<String, String> columns) {
    public Project {
        columns = Map.copyOf(columns);
    }

    /** Builds the record from a listing row. */
    public static Project from(Map<String, String> row) {
        return new Project(
                s(row, "ID"),
                s(row, "name"),
                s(row, "secondary_ID"),
                s(row, "description"),
                s(row, "pi_firstname"),
                s(row, "pi_lastname"),
                s(row, "URI"),
                row);
    }

    /** A column by name (case-insensitive), or "" when absent. */
    public String column(String name) {
        return s(columns, name);
    }
}
