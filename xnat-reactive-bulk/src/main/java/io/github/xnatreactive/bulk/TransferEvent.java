package io.github.xnatreactive.bulk;

/**
 * Progress of a transfer, in order: {@link Planned} once, then for each file {@link Started}, {@link Bytes},
 * possibly {@link Retried}, and one of {@link Completed}, {@link Skipped} or {@link Failed}; {@link Finished}
 * last. Consumers must not block: they run on transfer threads.
 */
public sealed interface TransferEvent {
    /** The plan is ready: how many files and bytes the job covers, and how many are already in place. */
    record Planned(long files, long bytes, long upToDate) implements TransferEvent {}

    record Started(TransferItem item) implements TransferEvent {}

    /** Bytes moved for a file since the previous event for it (a retry starts again from zero). */
    record Bytes(TransferItem item, long bytes) implements TransferEvent {}

    /** An attempt failed and the file will be tried again. */
    record Retried(TransferItem item, int attempt, String cause) implements TransferEvent {}

    record Completed(TransferItem item, long bytes) implements TransferEvent {}

    /** Already present with the right size and digest: nothing moved. */
    record Skipped(TransferItem item) implements TransferEvent {}

    record Failed(TransferItem item, Throwable cause) implements TransferEvent {}

    record Finished(TransferReport report) implements TransferEvent {}
}
