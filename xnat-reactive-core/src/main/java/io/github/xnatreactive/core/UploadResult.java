package io.github.xnatreactive.core;

import java.util.List;

/**
 * What an upload did. XNAT answers 200 both when it stored the file and when it kept an existing file of the same
 * path (without {@code overwrite}); in the second case it lists the path as a duplicate.
 *
 * @param path the path in the resource
 * @param duplicates paths the server did not write because they existed (empty when everything was stored)
 */
public record UploadResult(String path, List<String> duplicates) {
    /**
     * Creates the record and copies {@code duplicates} into an unmodifiable list.
     *
     * @param path the path in the resource
     * @param duplicates paths the server did not write because they existed (empty when everything was stored)
     */
    public UploadResult {
        duplicates = List.copyOf(duplicates);
    }

    /**
     * Whether the upload stored everything it sent.
     *
     * @return true when no path was kept as a duplicate
     */
    public boolean stored() {
        return duplicates.isEmpty();
    }
}
