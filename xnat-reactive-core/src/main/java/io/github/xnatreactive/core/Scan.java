package io.github.xnatreactive.core;

import static io.github.xnatreactive.core.Records.s;

import java.util.Map;

/**
 * A scan of an imaging session. Every column the server sent, known or not, is kept in {@link #columns()}. A
 * value the server did not send is "".
 *
 * @param id the scan's ID within its session, e.g. {@code 1}
 * @param type the scan type, e.g. {@code T1w}
 * @param quality e.g. {@code usable}, {@code questionable}, {@code unusable}
 * @param xsiType its data type, e.g. {@code xnat:mrScanData}
 * @param seriesDescription the DICOM series description
 * @param note a free-text note
 * @param uri its URI under the server URL
 * @param columns every column of the listing row, by the server's column name
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
    /**
     * Creates the record and copies {@code columns} into an unmodifiable map.
     *
     * @param id the scan's ID within its session, e.g. {@code 1}
     * @param type the scan type, e.g. {@code T1w}
     * @param quality e.g. {@code usable}, {@code questionable}, {@code unusable}
     * @param xsiType its data type, e.g. {@code xnat:mrScanData}
     * @param seriesDescription the DICOM series description
     * @param note a free-text note
     * @param uri its URI under the server URL
     * @param columns every column of the listing row, by the server's column name
     */
    public Scan {
        columns = Map.copyOf(columns);
    }

    /**
     * Builds the record from a listing row.
     *
     * @param row the row's columns by the server's names ({@code ID}, {@code type}, {@code series_description}...)
     * @return the scan; missing columns become ""
     */
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
