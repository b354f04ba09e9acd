package io.github.xnatreactive.bulk;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import reactor.core.publisher.Flux;

/**
 * How a bulk transfer runs. Immutable.
 *
 * <pre>{@code
 * TransferOptions options = TransferOptions.defaults().concurrency(8).adaptive(true).maxAttempts(5).failFast(false);
 * Transfer transfer = BulkClient.of(xnat, options).download(session, dest, Selection.all());
 * int atOnce = transfer.concurrency(); // 8, or the client's pool size if smaller
 * }</pre>
 *
 * Resources of small files move as one zip by default ({@link #archive(ArchiveMode)}).
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
        Duration stallWindow = Duration.ofSeconds(30);
        long stallMinBytes = 32 * 1024;
        UnaryOperator<Flux<TransferEvent>> instrumentation = UnaryOperator.identity();

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
        if (v.stallWindow != null && (v.stallWindow.isNegative() || v.stallWindow.isZero())) {
            throw new IllegalArgumentException("the stall window must be positive");
        }
        if (v.stallMinBytes < 1) {
            throw new IllegalArgumentException("the stall deadline's byte count must be >= 1");
        }
        if (v.archiveThreshold < 0) {
            throw new IllegalArgumentException("archiveThreshold must be >= 0");
        }
        Objects.requireNonNull(v.initialBackoff);
        Objects.requireNonNull(v.maxBackoff);
        Objects.requireNonNull(v.archive);
        Objects.requireNonNull(v.instrumentation);
        this.v = v;
    }

    private TransferOptions with(Consumer<Values> change) {
        Values copy = v.clone();
        change.accept(copy);
        return new TransferOptions(copy);
    }

    /**
     * The options a bulk client has unless told otherwise.
     *
     * @return 8 files at a time to begin with, adaptive (up to 64), 4 attempts per file from 500 ms to 30 s of
     *     backoff, no fail-fast, archives for resources of small files (mean size up to 1 MiB)
     */
    public static TransferOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Sets how many files move at once to begin with (never more than the client's connection pool).
     *
     * @param n the number of files, at least 1
     * @return new options
     * @throws IllegalArgumentException when {@code n} is below 1
     */
    public TransferOptions concurrency(int n) {
        return with(x -> x.concurrency = n);
    }

    /**
     * Sets the most files in flight that adaptation may grow to (never more than the client's connection pool:
     * size the pool with {@code XnatClient.Builder.maxConnections}).
     *
     * @param n the ceiling, at least 1 (below {@link #concurrency()} it has no effect)
     * @return new options
     * @throws IllegalArgumentException when {@code n} is below 1
     */
    public TransferOptions maxConcurrency(int n) {
        return with(x -> x.maxConcurrency = n);
    }

    /**
     * Sets whether concurrency adapts: it backs off when the server answers 503/429, times out or slows down, and
     * grows (up to {@link #maxConcurrency()}) while it is healthy.
     *
     * @param adaptive true to adapt, false to always run {@link #concurrency()} files
     * @return new options
     */
    public TransferOptions adaptive(boolean adaptive) {
        return with(x -> x.adaptive = adaptive);
    }

    /**
     * Sets how many times a file is attempted before it is reported as failed.
     *
     * @param n the attempts, the first included; at least 1
     * @return new options
     * @throws IllegalArgumentException when {@code n} is below 1
     */
    public TransferOptions maxAttempts(int n) {
        return with(x -> x.maxAttempts = n);
    }

    /**
     * Sets the wait between two attempts of a file: {@code initial} first, doubling up to {@code max}.
     *
     * @param initial the wait before the second attempt
     * @param max the longest wait
     * @return new options
     */
    public TransferOptions backoff(Duration initial, Duration max) {
        return with(x -> {
            x.initialBackoff = initial;
            x.maxBackoff = max;
        });
    }

    /**
     * Sets whether the whole job stops at the first file that fails for good. By default a failed file is
     * reported in {@link TransferReport#failed()} and the others go on.
     *
     * @param failFast true to stop the job: its {@link Transfer#run()} then fails with an
     *     {@link TransferFailedFastException} whose cause is the file's error and which carries the report so far
     * @return new options
     */
    public TransferOptions failFast(boolean failFast) {
        return with(x -> x.failFast = failFast);
    }

    /**
     * Sets when a resource's files move as one zip archive.
     *
     * @param mode {@link ArchiveMode#AUTO} (the default), {@link ArchiveMode#ALWAYS} or {@link ArchiveMode#NEVER}
     * @return new options
     */
    public TransferOptions archive(ArchiveMode mode) {
        return with(x -> x.archive = mode);
    }

    /**
     * Sets, for {@link ArchiveMode#AUTO}, the largest mean file size of a resource that moves as an archive.
     *
     * @param bytes the threshold in bytes, at least 0
     * @return new options
     * @throws IllegalArgumentException when {@code bytes} is negative
     */
    public TransferOptions archiveThreshold(long bytes) {
        return with(x -> x.archiveThreshold = bytes);
    }

    /**
     * Sets the stall deadline of a file's attempt: it fails, to be retried like a dropped connection, when it moves
     * fewer than {@code minBytes} in any {@code window} (30 s and 32 KiB by default: about 1 KiB/s). The client's
     * response timeout only bounds the wait for each next read, so a server that sends a byte every few seconds, or
     * headers and then nothing, would hold a file forever without it. Applies to downloads and mirrors, whose bytes
     * are counted as they arrive (an upload's are counted when the server has them all).
     *
     * @param window the window over which progress is measured, positive; null turns the deadline off
     * @param minBytes the bytes a file must move in each window, at least 1
     * @return new options
     * @throws IllegalArgumentException for a window that is zero or negative, or {@code minBytes} below 1
     */
    public TransferOptions stallDeadline(Duration window, long minBytes) {
        return with(x -> {
            x.stallWindow = window;
            x.stallMinBytes = minBytes;
        });
    }

    /**
     * The window of the stall deadline.
     *
     * @return the window, or null when the deadline is off
     */
    public Duration stallWindow() {
        return v.stallWindow;
    }

    /**
     * The bytes a file must move in each stall window.
     *
     * @return the byte count
     */
    public long stallMinBytes() {
        return v.stallMinBytes;
    }

    /**
     * How many files move at once, at most.
     *
     * @return the requested concurrency (a transfer caps it by the connection pool)
     */
    public int concurrency() {
        return v.concurrency;
    }

    /**
     * The most files in flight that adaptation may grow to.
     *
     * @return the ceiling (a transfer caps it by the connection pool)
     */
    public int maxConcurrency() {
        return v.maxConcurrency;
    }

    /**
     * Whether concurrency adapts to the server's health.
     *
     * @return true when adaptive
     */
    public boolean adaptive() {
        return v.adaptive;
    }

    /**
     * How many times a file is attempted.
     *
     * @return the attempts, the first included
     */
    public int maxAttempts() {
        return v.maxAttempts;
    }

    /**
     * The wait before a file's second attempt.
     *
     * @return the first backoff
     */
    public Duration initialBackoff() {
        return v.initialBackoff;
    }

    /**
     * The longest wait between two attempts of a file.
     *
     * @return the cap on the backoff
     */
    public Duration maxBackoff() {
        return v.maxBackoff;
    }

    /**
     * Whether the job stops at the first file that fails for good.
     *
     * @return true for fail-fast
     */
    public boolean failFast() {
        return v.failFast;
    }

    /**
     * When resources move as one zip.
     *
     * @return the archive mode
     */
    public ArchiveMode archive() {
        return v.archive;
    }

    /**
     * The largest mean file size of a resource that moves as an archive in {@link ArchiveMode#AUTO}.
     *
     * @return the threshold in bytes
     */
    public long archiveThreshold() {
        return v.archiveThreshold;
    }

    /**
     * Whether a resource with this much to move moves as an archive under these options.
     *
     * @param files the files to move
     * @param bytes their total size in bytes
     * @return true when it moves as one zip
     */
    public boolean archives(long files, long bytes) {
        return switch (v.archive) {
            case NEVER -> false;
            case ALWAYS -> files > 0;
            case AUTO -> files >= ARCHIVE_MIN_FILES && bytes / files <= v.archiveThreshold;
        };
    }

    /**
     * Adds instrumentation to every run of the transfers made with these options: {@code instrument} gets the events
     * of one run of {@link Transfer#events()} (so of {@link Transfer#run()} too) and returns them, observed, e.g.
     * counted into metrics or inside a span; the {@code xnat-reactive-micrometer} module has one. What it puts in
     * the Reactor context upstream reaches every request of the run. Instrumentation added later wraps what was
     * added before. {@link Transfer#plan()} is not instrumented.
     *
     * @param instrument a function from one run's events to the same events, observed; it must pass every event on
     * @return new options
     */
    public TransferOptions instrument(UnaryOperator<Flux<TransferEvent>> instrument) {
        Objects.requireNonNull(instrument, "instrument");
        UnaryOperator<Flux<TransferEvent>> before = v.instrumentation;
        return with(x -> x.instrumentation = f -> instrument.apply(before.apply(f)));
    }

    /**
     * The instrumentation every run goes through ({@link #instrument(UnaryOperator)}).
     *
     * @return the identity unless instrumentation was added
     */
    public UnaryOperator<Flux<TransferEvent>> instrumentation() {
        return v.instrumentation;
    }

    @Override
    public String toString() {
        return "TransferOptions[concurrency=" + v.concurrency + ", maxConcurrency=" + v.maxConcurrency
                + ", adaptive=" + v.adaptive + ", maxAttempts=" + v.maxAttempts + ", failFast=" + v.failFast
                + ", archive=" + v.archive + ", archiveThreshold=" + v.archiveThreshold + "]";
    }
}
