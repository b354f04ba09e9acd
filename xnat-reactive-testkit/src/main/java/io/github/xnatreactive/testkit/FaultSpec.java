package io.github.xnatreactive.testkit;

import io.github.xnatreactive.testkit.internal.PathPattern;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Faults the test server injects, seeded so that a failing test can be replayed. Immutable: each setter
 * method returns a new spec. Parse the command-line form with {@link #parse(String)}, for example
 * {@code drop=0.05,drop-after=64K,unavailable=0.02,retry-after=1,latency=5ms,expire-sessions=30s,seed=42}.
 *
 * <p>Archive faults act on archive downloads ({@code .../files?format=zip}, {@code tar}, {@code tar.gz}):
 * {@code archive-drop} closes the connection after {@code archive-drop-after} bytes of the archive,
 * {@code archive-corrupt} flips the bytes of one entry (the archive's own CRC matches the flipped bytes; only the
 * listing's digest tells), {@code archive-omit} leaves one listed file out, and {@code archive-slip} adds an entry
 * named {@code ../evil} that would land outside the destination.
 *
 * <p>{@link #route(String)} limits every fault of the spec to requests whose path matches a route pattern such
 * as {@code /data/experiments/{experiment}/scans/{scan}/resources/{resource}/files/**}; {@code /REST} and
 * {@code /data/archive} paths match the {@code /data} form.
 *
 * <pre>{@code
 * FaultSpec cut = FaultSpec.none()
 *         .archiveDropRate(1.0)
 *         .archiveDropAfterBytes(100_000)
 *         .route("/data/experiments/{experiment}/**");
 * FaultSpec same = FaultSpec.parse("archive-drop=1,archive-drop-after=100000,route=/data/experiments/{experiment}/**");
 * }</pre>
 *
 * <p>Whether a given request is hit depends only on the seed, the method, the path and how many times that same
 * method and path were requested before, not on the order in which concurrent requests arrive. Logins are never
 * failed.
 *
 * <pre>{@code
 * FaultSpec flaky = FaultSpec.parse("unavailable=0.3,retry-after=0,seed=7");
 * FaultSpec same = FaultSpec.none().unavailableRate(0.3).retryAfterSeconds(0).seed(7);
 * server.faults(flaky); // for the requests from now on
 * List<Project> projects = xnat.projects().collectList().block(); // the client retries each 503
 * long injected = server.injectedFaults();
 * server.faults(FaultSpec.none());
 * }</pre>
 */
public final class FaultSpec {
    private static final FaultSpec NONE = new FaultSpec();

    private double dropRate;
    private long dropAfterBytes;
    private double stallRate;
    private long stallAfterBytes;
    private double errorRate;
    private double unavailableRate;
    private int retryAfterSeconds = 1;
    private Duration latency = Duration.ZERO;
    private Duration expireSessionsEvery;
    private long seed = 1;
    private double archiveDropRate;
    private long archiveDropAfterBytes;
    private double archiveCorruptRate;
    private double archiveOmitRate;
    private double archiveSlipRate;
    private String route;
    private PathPattern routePattern;

    private FaultSpec() {}

    private FaultSpec copy() {
        FaultSpec f = new FaultSpec();
        f.dropRate = dropRate;
        f.dropAfterBytes = dropAfterBytes;
        f.stallRate = stallRate;
        f.stallAfterBytes = stallAfterBytes;
        f.errorRate = errorRate;
        f.unavailableRate = unavailableRate;
        f.retryAfterSeconds = retryAfterSeconds;
        f.latency = latency;
        f.expireSessionsEvery = expireSessionsEvery;
        f.seed = seed;
        f.archiveDropRate = archiveDropRate;
        f.archiveDropAfterBytes = archiveDropAfterBytes;
        f.archiveCorruptRate = archiveCorruptRate;
        f.archiveOmitRate = archiveOmitRate;
        f.archiveSlipRate = archiveSlipRate;
        f.route = route;
        f.routePattern = routePattern;
        return f;
    }

    private FaultSpec with(java.util.function.Consumer<FaultSpec> change) {
        FaultSpec f = copy();
        change.accept(f);
        return f;
    }

    private static double rate(String name, double r) {
        if (!(r >= 0 && r <= 1)) {
            throw new IllegalArgumentException(name + " must be a fraction between 0 and 1, was " + r);
        }
        return r;
    }

    private static long bytes(String name, long n) {
        if (n < 0) {
            throw new IllegalArgumentException(name + " must be >= 0");
        }
        return n;
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
    public FaultSpec dropRate(double fraction) {
        return with(f -> f.dropRate = rate("drop", fraction));
    }

    /**
     * Sets how many body bytes a dropped download sends before the connection is cut.
     *
     * @param bytes 0 (the default: before any byte) or more
     * @return a new spec
     * @throws IllegalArgumentException when {@code bytes} is negative
     */
    public FaultSpec dropAfterBytes(long bytes) {
        return with(f -> f.dropAfterBytes = bytes("drop-after", bytes));
    }

    /**
     * Stalls this fraction of file downloads after {@link #stallAfterBytes()} body bytes: the status and headers go
     * out, then that many bytes, then nothing more while the connection stays open (until the client gives up), as
     * a hung server or a dead link behind a proxy would.
     *
     * @param fraction 0 (never) to 1 (every download)
     * @return a new spec
     * @throws IllegalArgumentException for a fraction outside 0..1
     */
    public FaultSpec stallRate(double fraction) {
        return with(f -> f.stallRate = rate("stall", fraction));
    }

    /**
     * Sets how many body bytes a stalled download sends before it stops sending.
     *
     * @param bytes 0 (the default: the headers only) or more
     * @return a new spec
     * @throws IllegalArgumentException when {@code bytes} is negative
     */
    public FaultSpec stallAfterBytes(long bytes) {
        return with(f -> f.stallAfterBytes = bytes("stall-after", bytes));
    }

    /**
     * The fraction of file downloads that stall.
     *
     * @return 0 to 1
     */
    public double stallRate() {
        return stallRate;
    }

    /**
     * How many body bytes a stalled download sends first.
     *
     * @return the byte count, 0 or more
     */
    public long stallAfterBytes() {
        return stallAfterBytes;
    }

    /**
     * Answers 500 to this fraction of requests (logins excepted).
     *
     * @param fraction 0 (never) to 1 (every request)
     * @return a new spec
     * @throws IllegalArgumentException for a fraction outside 0..1
     */
    public FaultSpec errorRate(double fraction) {
        return with(f -> f.errorRate = rate("error", fraction));
    }

    /**
     * Answers 503 with {@code Retry-After} to this fraction of requests (logins excepted).
     *
     * @param fraction 0 (never) to 1 (every request)
     * @return a new spec
     * @throws IllegalArgumentException for a fraction outside 0..1
     */
    public FaultSpec unavailableRate(double fraction) {
        return with(f -> f.unavailableRate = rate("unavailable", fraction));
    }

    /**
     * Sets the {@code Retry-After} header of injected 503s.
     *
     * @param seconds 0 or more; 1 by default
     * @return a new spec
     * @throws IllegalArgumentException when {@code seconds} is negative
     */
    public FaultSpec retryAfterSeconds(int seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("retry-after must be >= 0");
        }
        return with(f -> f.retryAfterSeconds = seconds);
    }

    /**
     * Delays every request by this much before handling it.
     *
     * @param latency zero (the default) or more
     * @return a new spec
     * @throws IllegalArgumentException when {@code latency} is negative
     */
    public FaultSpec latency(Duration latency) {
        if (Objects.requireNonNull(latency).isNegative()) {
            throw new IllegalArgumentException("latency must be >= 0");
        }
        return with(f -> f.latency = latency);
    }

    /**
     * Invalidates every server session each time this much time has passed, as expiries or restarts would. Only
     * the value given when the server starts counts.
     *
     * @param every a positive interval, or null never to expire sessions (the default)
     * @return a new spec
     * @throws IllegalArgumentException when {@code every} is zero or negative
     */
    public FaultSpec expireSessionsEvery(Duration every) {
        if (every != null && (every.isNegative() || every.isZero())) {
            throw new IllegalArgumentException("expire-sessions must be > 0");
        }
        return with(f -> f.expireSessionsEvery = every);
    }

    /**
     * Sets the seed that decides which requests are hit: the same seed and requests give the same faults.
     *
     * @param seed any value; 1 by default
     * @return a new spec
     */
    public FaultSpec seed(long seed) {
        return with(f -> f.seed = seed);
    }

    /**
     * Closes the connection after {@link #archiveDropAfterBytes()} bytes on this fraction of archive downloads.
     *
     * @param fraction 0 to 1
     * @return a new spec
     */
    public FaultSpec archiveDropRate(double fraction) {
        return with(f -> f.archiveDropRate = rate("archive-drop", fraction));
    }

    /**
     * Sets how many bytes of a dropped archive are sent before the connection closes (0 by default).
     *
     * @param bytes 0 or more
     * @return a new spec
     */
    public FaultSpec archiveDropAfterBytes(long bytes) {
        return with(f -> f.archiveDropAfterBytes = bytes("archive-drop-after", bytes));
    }

    /**
     * On this fraction of archive downloads, flip every byte of one entry (chosen by the seed) that has data; the
     * entry's size and the archive's own checksum match what is sent, the listing's digest does not.
     *
     * @param fraction 0 to 1
     * @return a new spec
     */
    public FaultSpec archiveCorruptRate(double fraction) {
        return with(f -> f.archiveCorruptRate = rate("archive-corrupt", fraction));
    }

    /**
     * On this fraction of archive downloads, leaves out one listed file (chosen by the seed).
     *
     * @param fraction 0 to 1
     * @return a new spec
     */
    public FaultSpec archiveOmitRate(double fraction) {
        return with(f -> f.archiveOmitRate = rate("archive-omit", fraction));
    }

    /**
     * On this fraction of archive downloads, add an entry named {@code ../evil} (at a position chosen by the seed)
     * that would be written outside the destination directory by a careless extractor.
     *
     * @param fraction 0 to 1
     * @return a new spec
     */
    public FaultSpec archiveSlipRate(double fraction) {
        return with(f -> f.archiveSlipRate = rate("archive-slip", fraction));
    }

    /**
     * Limits this spec's faults (except session expiry) to requests whose path matches {@code pattern}: literal
     * segments, {@code {name}} or {@code *} for one segment, and a final {@code **} for any rest. Null removes the
     * limit.
     *
     * @param pattern the path pattern, e.g. {@code /data/experiments/{id}/scans/*&#47;resources/DICOM/files}, or null
     * @return a new spec
     * @throws IllegalArgumentException when the pattern is malformed
     */
    public FaultSpec route(String pattern) {
        FaultSpec f = copy();
        f.routePattern = pattern == null ? null : PathPattern.parse(pattern);
        f.route = pattern;
        return f;
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
     * The fraction of archive downloads whose connection is cut.
     *
     * @return 0 to 1
     */
    public double archiveDropRate() {
        return archiveDropRate;
    }

    /**
     * How many bytes of a dropped archive are sent first.
     *
     * @return bytes, 0 or more
     */
    public long archiveDropAfterBytes() {
        return archiveDropAfterBytes;
    }

    /**
     * The fraction of archive downloads with one corrupted entry.
     *
     * @return 0 to 1
     */
    public double archiveCorruptRate() {
        return archiveCorruptRate;
    }

    /**
     * The fraction of archive downloads that lack one listed file.
     *
     * @return 0 to 1
     */
    public double archiveOmitRate() {
        return archiveOmitRate;
    }

    /**
     * The fraction of archive downloads with an entry that escapes the destination ({@code ../evil}).
     *
     * @return 0 to 1
     */
    public double archiveSlipRate() {
        return archiveSlipRate;
    }

    /**
     * The route pattern this spec is limited to.
     *
     * @return the pattern as given to {@link #route(String)}, or null when the spec applies to every request
     */
    public String route() {
        return route;
    }

    /**
     * Whether this spec applies to a request path (already in its {@code /data} form, without the query).
     *
     * @param path e.g. {@code /data/experiments/XNAT_E00001/scans/1/resources/DICOM/files}
     * @return true when the spec's faults apply to requests of that path
     */
    public boolean appliesTo(String path) {
        return routePattern == null || routePattern.matches(path);
    }

    /**
     * Parses {@code key=value} pairs separated by commas: {@code drop} (fraction), {@code drop-after} (bytes,
     * suffix K, M or G allowed), {@code stall} (fraction), {@code stall-after} (bytes), {@code error} (fraction), {@code unavailable} (fraction), {@code retry-after}
     * (seconds), {@code latency} and {@code expire-sessions} (durations such as {@code 250ms}, {@code 5s},
     * {@code 2m}), {@code seed} (a long), {@code archive-drop}, {@code archive-corrupt}, {@code archive-omit},
     * {@code archive-slip} (fractions of archive downloads), {@code archive-drop-after} (bytes) and {@code route} (a
     * route pattern, see {@link #route(String)}). An empty string means no faults.
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
                    case "drop" -> f.dropRate(Double.parseDouble(value));
                    case "drop-after" -> f.dropAfterBytes(SeedSpec.parseSize(value));
                    case "stall" -> f.stallRate(Double.parseDouble(value));
                    case "stall-after" -> f.stallAfterBytes(SeedSpec.parseSize(value));
                    case "error" -> f.errorRate(Double.parseDouble(value));
                    case "unavailable" -> f.unavailableRate(Double.parseDouble(value));
                    case "retry-after" -> f.retryAfterSeconds(Integer.parseInt(value));
                    case "latency" -> f.latency(parseDuration(value));
                    case "expire-sessions" -> f.expireSessionsEvery(parseDuration(value));
                    case "seed" -> f.seed(Long.parseLong(value));
                    case "archive-drop" -> f.archiveDropRate(Double.parseDouble(value));
                    case "archive-drop-after" -> f.archiveDropAfterBytes(SeedSpec.parseSize(value));
                    case "archive-corrupt" -> f.archiveCorruptRate(Double.parseDouble(value));
                    case "archive-omit" -> f.archiveOmitRate(Double.parseDouble(value));
                    case "archive-slip" -> f.archiveSlipRate(Double.parseDouble(value));
                    case "route" -> f.route(value);
                    default ->
                        throw new IllegalArgumentException("Unknown fault '" + key
                                + "' (known: drop, drop-after, error, unavailable, retry-after, latency, expire-sessions,"
                                + " seed, archive-drop, archive-drop-after, archive-corrupt, archive-omit, archive-slip,"
                                + " route)");
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
        return "FaultSpec[drop=" + dropRate + ", drop-after=" + dropAfterBytes + ", stall=" + stallRate
                + ", stall-after=" + stallAfterBytes + ", error=" + errorRate
                + ", unavailable=" + unavailableRate + ", retry-after=" + retryAfterSeconds + ", latency=" + latency
                + ", expire-sessions=" + expireSessionsEvery + ", seed=" + seed + ", archive-drop=" + archiveDropRate
                + ", archive-drop-after=" + archiveDropAfterBytes + ", archive-corrupt=" + archiveCorruptRate
                + ", archive-omit=" + archiveOmitRate + ", archive-slip=" + archiveSlipRate
                + (route == null ? "" : ", route=" + route) + "]";
    }
}
