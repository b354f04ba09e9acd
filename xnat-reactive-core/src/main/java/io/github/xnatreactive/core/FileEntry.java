package io.github.xnatreactive.core;

import static io.github.xnatreactive.core.Records.l;
import static io.github.xnatreactive.core.Records.s;

import java.util.Map;

/**
 * A file in a resource, as listed by {@code .../files}: its path inside the resource, size, MD5 digest (empty when
 * the server computed none) and metadata. Every column the server sent is kept in {@link #columns()}.
 *
 * @param name the file name ({@code Name} column)
 * @param path the path inside the resource ({@code sub/dir/1.dcm}); pass it to {@link ResourceRef#file(String)}
 * @param size the size in bytes, or -1 when the server did not say
 * @param digest the MD5 digest in hex, or "" when the server computed none
 * @param uri the file's URI under the server URL
 * @param collection the label of the resource it is in
 * @param format the file's format in the catalog, or ""
 * @param content the file's content label in the catalog, or ""
 * @param tags the file's tags in the catalog, comma-separated, or ""
 * @param columns every column of the listing row, by the server's column name
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
    /**
     * Creates the record and copies {@code columns} into an unmodifiable map.
     *
     * @param name the file name ({@code Name} column)
     * @param path the path inside the resource ({@code sub/dir/1.dcm}); pass it to {@link ResourceRef#file(String)}
     * @param size the size in bytes, or -1 when the server did not say
     * @param digest the MD5 digest in hex, or "" when the server computed none
     * @param uri the file's URI under the server URL
     * @param collection the label of the resource it is in
     * @param format the file's format in the catalog, or ""
     * @param content the file's content label in the catalog, or ""
     * @param tags the file's tags in the catalog, comma-separated, or ""
     * @param columns every column of the listing row, by the server's column name
     */
    public FileEntry {
        columns = Map.copyOf(columns);
    }

    /**
     * Builds the entry from a listing row; the path is what follows {@code /files/} in its URI.
     *
     * @param row the row's columns by the server's names ({@code Name}, {@code Size}, {@code URI}, {@code digest}...)
     * @return the entry; missing text columns become "", a missing size -1
     * @throws XnatProtocolException when {@code Size} is not a number
     */
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
