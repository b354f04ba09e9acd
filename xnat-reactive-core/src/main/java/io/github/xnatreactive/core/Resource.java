package io.github.xnatreactive.core;

import static io.github.xnatreactive.core.Records.l;
import static io.github.xnatreactive.core.Records.s;

import java.util.Map;

/**
 * A resource (file catalog) of an object: label, numeric ID, format, content, tags, file count and size. Every column the server sent, known or not, is kept in {@link #columns()}.
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
    public Resource {
        columns = Map.copyOf(columns);
    }

    /** Builds the record from a listing row. */
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

    /** A column by name (case-insensitive), or "" when absent. */
    public String column(String name) {
        return s(columns, name);
    }
}
