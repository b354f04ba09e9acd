package io.github.xnatreactive.bulk;

import java.time.Duration;
import java.util.List;

/**
 * The outcome of a transfer: files and bytes moved, files skipped because they were already in place, attempts
 * retried, files that failed for good with their causes, duration and throughput.
 */
public record TransferReport(
        long files, long bytes, long skipped, long retried, List<FailedItem> failed, Duration duration) {
    public TransferReport {
        failed = List.copyOf(failed);
    }

    /**
     * A file that could not be transferred, and why: {@code cause} is a one-line description (type and message),
     * {@code error} the failure itself.
     */
    public record FailedItem(TransferItem item, String cause, Throwable error) {
        /** A failure described by {@code error}'s type and message. */
        public FailedItem(TransferItem item, Throwable error) {
            this(item, describe(error), error);
        }

        private static String describe(Throwable e) {
            String m = e.getMessage();
            return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
        }
    }

    /** Whether every file is in place. */
    public boolean succeeded() {
        return failed.isEmpty();
    }

    /** Bytes moved per second. */
    public double bytesPerSecond() {
        double s = duration.toNanos() / 1e9;
        return s <= 0 ? 0 : bytes / s;
    }

    /** One line: files, bytes, skipped, retried, failed, duration and MB/s. */
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
