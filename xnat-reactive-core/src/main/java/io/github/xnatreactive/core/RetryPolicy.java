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
 * RetryPolicy patient = RetryPolicy.defaults().withMaxAttempts(6).withMaxBackoff(Duration.ofSeconds(60));
 * XnatClient xnat = XnatClient.builder()
 *         .serverUrl(url)
 *         .credentials(credentials)
 *         .retryPolicy(patient)
 *         .build();
 * }</pre>
 *
 * Immutable: each {@code with} method returns a new policy. {@link RetryPolicy#none()} never retries.
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

    /**
     * The policy a client has unless told otherwise.
     *
     * @return 4 attempts, backoff from 500 ms to 30 s with 50 % jitter, {@code Retry-After} honoured up to 2 minutes
     */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /**
     * Never retry: every failure reaches the caller at once.
     *
     * @return the defaults with one attempt
     */
    public static RetryPolicy none() {
        return DEFAULTS.withMaxAttempts(1);
    }

    /**
     * Sets the total number of attempts per request.
     *
     * @param n the attempts, the first included; 1 means no retry
     * @return a new policy
     * @throws IllegalArgumentException when {@code n} is below 1
     */
    public RetryPolicy withMaxAttempts(int n) {
        return new RetryPolicy(n, initialBackoff, maxBackoff, jitter, maxRetryAfter);
    }

    /**
     * Sets the delay before the first retry; each later retry waits twice as long, up to the maximum.
     *
     * @param d the first delay; not null
     * @return a new policy
     */
    public RetryPolicy withInitialBackoff(Duration d) {
        return new RetryPolicy(maxAttempts, d, maxBackoff, jitter, maxRetryAfter);
    }

    /**
     * Sets the longest delay between two attempts (before jitter).
     *
     * @param d the longest delay; not null
     * @return a new policy
     */
    public RetryPolicy withMaxBackoff(Duration d) {
        return new RetryPolicy(maxAttempts, initialBackoff, d, jitter, maxRetryAfter);
    }

    /**
     * Sets how much each delay varies at random, so that clients that failed together do not retry together.
     *
     * @param jitter the fraction of the delay to vary by, 0 (none) to 1
     * @return a new policy
     * @throws IllegalArgumentException when {@code jitter} is outside 0..1
     */
    public RetryPolicy withJitter(double jitter) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, jitter, maxRetryAfter);
    }

    /**
     * Sets the longest {@code Retry-After} the client waits for; a server asking for longer fails the request.
     *
     * @param d the longest wait; not null
     * @return a new policy
     */
    public RetryPolicy withMaxRetryAfter(Duration d) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, jitter, d);
    }

    /**
     * The total number of attempts per request.
     *
     * @return the attempts, the first included (1: no retry)
     */
    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * The delay before the first retry.
     *
     * @return the first delay, before jitter
     */
    public Duration initialBackoff() {
        return initialBackoff;
    }

    /**
     * The longest delay between two attempts.
     *
     * @return the cap on the delay, before jitter
     */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /**
     * How much delays vary at random.
     *
     * @return the fraction, 0 to 1
     */
    public double jitter() {
        return jitter;
    }

    /**
     * The longest {@code Retry-After} the client waits for.
     *
     * @return the longest wait a server may ask for
     */
    public Duration maxRetryAfter() {
        return maxRetryAfter;
    }

    /**
     * The delay before a given retry, without jitter: {@code initialBackoff * 2^(retry - 1)}, capped at
     * {@code maxBackoff}.
     *
     * @param retry the retry's number, 1 for the first retry (the second attempt)
     * @return the delay
     */
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
