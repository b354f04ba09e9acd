package io.github.xnatreactive.bulk;

import java.util.List;

/**
 * What a transfer would do (a dry run): the files it would move and those already in place.
 */
public record TransferPlan(List<TransferItem> toTransfer, List<TransferItem> upToDate) {
    public TransferPlan {
        toTransfer = List.copyOf(toTransfer);
        upToDate = List.copyOf(upToDate);
    }

    public long bytesToTransfer() {
        return toTransfer.stream().mapToLong(i -> Math.max(0, i.size())).sum();
    }

    /** One line: files and bytes to move, files already in place. */
    public String summary() {
        return String.format(
                java.util.Locale.ROOT,
                "%d files (%.1f MB) to transfer, %d already in place",
                toTransfer.size(),
                bytesToTransfer() / 1e6,
                upToDate.size());
    }
}
