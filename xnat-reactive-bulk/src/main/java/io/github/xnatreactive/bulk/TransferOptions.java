package io.github.xnatreactive.bulk;

import java.time.Duration;

/**
 * How a bulk transfer runs. Immutable.
 *
 * <pre>{@code
 * TransferOptions.defaults().concurrency(8).adaptive(true).maxAttempts(5).failFast(false)
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

    /** 8 files at a time, adaptive, 4 attempts per file from 500 ms to 30 s of backoff, no fail-fast. */
    public static TransferOptions defaults() {
        return DEFAULTS;
    }

    /** Files transferred at once (never more than the client's connection pool). */
    public TransferOptions concurrency(int n) {
        return new TransferOptions(n, adaptive, maxAttempts, initialBackoff, maxBackoff, failFast);
    }

    /** Back off when the server answers 503/429 or slows down; grow again while it is healthy. */
    public TransferOptions adaptive(boolean adaptive) {
        return new TransferOptions(concurrency, adaptive, maxAttempts, initialBackoff, maxBackoff, failFast);
    }

    /** Attempts per file, the first included. */
    public TransferOptions maxAttempts(int n) {
        return new TransferOptions(concurrency, adaptive, n, initialBackoff, maxBackoff, failFast);
    }

    public TransferOptions backoff(Duration initial, Duration max) {
        return new TransferOptions(concurrency, adaptive, maxAttempts, initial, max, failFast);
    }

    /** Stop the whole job at the first file that fails for good (by default a failed file is reported). */
    public TransferOptions failFast(boolean failFast) {
        return new TransferOptions(concurrency, adaptive, maxAttempts, initialBackoff, maxBackoff, failFast);
    }

    public int concurrency() {
        return concurrency;
    }

    public boolean adaptive() {
        return adaptive;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration initialBackoff() {
        return initialBackoff;
    }

    public Duration maxBackoff() {
        return maxBackoff;
    }

    public boolean failFast() {
        return failFast;
    }

    @Override
    public String toString() {
        return "TransferOptions[concurrency=" + concurrency + ", adaptive=" + adaptive + ", maxAttempts=" + maxAttempts
                + ", failFast=" + failFast + "]";
    }
}
