package io.github.xnatreactive.core;

import static io.github.xnatreactive.core.Records.s;

import java.util.Map;

/**
 * A project, as listed by {@code /data/projects} or read by {@link ProjectRef#get()}. Every column the server sent, known or not, is kept in {@link #columns()}.
 * A value the server did not send is "".
 *
 * @param id the project's ID
 * @param name the project's name
 * @param secondaryId its secondary ID (a short name)
 * @param description its description
 * @param piFirstname the principal investigator's first name
 * @param piLastname the principal investigator's last name
 * @param uri its URI under the server URL, e.g. {@code /data/projects/P1}
 * @param columns every column of the listing row, by the server's column name
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
    /**
     * Creates the record and copies {@code columns} into an unmodifiable map.
     *
     * @param id the project's ID
     * @param name the project's name
     * @param secondaryId its secondary ID (a short name)
     * @param description its description
     * @param piFirstname the principal investigator's first name
     * @param piLastname the principal investigator's last name
     * @param uri its URI under the server URL, e.g. {@code /data/projects/P1}
     * @param columns every column of the listing row, by the server's column name
     */
    public Project {
        columns = Map.copyOf(columns);
    }

    /**
     * Builds the record from a listing row.
     *
     * @param row the row's columns by the server's names ({@code ID}, {@code secondary_ID}, {@code pi_firstname}...)
     * @return the project; missing columns become ""
     */
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
