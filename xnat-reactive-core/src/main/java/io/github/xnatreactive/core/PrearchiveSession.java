package io.github.xnatreactive.core;

import static io.github.xnatreactive.core.Records.s;

import java.util.Map;

/**
 * A row of the prearchive listing: a session waiting to be archived. Every column the server sent is kept in
 * {@link #columns()}; a value it did not send is "".
 *
 * @param project the project's ID, or {@code Unassigned}
 * @param timestamp the upload's folder, e.g. {@code 20240102_101530123}
 * @param folderName the session's folder
 * @param name the session label it will be archived as
 * @param subject the subject label
 * @param studyInstanceUid the DICOM Study Instance UID (XNAT's {@code tag} column)
 * @param status the session's state
 * @param scanDate the study date, {@code yyyy-MM-dd}
 * @param uploaded when the first file arrived
 * @param lastModified when the session last changed
 * @param url the session's path without {@code /data}: {@code /prearchive/projects/{P}/{timestamp}/{folder}}
 * @param columns every column of the row
 */
public record PrearchiveSession(
        String project,
        String timestamp,
        String folderName,
        String name,
        String subject,
        String studyInstanceUid,
        PrearchiveStatus status,
        String scanDate,
        String uploaded,
        String lastModified,
        String url,
        Map<String, String> columns) {
    /**
     * Creates the record and copies {@code columns}.
     *
     * @param project the project's ID, or {@code Unassigned}
     * @param timestamp the upload's folder
     * @param folderName the session's folder
     * @param name the session label
     * @param subject the subject label
     * @param studyInstanceUid the Study Instance UID
     * @param status the state
     * @param scanDate the study date
     * @param uploaded when the first file arrived
     * @param lastModified when it last changed
     * @param url its path without {@code /data}
     * @param columns every column of the row
     */
    public PrearchiveSession {
        columns = Map.copyOf(columns);
    }

    /**
     * Builds the record from a listing row.
     *
     * @param row the row's columns by the server's names ({@code project}, {@code timestamp}, {@code folderName}...)
     * @return the session
     */
    public static PrearchiveSession from(Map<String, String> row) {
        return new PrearchiveSession(
                s(row, "project"),
                s(row, "timestamp"),
                s(row, "folderName"),
                s(row, "name"),
                s(row, "subject"),
                s(row, "tag"),
                PrearchiveStatus.of(s(row, "status")),
                s(row, "scan_date"),
                s(row, "uploaded"),
                s(row, "lastmod"),
                s(row, "url"),
                row);
    }

    /**
     * Reads a column of the row.
     *
     * @param name the column name, any case
     * @return its value, or "" when absent
     */
    public String column(String name) {
        return s(columns, name);
    }
}
