package io.github.xnatreactive.bulk;

import java.time.Duration;
import java.util.List;

/**
 * The outcome of a transfer: files and bytes moved, files skipped because they were already in place, attempts
 * retried, files that failed for good with their causes, duration and throughput.
 *
 * @param files the number of files moved
 * @param bytes the bytes moved, retried attempts not counted
 * @param skipped the number of files already in place, which did not move
 * @param retried the number of attempts that failed and were retried
 * @param failed the files that failed for good
 * @param duration how long the job ran
 */
public record TransferReport(
        long files, long bytes, long skipped, long retried, List<FailedItem> failed, Duration duration) {
    /**
     * Creates the report and copies {@code failed} into an unmodifiable list.
     *
     * @param files the number of files moved
     * @param bytes the bytes moved
     * @param skipped the number of files already in place
     * @param retried the number of attempts retried
     * @param failed the files that failed for good
     * @param duration how long the job ran
     */
    public TransferReport {
        failed = List.copyOf(failed);
    }

    /**
     * A file that could not be transferred, and why.
     *
     * @param item the file
     * @param cause the last attempt's error, as one line of text (type and message)
     * @param error the last attempt's error itself
     */
    public record FailedItem(TransferItem item, String cause, Throwable error) {
        /**
         * A failure described by {@code error}'s type and message.
         *
         * @param item the file
         * @param error the last attempt's error
         */
        public FailedItem(TransferItem item, Throwable error) {
            this(item, describe(error), error);
        }

        private static String describe(Throwable e) {
            String m = e.getMessage();
            return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
        }
    }

    /**
     * Whether the job did all it had to.
     *
     * @return true when no file failed: every file is in place
     */
    public boolean succeeded() {
        return failed.isEmpty();
    }

    /**
     * The job's throughput.
     *
     * @return bytes moved per second of {@link #duration()}, 0 for a job that took no time
     */
    public double bytesPerSecond() {
        double s = duration.toNanos() / 1e9;
        return s <= 0 ? 0 : bytes / s;
    }

    /**
     * Describes the outcome for a log or a terminal.
     *
     * @return one line: files, bytes, skipped, retried, failed, duration and MB/s
     */
    public String summary() {
        return String.format(
                java.util.Locale.ROOT,
                "%d files (%.1f MB) moved, %d already in place, %d retries, %d failed, in %.2f s (%.1f MB/s)",
                files,
                bytes / 1e6,
                skipped,
                retried,
                failed.size(),
                duration.toNanos() / 1e9,
                bytesPerSecond() / 1e6);
    }
}
