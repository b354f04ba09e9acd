package io.github.xnatreactive.core;

import static io.github.xnatreactive.core.Records.l;
import static io.github.xnatreactive.core.Records.s;

import java.util.Map;

/**
 * A file in a resource, as listed by {@code .../files}: its path inside the resource, size, MD5 digest (empty when
 * the server computed none) and metadata. Every column the server sent is kept in {@link #columns()}.
 */
public record FileEntry(
        String name,
        String path,
        long size,
        String digest,
        String uri,
        String collection,
        String format,
        String content,
        String tags,
        Map<String, String> columns) {
    public FileEntry {
        columns = Map.copyOf(columns);
    }

    /** Builds the entry from a listing row; the path is what follows {@code /files/} in its URI. */
    public static FileEntry from(Map<String, String> row) {
        String uri = s(row, "URI");
        int i = uri.indexOf("/files/");
        String path = i < 0 ? s(row, "Name") : uri.substring(i + "/files/".length());
        return new FileEntry(
                s(row, "Name"),
                path,
                l(row, "Size"),
                s(row, "digest"),
                uri,
                s(row, "collection"),
                s(row, "file_format"),
                s(row, "file_content"),
                s(row, "file_tags"),
                row);
    }

    /** A column by name (case-insensitive), or "" when absent. */
    public String column(String name) {
        return s(columns, name);
    }
}
