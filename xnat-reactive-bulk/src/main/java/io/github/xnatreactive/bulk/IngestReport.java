package io.github.xnatreactive.bulk;

import java.nio.file.Path;
import java.util.List;

/**
 * What an {@link Ingest} did with every file of the tree: each study's files, imported together (with the session
 * URIs XNAT answered) or failed together (with the error), and each file set aside before any import, with the
 * reason. Every file of the tree is in exactly one of them.
 *
 * @param studies the studies, in the order of their first file's path
 * @param rejected the files that were not sent: not DICOM, or without the UIDs XNAT files DICOM by
 * @param dryRun true when nothing was sent: the studies have neither URIs nor errors
 */
public record IngestReport(List<Study> studies, List<Rejected> rejected, boolean dryRun) {
    /**
     * Creates the report and copies the lists.
     *
     * @param studies the studies
     * @param rejected the files set aside
     * @param dryRun true when nothing was sent
     */
    public IngestReport {
        studies = List.copyOf(studies);
        rejected = List.copyOf(rejected);
    }

    /**
     * One study: its files, sent as one import.
     *
     * @param studyInstanceUid the DICOM Study Instance UID
     * @param files the files, in path order
     * @param bytes their total size
     * @param uris the sessions XNAT answered (empty when failed or in a dry run)
     * @param error why the import failed, or null
     * @param attempts how many times the import was sent (0 in a dry run)
     */
    public record Study(
            String studyInstanceUid, List<Path> files, long bytes, List<String> uris, Throwable error, int attempts) {
        /**
         * Creates the record and copies the lists.
         *
         * @param studyInstanceUid the Study Instance UID
         * @param files the files
         * @param bytes their total size
         * @param uris the session URIs
         * @param error the failure, or null
         * @param attempts how many times it was sent
         */
        public Study {
            files = List.copyOf(files);
            uris = List.copyOf(uris);
        }

        /**
         * Whether the study was imported.
         *
         * @return true when XNAT accepted it
         */
        public boolean imported() {
            return error == null && !uris.isEmpty();
        }
    }

    /**
     * A file that was not sent, and why.
     *
     * @param file the file
     * @param reason e.g. {@code not DICOM: ...} or {@code no Study Instance UID}
     */
    public record Rejected(Path file, String reason) {}

    /**
     * How many files were imported.
     *
     * @return the files of the imported studies
     */
    public long filesImported() {
        return studies.stream()
                .filter(Study::imported)
                .mapToLong(s -> s.files().size())
                .sum();
    }

    /**
     * How many files failed to import.
     *
     * @return the files of the studies whose import failed
     */
    public long filesFailed() {
        return studies.stream()
                .filter(s -> s.error() != null)
                .mapToLong(s -> s.files().size())
                .sum();
    }

    /**
     * How many files the tree held.
     *
     * @return the files of every study plus the rejected ones
     */
    public long filesTotal() {
        return studies.stream().mapToLong(s -> s.files().size()).sum() + rejected.size();
    }

    /**
     * Whether every file that could be sent was imported.
     *
     * @return true when no study failed (rejected files do not count against it)
     */
    public boolean ok() {
        return studies.stream().allMatch(s -> s.error() == null);
    }
}
