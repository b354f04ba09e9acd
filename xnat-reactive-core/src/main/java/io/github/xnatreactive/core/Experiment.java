package io.github.xnatreactive.core;

import static io.github.xnatreactive.core.Records.s;

import java.util.Map;

/**
 * An experiment: an imaging session (xnat:mrSessionData...) or an assessor, as listed or read. Every column the server sent, known or not, is kept in {@link #columns()}.
 * A value the server did not send is "".
 *
 * @param id the experiment's accession ID, e.g. {@code XNAT_E00001}
 * @param label its label in its project
 * @param project the ID of its project
 * @param xsiType its data type, e.g. {@code xnat:mrSessionData}
 * @param date the session date, as the server formats it ({@code 2024-05-01})
 * @param insertDate when it was added, as the server formats it
 * @param uri its URI under the server URL
 * @param columns every column of the listing row, by the server's column name
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
    /**
     * Creates the record and copies {@code columns} into an unmodifiable map.
     *
     * @param id the experiment's accession ID, e.g. {@code XNAT_E00001}
     * @param label its label in its project
     * @param project the ID of its project
     * @param xsiType its data type, e.g. {@code xnat:mrSessionData}
     * @param date the session date, as the server formats it ({@code 2024-05-01})
     * @param insertDate when it was added, as the server formats it
     * @param uri its URI under the server URL
     * @param columns every column of the listing row, by the server's column name
     */
    public Experiment {
        columns = Map.copyOf(columns);
    }

    /**
     * Builds the record from a listing row.
     *
     * @param row the row's columns by the server's names ({@code ID}, {@code label}, {@code xsiType}...)
     * @return the experiment; missing columns become ""
     */
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
