package io.github.xnatreactive.core;

import static io.github.xnatreactive.core.Records.s;

import java.util.Map;

/**
 * A subject, as listed under a project or read by {@link SubjectRef#get()}. Every column the server sent, known or not, is kept in {@link #columns()}.
 * A value the server did not send is "".
 *
 * @param id the subject's accession ID, e.g. {@code XNAT_S00001}
 * @param label its label in its project
 * @param project the ID of the project it belongs to
 * @param insertDate when it was added, as the server formats it
 * @param uri its URI under the server URL
 * @param columns every column of the listing row, by the server's column name
 */
public record Subject(
        String id, String label, String project, String insertDate, String uri, Map<String, String> columns) {
    /**
     * Creates the record and copies {@code columns} into an unmodifiable map.
     *
     * @param id the subject's accession ID, e.g. {@code XNAT_S00001}
     * @param label its label in its project
     * @param project the ID of the project it belongs to
     * @param insertDate when it was added, as the server formats it
     * @param uri its URI under the server URL
     * @param columns every column of the listing row, by the server's column name
     */
    public Subject {
        columns = Map.copyOf(columns);
    }

    /**
     * Builds the record from a listing row.
     *
     * @param row the row's columns by the server's names ({@code ID}, {@code label}, {@code insert_date}...)
     * @return the subject; missing columns become ""
     */
    public static Subject from(Map<String, String> row) {
        return new Subject(s(row, "ID"), s(row, "label"), s(row, "project"), s(row, "insert_date"), s(row, "URI"), row);
    }

    /**
     * Reads a column of the listing row.
     *
     * @param name the column name, any case
     * @return its value, or "" when absent
     */
    public String column(String name) {
        return s(columns, name);
    }
}
