package io.github.xnatreactive.core;

import static io.github.xnatreactive.core.Records.l;
import static io.github.xnatreactive.core.Records.s;

import java.util.Map;

/**
 * A scan of a prearchive session: one DICOM series. Every column is kept in {@link #columns()}.
 *
 * @param id the scan's ID (from the series number)
 * @param seriesDescription the series description, which becomes the scan type
 * @param fileCount how many files it holds, or -1 when the server did not say
 * @param columns every column of the row
 */
public record PrearchiveScan(String id, String seriesDescription, long fileCount, Map<String, String> columns) {
    /**
     * Creates the record and copies {@code columns}.
     *
     * @param id the scan's ID
     * @param seriesDescription the series description
     * @param fileCount how many files it holds, or -1
     * @param columns every column of the row
     */
    public PrearchiveScan {
        columns = Map.copyOf(columns);
    }

    /**
     * Builds the record from a listing row.
     *
     * @param row the row's columns ({@code ID}, {@code series_description}, {@code file_count}...)
     * @return the scan
     */
    public static PrearchiveScan from(Map<String, String> row) {
        return new PrearchiveScan(s(row, "ID"), s(row, "series_description"), l(row, "file_count"), row);
    }
}
