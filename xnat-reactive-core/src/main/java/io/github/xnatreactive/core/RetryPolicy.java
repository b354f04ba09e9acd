package io.github.xnatreactive.core;

import java.time.Duration;
import java.util.Objects;

/**
 * When and how often the client retries a failed request. Only requests that are safe to repeat are retried:
 * idempotent ones (GET, HEAD, PUT, DELETE) after a connection failure or a 408, 429, 502, 503 or 504 (and a 500 for
 * GET and HEAD); a POST only when its connection could not be made. Delays grow exponentially from
 * {@code initialBackoff} to {@code maxBackoff} with random jitter; a {@code Retry-After} header is honoured.
 *
 * <pre>{@code
 * RetryPolicy.defaults().withMaxAttempts(6).withMaxBackoff(Duration.ofSeconds(60));
 * RetryPolicy.none();
 * }</pre>
 */
public final class RetryPolicy {
    private static final RetryPolicy DEFAULTS =
            new RetryPolicy(4, Duration.ofMillis(500), Duration.ofSeconds(30), 0.5, Duration.ofMinutes(2));

    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final double jitter;
    private final Duration maxRetryAfter;

    private RetryPolicy(
            int maxAttempts, Duration initialBackoff, Duration maxBackoff, double jitter, Duration maxRetryAfter) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1");
        }
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("jitter must be between 0 and 1");
        }
        this.maxAttempts = maxAttempts;
        this.initialBackoff = Objects.requireNonNull(initialBackoff);
        this.maxBackoff = Objects.requireNonNull(maxBackoff);
        this.jitter = jitter;
        this.maxRetryAfter = Objects.requireNonNull(maxRetryAfter);
    }

    /** 4 attempts, backoff from 500 ms to 30 s with 50 % jitter, {@code Retry-After} honoured up to 2 minutes. */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /** One attempt, no retry. */
    public static RetryPolicy none() {
        return DEFAULTS.withMaxAttempts(1);
    }

    /** Total attempts, the first included. */
    public RetryPolicy withMaxAttempts(int n) {
        return new RetryPolicy(n, initialBackoff, maxBackoff, jitter, maxRetryAfter);
    }

    public RetryPolicy withInitialBackoff(Duration d) {
        return new RetryPolicy(maxAttempts, d, maxBackoff, jitter, maxRetryAfter);
    }

    public RetryPolicy withMaxBackoff(Duration d) {
        return new RetryPolicy(maxAttempts, initialBackoff, d, jitter, maxRetryAfter);
    }

    /** Fraction of random jitter applied to each delay, 0 to 1. */
    public RetryPolicy withJitter(double jitter) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, jitter, maxRetryAfter);
    }

    /** The longest {@code Retry-After} the client waits for; a longer one fails the request. */
    public RetryPolicy withMaxRetryAfter(Duration d) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, jitter, d);
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

    public double jitter() {
        return jitter;
    }

    public Duration maxRetryAfter() {
        return maxRetryAfter;
    }

    /** The delay before retry number {@code retry} (1-based), without jitter. */
    public Duration backoff(long retry) {
        long base = initialBackoff.toMillis();
        long exp = base * (1L << Math.min(20, Math.max(0, retry - 1)));
        return Duration.ofMillis(Math.min(exp, maxBackoff.toMillis()));
    }

    @Override
    public String toString() {
        return "RetryPolicy[maxAttempts=" + maxAttempts + ", backoff=" + initialBackoff + ".." + maxBackoff
                + ", jitter=" + jitter + "]";
    }
}
