package io.github.xnatreactive.bulk;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How a bulk transfer runs. Immutable.
 *
 * <pre>{@code
 * TransferOptions.defaults().concurrency(8).adaptive(true).maxAttempts(5).failFast(false)
 *         .archive(ArchiveMode.AUTO).archiveThreshold(1 << 20)
 * }</pre>
 *
 * Concurrency is capped by the client's connection pool ({@code XnatClient.Builder.maxConnections}); with
 * {@link #adaptive(boolean)} on, the number of files in flight starts at {@link #concurrency()} and may grow up to
 * {@link #maxConcurrency()} (still capped by the pool) while the server stays healthy.
 */
public final class TransferOptions {
    /** In {@link ArchiveMode#AUTO}, a resource moves as an archive only with at least this many files to move. */
    public static final int ARCHIVE_MIN_FILES = 16;

    private static final TransferOptions DEFAULTS = new TransferOptions(new Values());

    /** The settings, mutable only while a copy is made. */
    private static final class Values implements Cloneable {
        int concurrency = 8;
        int maxConcurrency = 64;
        boolean adaptive = true;
        int maxAttempts = 4;
        Duration initialBackoff = Duration.ofMillis(500);
        Duration maxBackoff = Duration.ofSeconds(30);
        boolean failFast;
        ArchiveMode archive = ArchiveMode.AUTO;
        long archiveThreshold = 1 << 20;

        @Override
        protected Values clone() {
            try {
                return (Values) super.clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private final Values v;

    private TransferOptions(Values v) {
        if (v.concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be >= 1");
        }
        if (v.maxConcurrency < 1) {
            throw new IllegalArgumentException("maxConcurrency must be >= 1");
        }
        if (v.maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1");
        }
        if (v.archiveThreshold < 0) {
            throw new IllegalArgumentException("archiveThreshold must be >= 0");
        }
        Objects.requireNonNull(v.initialBackoff);
        Objects.requireNonNull(v.maxBackoff);
        Objects.requireNonNull(v.archive);
        this.v = v;
    }

    private TransferOptions with(Consumer<Values> change) {
        Values copy = v.clone();
        change.accept(copy);
        return new TransferOptions(copy);
    }

    /**
     * 8 files at a time, adaptive (up to 64), 4 attempts per file from 500 ms to 30 s of backoff, no fail-fast,
     * archives for resources of small files (mean size up to 1 MiB).
     */
    public static TransferOptions defaults() {
        return DEFAULTS;
    }

    /** Files transferred at once to begin with (never more than the client's connection pool). */
    public TransferOptions concurrency(int n) {
        return with(x -> x.concurrency = n);
    }

    /**
     * The most files in flight that adaptation may grow to (never more than the client's connection pool: size the
     * pool with {@code XnatClient.Builder.maxConnections}).
     */
    public TransferOptions maxConcurrency(int n) {
        return with(x -> x.maxConcurrency = n);
    }

    /**
     * Back off when the server answers 503/429, times out or slows down; grow (up to {@link #maxConcurrency()})
     * while it is healthy.
     */
    public TransferOptions adaptive(boolean adaptive) {
        return with(x -> x.adaptive = adaptive);
    }

    /** Attempts per file, the first included. */
    public TransferOptions maxAttempts(int n) {
        return with(x -> x.maxAttempts = n);
    }

    /** The wait before the second attempt of a file, doubling up to {@code max}. */
    public TransferOptions backoff(Duration initial, Duration max) {
        return with(x -> {
            x.initialBackoff = initial;
            x.maxBackoff = max;
        });
    }

    /** Stop the whole job at the first file that fails for good (by default a failed file is reported). */
    public TransferOptions failFast(boolean failFast) {
        return with(x -> x.failFast = failFast);
    }

    /** When resources move as one zip archive (see {@link ArchiveMode}); {@link ArchiveMode#AUTO} by default. */
    public TransferOptions archive(ArchiveMode mode) {
        return with(x -> x.archive = mode);
    }

    /** In {@link ArchiveMode#AUTO}, the largest mean file size (bytes) of a resource that moves as an archive. */
    public TransferOptions archiveThreshold(long bytes) {
        return with(x -> x.archiveThreshold = bytes);
    }

    public int concurrency() {
        return v.concurrency;
    }

    public int maxConcurrency() {
        return v.maxConcurrency;
    }

    public boolean adaptive() {
        return v.adaptive;
    }

    public int maxAttempts() {
        return v.maxAttempts;
    }

    public Duration initialBackoff() {
        return v.initialBackoff;
    }

    public Duration maxBackoff() {
        return v.maxBackoff;
    }

    public boolean failFast() {
        return v.failFast;
    }

    public ArchiveMode archive() {
        return v.archive;
    }

    public long archiveThreshold() {
        return v.archiveThreshold;
    }

    /** Whether a resource with {@code files} files to move totalling {@code bytes} moves as an archive. */
    public boolean archives(long files, long bytes) {
        return switch (v.archive) {
            case NEVER -> false;
            case ALWAYS -> files > 0;
            case AUTO -> files >= ARCHIVE_MIN_FILES && bytes / files <= v.archiveThreshold;
        };
    }

    @Override
    public String toString() {
        return "TransferOptions[concurrency=" + v.concurrency + ", maxConcurrency=" + v.maxConcurrency
                + ", adaptive=" + v.adaptive + ", maxAttempts=" + v.maxAttempts + ", failFast=" + v.failFast
                + ", archive=" + v.archive + ", archiveThreshold=" + v.archiveThreshold + "]";
    }
}
