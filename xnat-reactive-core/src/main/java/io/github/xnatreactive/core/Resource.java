package io.github.xnatreactive.core;

import static io.github.xnatreactive.core.Records.l;
import static io.github.xnatreactive.core.Records.s;

import java.util.Map;

/**
 * A resource (file catalog) of an object: label, numeric ID, format, content, tags, file count and size. Every column the server sent, known or not, is kept in {@link #columns()}.
 * A text value the server did not send is "".
 *
 * @param id the resource's numeric ID ({@code xnat_abstractresource_id}), as text
 * @param label its label, e.g. {@code DICOM}
 * @param format its format, e.g. {@code DICOM}
 * @param content its content label, e.g. {@code RAW}
 * @param tags its tags, comma-separated as the server sends them
 * @param fileCount the number of files, or -1 when the server did not say
 * @param fileSize the total size in bytes, or -1 when the server did not say
 * @param columns every column of the listing row, by the server's column name
 */
public record Resource(
        String id,
        String label,
        String format,
        String content,
        String tags,
        long fileCount,
        long fileSize,
        Map<String, String> columns) {
    /**
     * Creates the record and copies {@code columns} into an unmodifiable map.
     *
     * @param id the resource's numeric ID ({@code xnat_abstractresource_id}), as text
     * @param label its label, e.g. {@code DICOM}
     * @param format its format, e.g. {@code DICOM}
     * @param content its content label, e.g. {@code RAW}
     * @param tags its tags, comma-separated as the server sends them
     * @param fileCount the number of files, or -1 when the server did not say
     * @param fileSize the total size in bytes, or -1 when the server did not say
     * @param columns every column of the listing row, by the server's column name
     */
    public Resource {
        columns = Map.copyOf(columns);
    }

    /**
     * Builds the record from a listing row.
     *
     * @param row the row's columns by the server's names ({@code label}, {@code file_count}, {@code file_size}...)
     * @return the resource; missing text columns become "", missing numbers -1
     * @throws XnatProtocolException when {@code file_count} or {@code file_size} is not a number
     */
    public static Resource from(Map<String, String> row) {
        return new Resource(
                s(row, "xnat_abstractresource_id"),
                s(row, "label"),
                s(row, "format"),
                s(row, "content"),
                s(row, "tags"),
                l(row, "file_count"),
                l(row, "file_size"),
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
