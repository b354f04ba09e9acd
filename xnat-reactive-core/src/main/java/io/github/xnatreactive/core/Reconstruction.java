package io.github.xnatreactive.core;

import static io.github.xnatreactive.core.Records.s;

import java.util.Map;

/**
 * A reconstruction of an imaging session. Every column the server sent, known or not, is kept in {@link #columns()}.
 * A value the server did not send is "".
 *
 * @param id the reconstruction's ID within its session
 * @param type its type, e.g. {@code T1_BRAIN}
 * @param baseScanType the type of the scan it was reconstructed from
 * @param uri its URI under the server URL
 * @param columns every column of the listing row, by the server's column name
 */
public record Reconstruction(String id, String type, String baseScanType, String uri, Map<String, String> columns) {
    /**
     * Creates the record and copies {@code columns} into an unmodifiable map.
     *
     * @param id the reconstruction's ID within its session
     * @param type its type, e.g. {@code T1_BRAIN}
     * @param baseScanType the type of the scan it was reconstructed from
     * @param uri its URI under the server URL
     * @param columns every column of the listing row, by the server's column name
     */
    public Reconstruction {
        columns = Map.copyOf(columns);
    }

    /**
     * Builds the record from a listing row.
     *
     * @param row the row's columns by the server's names ({@code ID}, {@code type}, {@code baseScanType}...)
     * @return the reconstruction; missing columns become ""
     */
    public static Reconstruction from(Map<String, String> row) {
        return new Reconstruction(s(row, "ID"), s(row, "type"), s(row, "baseScanType"), s(row, "URI"), row);
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
