package io.github.xnatreactive.bulk;

/**
 * Progress of a transfer, in order: {@link Planned} once, then for each file {@link Started}, {@link Bytes},
 * possibly {@link Retried}, and one of {@link Completed}, {@link Skipped} or {@link Failed}; {@link Finished}
 * last. Consumers must not block: they run on transfer threads.
 */
public sealed interface TransferEvent {
    /**
     * The plan is ready: how many files and bytes the job covers, and how many are already in place.
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
