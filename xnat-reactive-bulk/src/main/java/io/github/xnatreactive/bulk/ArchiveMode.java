package io.github.xnatreactive.bulk;

/**
 * Whether a resource's files move as one zip archive instead of file by file
 * ({@link TransferOptions#archive(ArchiveMode)}). Every file is still checked against the listing's size and MD5
 * and moved into place only when verified; what an archive does not deliver verified moves file by file.
 *
 * <pre>{@code
 * TransferOptions zipped = TransferOptions.defaults().archive(ArchiveMode.ALWAYS);
 * }</pre>
 */
public enum ArchiveMode {
    /**
     * Archives for resources of small files: at least {@link TransferOptions#ARCHIVE_MIN_FILES} files to move whose
     * mean size is at most {@link TransferOptions#archiveThreshold()}.
     */
    AUTO,
    /** An archive for every resource with files to move. */
    ALWAYS,
    /** Always file by file. */
    NEVER
}
