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
        if (s.errorRate() <= 0 && s.unavailableRate() <= 0) {
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
        if (s.dropRate() <= 0) {
            return false;
        }
        boolean hit = draw(s.seed(), "drop", "GET", path) < s.dropRate();
        if (hit) {
            injected.incrementAndGet();
        }
        return hit;
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
