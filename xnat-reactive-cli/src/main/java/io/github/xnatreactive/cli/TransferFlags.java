package io.github.xnatreactive.cli;

import io.github.xnatreactive.bulk.ArchiveMode;
import io.github.xnatreactive.bulk.TransferOptions;
import java.util.Locale;
import picocli.CommandLine.Option;

/** How download, upload and mirror move files: concurrency, its adaptive ceiling, and archive mode. */
final class TransferFlags {
    @Option(
            names = "--concurrency",
            paramLabel = "N",
            defaultValue = "8",
            description = "files at once to begin with (default 8)")
    int concurrency;

    @Option(
            names = "--max-concurrency",
            paramLabel = "N",
            defaultValue = "64",
            description = {
                "the most files at once that adaptive concurrency grows to while the server is healthy "
                        + "(default 64; the connection pool is sized to it)"
            })
    int maxConcurrency;

    @Option(
            names = "--archive",
            paramLabel = "MODE",
            defaultValue = "auto",
            description = {
                "auto, always or never: move a resource's files as one zip, each file still verified",
                "(auto, the default: resources of at least " + TransferOptions.ARCHIVE_MIN_FILES
                        + " files to move whose mean size is at most --archive-threshold)"
            })
    String archive;

    @Option(
            names = "--archive-threshold",
            paramLabel = "SIZE",
            defaultValue = "1M",
            description = "largest mean file size for --archive auto (default 1M; suffix K, M or G)")
    String archiveThreshold;

    /** The transfer options the flags ask for; bad values are usage errors. */
    TransferOptions options() {
        if (concurrency < 1) {
            throw new Cli.UsageException("--concurrency must be at least 1");
        }
        if (maxConcurrency < 1) {
            throw new Cli.UsageException("--max-concurrency must be at least 1");
        }
        ArchiveMode mode;
        try {
            mode = ArchiveMode.valueOf(archive.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new Cli.UsageException("--archive must be auto, always or never, not '" + archive + "'");
        }
        return TransferOptions.defaults()
                .concurrency(concurrency)
                .maxConcurrency(Math.max(concurrency, maxConcurrency))
                .archive(mode)
                .archiveThreshold(size(archiveThreshold));
    }

    /** Connections the client needs: enough for the most files at once. */
    int poolSize() {
        return Math.max(1, Math.max(concurrency, maxConcurrency));
    }

    static long size(String s) {
        String t = s.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("K") || t.endsWith("M") || t.endsWith("G")) {
            unit = t.endsWith("K") ? 1L << 10 : t.endsWith("M") ? 1L << 20 : 1L << 30;
            t = t.substring(0, t.length() - 1);
        }
        try {
            long n = Long.parseLong(t);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n * unit;
        } catch (NumberFormatException e) {
            throw new Cli.UsageException("--archive-threshold must be a size such as 512K or 1M, not '" + s + "'");
        }
    }
}
