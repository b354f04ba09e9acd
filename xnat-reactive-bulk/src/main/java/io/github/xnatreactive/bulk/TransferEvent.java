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
     * One more part of the job (one resource) was planned and checked; its files start moving now. The sums of all
     * {@code Listed} events equal the {@link Planned} totals.
     *
     * @param group the part: the target resource or folder
     * @param files the number of its files, those in place included
     * @param bytes their total size in bytes (files of unknown size count 0)
     * @param upToDate how many of them are already in place and will be skipped
     */
    record Listed(String group, long files, long bytes, long upToDate) implements TransferEvent {}

    /**
     * The listing is complete: how many files and bytes the job covers, and how many were already in place.
     *
     * @param files the number of files the job covers, those in place included
     * @param bytes their total size in bytes (files of unknown size count 0)
     * @param upToDate how many of them are already in place and will be skipped
     */
    record Planned(long files, long bytes, long upToDate) implements TransferEvent {}

    /**
     * An attempt at a file starts: once, then again after each {@link Retried} that the transfer itself retries
     * (a retry inside the client, such as a 503, is told by {@code Retried} alone).
     *
     * @param item the file
     */
    record Started(TransferItem item) implements TransferEvent {}

    /**
     * Bytes moved for a file since the previous event for it (a retry starts again from zero).
     *
     * @param item the file
     * @param bytes the number of bytes moved since the previous {@code Bytes} event for this file
     */
    record Bytes(TransferItem item, long bytes) implements TransferEvent {}

    /**
     * An attempt failed and the file will be tried again, by the client (a dropped connection, a 503) or by the
     * transfer.
     *
     * @param item the file
     * @param attempt counts the retries of this file, from 1
     * @param cause what went wrong, as text
     */
    record Retried(TransferItem item, int attempt, String cause) implements TransferEvent {}

    /**
     * A resource's archive delivered these files verified and in place (each also has its own events).
     *
     * @param group the resource
     * @param files how many of its files the archive delivered
     * @param bytes their total size in bytes
     */
    record Archived(String group, long files, long bytes) implements TransferEvent {}

    /**
     * A resource's archive did not deliver all its files verified (the stream was cut, an entry was missing or
     * different): those files now move file by file.
     *
     * @param group the resource
     * @param files how many of its files now move one by one
     * @param cause why the archive did not deliver them
     */
    record ArchiveFallback(String group, long files, Throwable cause) implements TransferEvent {}

    /**
     * A file is in place, verified by size and digest.
     *
     * @param item the file
     * @param bytes its size in bytes
     */
    record Completed(TransferItem item, long bytes) implements TransferEvent {}

    /**
     * Already present with the right size and digest: nothing moved.
     *
     * @param item the file
     */
    record Skipped(TransferItem item) implements TransferEvent {}

    /**
     * A file failed for good: its attempts are used up or its error is not worth retrying (a 403, a 404...).
     *
     * @param item the file
     * @param cause the last attempt's error
     */
    record Failed(TransferItem item, Throwable cause) implements TransferEvent {}

    /**
     * The job is over; the last event.
     *
     * @param report what the job did
     */
    record Finished(TransferReport report) implements TransferEvent {}
}
