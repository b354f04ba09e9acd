package io.github.xnatreactive.core;

import java.time.Duration;
import java.util.Objects;

/**
 * When and how often a failed request is tried again: the one retry decision of the SDK, used by the client for
 * each request and open to callers that own their attempts (the bulk engine asks it for whole file transfers).
 *
 * <p>Only requests that are safe to repeat are retried: idempotent ones (GET, HEAD, PUT, DELETE, OPTIONS) after a
 * transport failure ({@link XnatTransportException}: reset, closed early, timed out) or a 408, 429, 502, 503 or 504
 * (and a 500 or a size or MD5 mismatch for GET and HEAD); a POST only when its connection could not be made, since
 * then nothing was sent. A failed TLS handshake is never retried. Delays grow exponentially from
 * {@code initialBackoff} to {@code maxBackoff} with random jitter; a {@code Retry-After} header is honoured up to
 * {@code maxRetryAfter}. The client checks a download's size and MD5 after its own attempts, so a mismatch is
 * retried by a caller that owns the attempts, not by the client. To make such a caller the only retrying layer,
 * switch the client's retries off for its requests with {@link XnatClient#retryPolicy(RetryPolicy)}.
 *
 * <pre>{@code
 * RetryPolicy patient = RetryPolicy.defaults().maxAttempts(6).maxBackoff(Duration.ofSeconds(60));
 * XnatClient xnat = XnatClient.builder()
 *         .serverUrl(url)
 *         .credentials(credentials)
 *         .retryPolicy(patient)
 *         .build();
 * }</pre>
 *
 * Immutable: each setter (such as {@code maxAttempts(int)}) returns a new policy. {@link RetryPolicy#none()} never retries.
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
        return DEFAULTS.maxAttempts(1);
    }

    /**
     * Sets the total number of attempts per request.
     *
     * @param n the attempts, the first included; 1 means no retry
     * @return a new policy
     * @throws IllegalArgumentException when {@code n} is below 1
     */
    public RetryPolicy maxAttempts(int n) {
        return new RetryPolicy(n, initialBackoff, maxBackoff, jitter, maxRetryAfter);
    }

    /**
     * Sets the delay before the first retry; each later retry waits twice as long, up to the maximum.
     *
     * @param d the first delay; not null
     * @return a new policy
     */
    public RetryPolicy initialBackoff(Duration d) {
        return new RetryPolicy(maxAttempts, d, maxBackoff, jitter, maxRetryAfter);
    }

    /**
     * Sets the longest delay between two attempts (before jitter).
     *
     * @param d the longest delay; not null
     * @return a new policy
     */
    public RetryPolicy maxBackoff(Duration d) {
        return new RetryPolicy(maxAttempts, initialBackoff, d, jitter, maxRetryAfter);
    }

    /**
     * Sets how much each delay varies at random, so that clients that failed together do not retry together.
     *
     * @param jitter the fraction of the delay to vary by, 0 (none) to 1
     * @return a new policy
     * @throws IllegalArgumentException when {@code jitter} is outside 0..1
     */
    public RetryPolicy jitter(double jitter) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, jitter, maxRetryAfter);
    }

    /**
     * Sets the longest {@code Retry-After} the client waits for; a server asking for longer fails the request.
     *
     * @param d the longest wait; not null
     * @return a new policy
     */
    public RetryPolicy maxRetryAfter(Duration d) {
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

    // ------------------------------------------------------------------ decisions

    /**
     * Whether a request that failed this way is worth another attempt (the attempt count is the caller's to
     * check against {@link #maxAttempts()}). The method's idempotency follows HTTP: everything but POST and PATCH.
     *
     * @param method the HTTP method, e.g. {@code "GET"}
     * @param status the HTTP status of the reply, or -1 when there was none (the status of an
     *     {@link XnatHttpException} {@code error} is used then)
     * @param error the failure, or null when only the status is known
     * @return true when another attempt is safe and may succeed
     */
    public boolean retryable(String method, int status, Throwable error) {
        return retryable(method, idempotent(method), status, error);
    }

    /**
     * As {@link #retryable(String, int, Throwable)} for a request whose idempotency is not its method's: a PUT
     * whose body comes from a publisher that cannot be subscribed twice is not safe to repeat.
     *
     * @param method the HTTP method, e.g. {@code "PUT"}
     * @param idempotent whether repeating the request is safe
     * @param status the HTTP status of the reply, or -1 when there was none
     * @param error the failure, or null when only the status is known
     * @return true when another attempt is safe and may succeed
     */
    public boolean retryable(String method, boolean idempotent, int status, Throwable error) {
        int s = status(status, error);
        Throwable cause = unwrap(error);
        boolean read = "GET".equalsIgnoreCase(method) || "HEAD".equalsIgnoreCase(method);
        if (isConnectFailure(cause)) {
            return true; // nothing was sent
        }
        if (!idempotent) {
            return false;
        }
        if (s > 0) {
            return s == 408 || s == 429 || s == 502 || s == 503 || s == 504 || (s == 500 && read);
        }
        if (cause instanceof XnatIntegrityException) {
            return read;
        }
        return isTransportFailure(cause);
    }

    /**
     * Whether the failure says the server is overloaded (503, 429, 502, 504, or a timeout), so that a caller
     * running many requests should send fewer at once.
     *
     * @param status the HTTP status, or -1 (then an {@link XnatHttpException} {@code error}'s status is used)
     * @param error the failure, or null
     * @return true when the server pushes back
     */
    public boolean isBackpressure(int status, Throwable error) {
        int s = status(status, error);
        if (s > 0) {
            return s == 503 || s == 429 || s == 502 || s == 504;
        }
        Throwable cause = unwrap(error);
        return cause instanceof java.util.concurrent.TimeoutException
                || cause instanceof io.netty.handler.timeout.ReadTimeoutException;
    }

    /**
     * The wait before the next attempt after {@code attemptsMade} attempts (1 after the first failed): the
     * exponential backoff with jitter, at least the {@code Retry-After} an {@link XnatHttpException} carries.
     * Empty when no further attempt should be made: {@code attemptsMade >= maxAttempts()} or the server asked
     * for a longer wait than {@link #maxRetryAfter()}.
     *
     * @param attemptsMade the attempts made so far, 1 after the first failed
     * @param error the last failure (its {@code Retry-After}, if any, is honoured), or null
     * @return the wait, or empty when no further attempt should be made
     */
    public java.util.Optional<Duration> delayBeforeRetry(int attemptsMade, Throwable error) {
        if (attemptsMade >= maxAttempts) {
            return java.util.Optional.empty();
        }
        Duration retryAfter =
                unwrap(error) instanceof XnatHttpException h ? h.retryAfter().orElse(null) : null;
        if (retryAfter != null && retryAfter.compareTo(maxRetryAfter) > 0) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(delay(attemptsMade, retryAfter));
    }

    /**
     * The jittered backoff before retry number {@code retry} (1-based), at least {@code retryAfter} (null: none);
     * no limit is checked.
     *
     * @param retry the retry number, 1 for the first retry
     * @param retryAfter the wait the server asked for, or null
     * @return the wait before that retry
     */
    public Duration delay(long retry, Duration retryAfter) {
        Duration d = backoff(retry);
        if (jitter > 0) {
            double f = 1
                    - jitter
                    + java.util.concurrent.ThreadLocalRandom.current().nextDouble() * 2 * jitter;
            d = Duration.ofMillis(Math.max(0, (long) (d.toMillis() * f)));
        }
        return retryAfter != null && retryAfter.compareTo(d) > 0 ? retryAfter : d;
    }

    private static boolean idempotent(String method) {
        return !"POST".equalsIgnoreCase(method) && !"PATCH".equalsIgnoreCase(method);
    }

    private static int status(int status, Throwable error) {
        if (status > 0) {
            return status;
        }
        return unwrap(error) instanceof XnatHttpException h ? h.status() : -1;
    }

    /** The I/O failure behind a transport exception; anything else as it is. */
    private static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while (c instanceof XnatTransportException && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    /**
     * A failure to connect: nothing was sent, so any request may be retried. A connection closed "BEFORE response"
     * is not one: the request went out and the server may have acted on it.
     */
    private static boolean isConnectFailure(Throwable t) {
        return t instanceof java.net.ConnectException || t instanceof io.netty.channel.ConnectTimeoutException;
    }

    private static boolean isTransportFailure(Throwable t) {
        if (t == null || t instanceof javax.net.ssl.SSLHandshakeException) {
            return false; // an untrusted certificate does not become trusted by asking again
        }
        return t instanceof java.io.IOException
                || t instanceof io.netty.handler.timeout.ReadTimeoutException
                || t instanceof java.util.concurrent.TimeoutException
                || t instanceof reactor.netty.http.client.PrematureCloseException
                || t instanceof java.nio.channels.NotYetConnectedException
                || (t instanceof XnatProtocolException p && p.getCause() instanceof java.io.IOException);
    }

    @Override
    public String toString() {
        return "RetryPolicy[maxAttempts=" + maxAttempts + ", backoff=" + initialBackoff + ".." + maxBackoff
                + ", jitter=" + jitter + "]";
    }
}
