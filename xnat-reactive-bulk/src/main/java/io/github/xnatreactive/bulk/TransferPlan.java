package io.github.xnatreactive.bulk;

import java.util.List;

/**
 * What a transfer would do (a dry run): the files it would move and those already in place.
 *
 * @param toTransfer the files that are missing or differ at the target, which a run would move
 * @param upToDate the files already in place with the right size and digest, which a run would skip
 */
public record TransferPlan(List<TransferItem> toTransfer, List<TransferItem> upToDate) {
    /**
     * Creates the plan and copies both lists into unmodifiable ones.
     *
     * @param toTransfer the files a run would move
     * @param upToDate the files a run would skip
     */
    public TransferPlan {
        toTransfer = List.copyOf(toTransfer);
        upToDate = List.copyOf(upToDate);
    }

    /**
     * How much a run would move.
     *
     * @return the total size in bytes of {@link #toTransfer()} (files of unknown size count 0)
     */
    public long bytesToTransfer() {
        return toTransfer.stream().mapToLong(i -> Math.max(0, i.size())).sum();
    }

    /**
     * Describes the plan for a log or a terminal.
     *
     * @return one line, e.g. {@code 12 files (0.1 MB) to transfer, 0 already in place}
     */
    public String summary() {
        return String.format(
                java.util.Locale.ROOT,
                "%d files (%.1f MB) to transfer, %d already in place",
                toTransfer.size(),
                bytesToTransfer() / 1e6,
                upToDate.size());
    }
}
