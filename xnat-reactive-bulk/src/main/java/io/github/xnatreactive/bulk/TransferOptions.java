package io.github.xnatreactive.bulk;

import java.time.Duration;

/**
 * How a bulk transfer runs. Immutable.
 *
 * <pre>{@code
 * TransferOptions options = TransferOptions.defaults().concurrency(8).adaptive(true).maxAttempts(5).failFast(false);
 * Transfer transfer = BulkClient.of(xnat, options).download(session, dest, Selection.all());
 * int atOnce = transfer.concurrency(); // 8, or the client's pool size if smaller
 * }</pre>
 *
 * Concurrency is capped by the client's connection pool ({@code XnatClient.Builder.maxConnections}).
 */
public final class TransferOptions {
    private static final TransferOptions DEFAULTS =
            new TransferOptions(8, true, 4, Duration.ofMillis(500), Duration.ofSeconds(30), false);

    private final int concurrency;
    private final boolean adaptive;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final boolean failFast;

    private TransferOptions(
            int concurrency,
            boolean adaptive,
            int maxAttempts,
            Duration initialBackoff,
            Duration maxBackoff,
            boolean failFast) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be >= 1");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1");
        }
        this.concurrency = concurrency;
        this.adaptive = adaptive;
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.failFast = failFast;
    }

    /**
     * The options a bulk client has unless told otherwise.
     *
     * @return 8 files at a time, adaptive, 4 attempts per file from 500 ms to 30 s of backoff, no fail-fast
     */
    public static TransferOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Sets how many files move at once (never more than the client's connection pool).
     *
     * @param n the number of files, at least 1
     * @return new options
     * @throws IllegalArgumentException when {@code n} is below 1
     */
    public TransferOptions concurrency(int n) {
        return new TransferOptions(n, adaptive, maxAttempts, initialBackoff, maxBackoff, failFast);
    }

    /**
     * Sets whether concurrency adapts: it backs off when the server answers 503/429 or slows down, and grows again
     * (up to {@link #concurrency(int)}) while it is healthy.
     *
     * @param adaptive true to adapt, false to always run {@link #concurrency(int)} files
     * @return new options
     */
    public TransferOptions adaptive(boolean adaptive) {
        return new TransferOptions(concurrency, adaptive, maxAttempts, initialBackoff, maxBackoff, failFast);
    }

    /**
     * Sets how many times a file is attempted before it is reported as failed.
     *
     * @param n the attempts, the first included; at least 1
     * @return new options
     * @throws IllegalArgumentException when {@code n} is below 1
     */
    public TransferOptions maxAttempts(int n) {
        return new TransferOptions(concurrency, adaptive, n, initialBackoff, maxBackoff, failFast);
    }

    /**
     * Sets the wait between two attempts of a file: {@code initial} first, doubling up to {@code max}.
     *
     * @param initial the wait before the second attempt
     * @param max the longest wait
     * @return new options
     */
    public TransferOptions backoff(Duration initial, Duration max) {
        return new TransferOptions(concurrency, adaptive, maxAttempts, initial, max, failFast);
    }

    /**
     * Sets whether the whole job stops at the first file that fails for good. By default a failed file is
     * reported in {@link TransferReport#failed()} and the others go on.
     *
     * @param failFast true to stop the job: its {@link Transfer#run()} then fails with an
     *     {@link io.github.xnatreactive.core.XnatException} whose cause is the file's error
     * @return new options
     */
    public TransferOptions failFast(boolean failFast) {
        return new TransferOptions(concurrency, adaptive, maxAttempts, initialBackoff, maxBackoff, failFast);
    }

    /**
     * How many files move at once, at most.
     *
     * @return the requested concurrency (a transfer caps it by the connection pool)
     */
    public int concurrency() {
        return concurrency;
    }

    /**
     * Whether concurrency adapts to the server's health.
     *
     * @return true when adaptive
     */
    public boolean adaptive() {
        return adaptive;
    }

    /**
     * How many times a file is attempted.
     *
     * @return the attempts, the first included
     */
    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * The wait before a file's second attempt.
     *
     * @return the first backoff
     */
    public Duration initialBackoff() {
        return initialBackoff;
    }

    /**
     * The longest wait between two attempts of a file.
     *
     * @return the cap on the backoff
     */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /**
     * Whether the job stops at the first file that fails for good.
     *
     * @return true for fail-fast
     */
    public boolean failFast() {
        return failFast;
    }

    @Override
    public String toString() {
        return "TransferOptions[concurrency=" + concurrency + ", adaptive=" + adaptive + ", maxAttempts=" + maxAttempts
                + ", failFast=" + failFast + "]";
    }
}
