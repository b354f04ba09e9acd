package io.github.xnatreactive.bulk;

/**
 * Progress of a transfer. Planning is a stream: each part of the job (one resource) is announced by a
 * {@link Listed} event as soon as it is listed and checked, and its files start moving right away; {@link Planned}
 * with the job's totals follows once the whole listing is complete. For each file: {@link Started}, {@link Bytes},
 * possibly {@link Retried}, and one of {@link Completed}, {@link Skipped} or {@link Failed}; {@link Finished}
 * last. Until {@link Planned} arrives, progress is "planned so far" (the sum of the {@link Listed} events) versus
 * done. Consumers must not block: they run on transfer threads.
 */
public sealed interface TransferEvent {
    /**
     * One more part of the job was planned: its files and bytes, and how many of them are already in place. The sums
     * of all {@code Listed} events equal the {@link Planned} totals.
     */
    record Listed(String group, long files, long bytes, long upToDate) implements TransferEvent {}

    /** The listing is complete: how many files and bytes the job covers, and how many were already in place. */
    record Planned(long files, long bytes, long upToDate) implements TransferEvent {}

    record Started(TransferItem item) implements TransferEvent {}

    /** Bytes moved for a file since the previous event for it (a retry starts again from zero). */
    record Bytes(TransferItem item, long bytes) implements TransferEvent {}

    /** An attempt failed and the file will be tried again. */
    record Retried(TransferItem item, int attempt, String cause) implements TransferEvent {}

    /** A resource's archive delivered these files verified and in place (each also has its own events). */
    record Archived(String group, long files, long bytes) implements TransferEvent {}

    /**
     * A resource's archive did not deliver all its files verified (the stream was cut, an entry was missing or
     * different): those {@code files} now move file by file.
     */
    record ArchiveFallback(String group, long files, Throwable cause) implements TransferEvent {}

    record Completed(TransferItem item, long bytes) implements TransferEvent {}

    /** Already present with the right size and digest: nothing moved. */
    record Skipped(TransferItem item) implements TransferEvent {}

    record Failed(TransferItem item, Throwable cause) implements TransferEvent {}

    record Finished(TransferReport report) implements TransferEvent {}
}
