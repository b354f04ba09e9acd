package io.github.xnatreactive.testkit;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Faults the test server injects, seeded so that a failing test can be replayed. Immutable: each {@code with}
 * method returns a new spec. Parse the command-line form with {@link #parse(String)}, for example
 * {@code drop=0.05,drop-after=64K,unavailable=0.02,retry-after=1,latency=5ms,expire-sessions=30s,seed=42}.
 *
 * <p>Whether a given request is hit depends only on the seed, the method, the path and how many times that same
 * method and path were requested before, not on the order in which concurrent requests arrive. Logins are never
 * failed.
 *
 * <pre>{@code
 * FaultSpec flaky = FaultSpec.parse("unavailable=0.3,retry-after=0,seed=7");
 * FaultSpec same = FaultSpec.none().withUnavailableRate(0.3).withRetryAfterSeconds(0).withSeed(7);
 * server.faults(flaky); // for the requests from now on
 * List<Project> projects = xnat.projects().collectList().block(); // the client retries each 503
 * long injected = server.injectedFaults();
 * server.faults(FaultSpec.none());
 * }</pre>
 */
public final class FaultSpec {
    private static final FaultSpec NONE = new FaultSpec(0, 0, 0, 0, 1, Duration.ZERO, null, 1);

    private final double dropRate;
    private final long dropAfterBytes;
    private final double errorRate;
    private final double unavailableRate;
    private final int retryAfterSeconds;
    private final Duration latency;
    private final Duration expireSessionsEvery;
    private final long seed;

    private FaultSpec(
            double dropRate,
            long dropAfterBytes,
            double errorRate,
            double unavailableRate,
            int retryAfterSeconds,
            Duration latency,
            Duration expireSessionsEvery,
            long seed) {
        this.dropRate = rate("drop", dropRate);
        if (dropAfterBytes < 0) {
            throw new IllegalArgumentException("drop-after must be >= 0");
        }
        this.dropAfterBytes = dropAfterBytes;
        this.errorRate = rate("error", errorRate);
        this.unavailableRate = rate("unavailable", unavailableRate);
        if (retryAfterSeconds < 0) {
            throw new IllegalArgumentException("retry-after must be >= 0");
        }
        this.retryAfterSeconds = retryAfterSeconds;
        this.latency = Objects.requireNonNull(latency);
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must be >= 0");
        }
        if (expireSessionsEvery != null && (expireSessionsEvery.isNegative() || expireSessionsEvery.isZero())) {
            throw new IllegalArgumentException("expire-sessions must be > 0");
        }
        this.expireSessionsEvery = expireSessionsEvery;
        this.seed = seed;
    }

    private static double rate(String name, double r) {
        if (!(r >= 0 && r <= 1)) {
            throw new IllegalArgumentException(name + " must be a fraction between 0 and 1, was " + r);
        }
        return r;
    }

    /**
     * The starting point: no faults.
     *
     * @return a spec that injects nothing, with seed 1 and {@code Retry-After: 1}
     */
    public static FaultSpec none() {
        return NONE;
    }

    /**
     * Drops the connection after {@link #dropAfterBytes()} body bytes on this fraction of file downloads.
     *
     * @param fraction 0 (never) to 1 (every download)
     * @return a new spec
     * @throws IllegalArgumentException for a fraction outside 0..1
     */
    public FaultSpec withDropRate(double fraction) {
        return new FaultSpec(
                fraction,
                dropAfterBytes,
                errorRate,
                unavailableRate,
                retryAfterSeconds,
                latency,
                expireSessionsEvery,
                seed);
    }

    /**
     * Sets how many body bytes a dropped download sends before the connection is cut.
     *
     * @param bytes 0 (the default: before any byte) or more
     * @return a new spec
     * @throws IllegalArgumentException when {@code bytes} is negative
     */
    public FaultSpec withDropAfterBytes(long bytes) {
        return new FaultSpec(
                dropRate, bytes, errorRate, unavailableRate, retryAfterSeconds, latency, expireSessionsEvery, seed);
    }

    /**
     * Answers 500 to this fraction of requests (logins excepted).
     *
     * @param fraction 0 (never) to 1 (every request)
     * @return a new spec
     * @throws IllegalArgumentException for a fraction outside 0..1
     */
    public FaultSpec withErrorRate(double fraction) {
        return new FaultSpec(
                dropRate,
                dropAfterBytes,
                fraction,
                unavailableRate,
                retryAfterSeconds,
                latency,
                expireSessionsEvery,
                seed);
    }

    /**
     * Answers 503 with {@code Retry-After} to this fraction of requests (logins excepted).
     *
     * @param fraction 0 (never) to 1 (every request)
     * @return a new spec
     * @throws IllegalArgumentException for a fraction outside 0..1
     */
    public FaultSpec withUnavailableRate(double fraction) {
        return new FaultSpec(
                dropRate, dropAfterBytes, errorRate, fraction, retryAfterSeconds, latency, expireSessionsEvery, seed);
    }

    /**
     * Sets the {@code Retry-After} header of injected 503s.
     *
     * @param seconds 0 or more; 1 by default
     * @return a new spec
     * @throws IllegalArgumentException when {@code seconds} is negative
     */
    public FaultSpec withRetryAfterSeconds(int seconds) {
        return new FaultSpec(
                dropRate, dropAfterBytes, errorRate, unavailableRate, seconds, latency, expireSessionsEvery, seed);
    }

    /**
     * Delays every request by this much before handling it.
     *
     * @param latency zero (the default) or more
     * @return a new spec
     * @throws IllegalArgumentException when {@code latency} is negative
     */
    public FaultSpec withLatency(Duration latency) {
        return new FaultSpec(
                dropRate,
                dropAfterBytes,
                errorRate,
                unavailableRate,
                retryAfterSeconds,
                latency,
                expireSessionsEvery,
                seed);
    }

    /**
     * Invalidates every server session each time this much time has passed, as expiries or restarts would. Only
     * the value given when the server starts counts.
     *
     * @param every a positive interval, or null never to expire sessions (the default)
     * @return a new spec
     * @throws IllegalArgumentException when {@code every} is zero or negative
     */
    public FaultSpec withExpireSessionsEvery(Duration every) {
        return new FaultSpec(
                dropRate, dropAfterBytes, errorRate, unavailableRate, retryAfterSeconds, latency, every, seed);
    }

    /**
     * Sets the seed that decides which requests are hit: the same seed and requests give the same faults.
     *
     * @param seed any value; 1 by default
     * @return a new spec
     */
    public FaultSpec withSeed(long seed) {
        return new FaultSpec(
                dropRate,
                dropAfterBytes,
                errorRate,
                unavailableRate,
                retryAfterSeconds,
                latency,
                expireSessionsEvery,
                seed);
    }

    /**
     * The fraction of file downloads whose connection is cut.
     *
     * @return 0 to 1
     */
    public double dropRate() {
        return dropRate;
    }

    /**
     * How many body bytes a dropped download sends first.
     *
     * @return the byte count, 0 or more
     */
    public long dropAfterBytes() {
        return dropAfterBytes;
    }

    /**
     * The fraction of requests answered with 500.
     *
     * @return 0 to 1
     */
    public double errorRate() {
        return errorRate;
    }

    /**
     * The fraction of requests answered with 503.
     *
     * @return 0 to 1
     */
    public double unavailableRate() {
        return unavailableRate;
    }

    /**
     * The {@code Retry-After} of injected 503s.
     *
     * @return seconds, 0 or more
     */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /**
     * The delay added to every request.
     *
     * @return zero or more
     */
    public Duration latency() {
        return latency;
    }

    /**
     * How often every server session is invalidated.
     *
     * @return the interval, or null when sessions are never expired by fault injection
     */
    public Duration expireSessionsEvery() {
        return expireSessionsEvery;
    }

    /**
     * The seed that decides which requests are hit.
     *
     * @return the seed
     */
    public long seed() {
        return seed;
    }

    /**
     * Parses {@code key=value} pairs separated by commas: {@code drop} (fraction), {@code drop-after} (bytes,
     * suffix K, M or G allowed), {@code error} (fraction), {@code unavailable} (fraction), {@code retry-after}
     * (seconds), {@code latency} and {@code expire-sessions} (durations such as {@code 250ms}, {@code 5s},
     * {@code 2m}), {@code seed} (a long). An empty string means no faults.
     *
     * @param spec e.g. {@code drop=0.05,drop-after=64K,seed=42}; null or blank for none
     * @return the spec, with defaults for the keys not given
     * @throws IllegalArgumentException naming the bad key or value
     */
    public static FaultSpec parse(String spec) {
        FaultSpec f = none();
        if (spec == null || spec.isBlank()) {
            return f;
        }
        for (String pair : spec.split(",")) {
            pair = pair.trim();
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("Expected key=value in fault spec, got '" + pair + "'");
            }
            String key = pair.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = pair.substring(eq + 1).trim();
            try {
                f = switch (key) {
                    case "drop" -> f.withDropRate(Double.parseDouble(value));
                    case "drop-after" -> f.withDropAfterBytes(SeedSpec.parseSize(value));
                    case "error" -> f.withErrorRate(Double.parseDouble(value));
                    case "unavailable" -> f.withUnavailableRate(Double.parseDouble(value));
                    case "retry-after" -> f.withRetryAfterSeconds(Integer.parseInt(value));
                    case "latency" -> f.withLatency(parseDuration(value));
                    case "expire-sessions" -> f.withExpireSessionsEvery(parseDuration(value));
                    case "seed" -> f.withSeed(Long.parseLong(value));
                    default ->
                        throw new IllegalArgumentException("Unknown fault '" + key
                                + "' (known: drop, drop-after, error, unavailable, retry-after, latency, expire-sessions,"
                                + " seed)");
                };
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Bad value for fault '" + key + "': '" + value + "'", e);
            }
        }
        return f;
    }

    /**
     * Parses a duration as the command line writes it.
     *
     * @param s {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}; a bare number means milliseconds
     * @return the duration
     * @throws IllegalArgumentException for another form
     */
    public static Duration parseDuration(String s) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            if (v.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            if (v.endsWith("h")) {
                return Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            return Duration.ofMillis(Long.parseLong(v));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Bad duration '" + s + "' (use e.g. 250ms, 5s, 2m)", e);
        }
    }

    @Override
    public String toString() {
        return "FaultSpec[drop=" + dropRate + ", drop-after=" + dropAfterBytes + ", error=" + errorRate
                + ", unavailable=" + unavailableRate + ", retry-after=" + retryAfterSeconds + ", latency=" + latency
                + ", expire-sessions=" + expireSessionsEvery + ", seed=" + seed + "]";
    }
}
