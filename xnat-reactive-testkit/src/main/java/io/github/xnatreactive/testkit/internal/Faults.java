package io.github.xnatreactive.testkit.internal;

import io.github.xnatreactive.testkit.FaultSpec;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Decides, reproducibly from the seed, which requests the server fails and how. */
public final class Faults {
    private final AtomicReference<FaultSpec> spec;
    private final ConcurrentHashMap<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private final AtomicLong injected = new AtomicLong();

    public Faults(FaultSpec spec) {
        this.spec = new AtomicReference<>(spec);
    }

    public FaultSpec spec() {
        return spec.get();
    }

    public void set(FaultSpec s) {
        spec.set(s);
        counters.clear();
    }

    /** How many faults were injected so far. */
    public long injected() {
        return injected.get();
    }

    /** What to do to a request before handling it. */
    public enum Kind {
        NONE,
        ERROR,
        UNAVAILABLE
    }

    public Kind before(String method, String path) {
        FaultSpec s = spec.get();
        if ((s.errorRate() <= 0 && s.unavailableRate() <= 0) || !s.appliesTo(pathOf(path))) {
            return Kind.NONE;
        }
        double u = draw(s.seed(), "status", method, path);
        if (u < s.unavailableRate()) {
            injected.incrementAndGet();
            return Kind.UNAVAILABLE;
        }
        if (u < s.unavailableRate() + s.errorRate()) {
            injected.incrementAndGet();
            return Kind.ERROR;
        }
        return Kind.NONE;
    }

    /** Whether to cut this file download short after {@link FaultSpec#dropAfterBytes()} bytes. */
    public boolean drop(String path) {
        FaultSpec s = spec.get();
        if (s.dropRate() <= 0 || !s.appliesTo(pathOf(path))) {
            return false;
        }
        boolean hit = draw(s.seed(), "drop", "GET", path) < s.dropRate();
        if (hit) {
            injected.incrementAndGet();
        }
        return hit;
    }

    /** Whether to stall this file download after {@link FaultSpec#stallAfterBytes()} bytes. */
    public boolean stall(String path) {
        FaultSpec s = spec.get();
        if (s.stallRate() <= 0 || !s.appliesTo(pathOf(path))) {
            return false;
        }
        boolean hit = draw(s.seed(), "stall", "GET", path) < s.stallRate();
        if (hit) {
            injected.incrementAndGet();
        }
        return hit;
    }

    /** The delay before handling a request to this path (zero when none applies). */
    public java.time.Duration latency(String path) {
        FaultSpec s = spec.get();
        return s.latency().isZero() || !s.appliesTo(pathOf(path)) ? java.time.Duration.ZERO : s.latency();
    }

    /**
     * What to do to one archive download of {@code entries} entries: each field is -1 when that fault does not hit.
     *
     * @param omit index of the entry to leave out
     * @param corrupt index of the entry whose bytes are flipped
     * @param slip position at which an entry {@code ../evil} is added
     * @param dropAfter bytes of the archive after which the connection is closed
     */
    public record ArchiveFaults(int omit, int corrupt, int slip, long dropAfter) {
        static final ArchiveFaults NONE = new ArchiveFaults(-1, -1, -1, -1);
    }

    /** Decides the archive faults of one download of {@code uri} (path and query) with this many entries. */
    public ArchiveFaults archive(String uri, int entries) {
        FaultSpec s = spec.get();
        if (!s.appliesTo(pathOf(uri))
                || (s.archiveOmitRate() <= 0
                        && s.archiveCorruptRate() <= 0
                        && s.archiveSlipRate() <= 0
                        && s.archiveDropRate() <= 0)) {
            return ArchiveFaults.NONE;
        }
        int omit = pick(s, "archive-omit", s.archiveOmitRate(), uri, entries);
        int corrupt = pick(s, "archive-corrupt", s.archiveCorruptRate(), uri, entries);
        int slip = pick(s, "archive-slip", s.archiveSlipRate(), uri, entries + 1);
        long dropAfter = -1;
        if (s.archiveDropRate() > 0 && draw(s.seed(), "archive-drop", "GET", uri) < s.archiveDropRate()) {
            injected.incrementAndGet();
            dropAfter = s.archiveDropAfterBytes();
        }
        return new ArchiveFaults(omit, corrupt, slip, dropAfter);
    }

    private int pick(FaultSpec s, String kind, double rate, String uri, int n) {
        if (rate <= 0 || n <= 0 || draw(s.seed(), kind, "GET", uri) >= rate) {
            return -1;
        }
        injected.incrementAndGet();
        return (int) Math.min(n - 1, (long) (draw(s.seed(), kind + "-which", "GET", uri) * n));
    }

    /** The {@code /data} form of a request URI's path. */
    private static String pathOf(String uri) {
        int q = uri.indexOf('?');
        return PathPattern.normalize(q < 0 ? uri : uri.substring(0, q));
    }

    private double draw(long seed, String kind, String method, String path) {
        String key = kind + ' ' + method + ' ' + path;
        long n = counters.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
        long h = mix(seed ^ mix(key.hashCode() * 0x9E3779B97F4A7C15L + n));
        return (h >>> 11) * 0x1.0p-53;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
