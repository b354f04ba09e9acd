package io.github.xnatreactive.bulk.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * A non-blocking semaphore whose limit adapts to find the server's limit. It halves when the server pushes back
 * (503, 429, timeouts; at most once per {@code coolDown}); it grows by one after a limit's worth of successes in a
 * row while the latency of transfers stays near the best seen (the server is healthy and the job latency-bound),
 * up to the maximum; and it shrinks by one (at most once per limit's worth of samples) when the latency's moving
 * average rises well above that baseline (requests queue at the server: more at once would only wait longer). With
 * adaptation off it is a plain semaphore of its initial permits.
 */
public final class AdaptiveLimiter {
    /** Latency average above this many times the baseline: requests are queueing, shrink. */
    static final double QUEUEING = 2.0;
    /** Latency average below this many times the baseline: healthy, growth allowed. */
    static final double HEALTHY = 1.5;
    /** Weight of a new sample in the latency's moving average. */
    static final double EWMA_WEIGHT = 0.1;
    /**
     * The baseline (best latency seen) rises by this factor per sample, so that a server whose normal latency
     * changes is followed within some thousands of transfers, while a burst of queueing is still seen as such.
     */
    static final double BASELINE_DRIFT = 1.0001;

    private final int max;
    private final boolean adaptive;
    private final long coolDownNanos;
    private final LongSupplier clock;
    private final Deque<MonoSink<Boolean>> waiters = new ArrayDeque<>();
    private int limit;
    private int inUse;
    private int successes;
    private long lastDecrease = Long.MIN_VALUE / 2;
    private double ewma = -1;
    private double baseline = -1;
    private int samplesSinceShrink;

    AdaptiveLimiter(int max, boolean adaptive, long coolDownNanos, LongSupplier clock) {
        this(max, max, adaptive, coolDownNanos, clock);
    }

    AdaptiveLimiter(int initial, int max, boolean adaptive, long coolDownNanos, LongSupplier clock) {
        if (initial < 1 || max < initial) {
            throw new IllegalArgumentException("need 1 <= initial <= max");
        }
        this.max = adaptive ? max : initial;
        this.adaptive = adaptive;
        this.limit = initial;
        this.coolDownNanos = coolDownNanos;
        this.clock = clock;
    }

    /**
     * Starts at {@code initial} permits; adapts between 1 and {@code max} when {@code adaptive}, reading the time in
     * nanoseconds from {@code clock} (the client's scheduler, so that tests can run it on virtual time).
     */
    public static AdaptiveLimiter forTransfers(int initial, int max, boolean adaptive, LongSupplier clock) {
        return new AdaptiveLimiter(initial, Math.max(initial, max), adaptive, 1_000_000_000L, clock);
    }

    /** Runs {@code work} when a permit is free, releasing it when the work ends however it ends. */
    public <T> Mono<T> run(Mono<T> work) {
        return Mono.usingWhen(acquire(), p -> work, p -> release(), (p, e) -> release(), p -> release());
    }

    Mono<Boolean> acquire() {
        return Mono.create(sink -> {
            boolean granted;
            synchronized (this) {
                granted = inUse < limit;
                if (granted) {
                    inUse++;
                } else {
                    waiters.addLast(sink);
                }
            }
            if (granted) {
                sink.success(Boolean.TRUE);
            } else {
                sink.onCancel(() -> {
                    boolean removed;
                    synchronized (this) {
                        removed = waiters.remove(sink);
                    }
                    if (!removed) {
                        // granted concurrently with the cancel: give the permit back
                        release().subscribe();
                    }
                });
            }
        });
    }

    Mono<Void> release() {
        return Mono.fromRunnable(() -> {
            MonoSink<Boolean> next = null;
            synchronized (this) {
                inUse--;
                if (inUse < limit && !waiters.isEmpty()) {
                    next = waiters.pollFirst();
                    inUse++;
                }
            }
            if (next != null) {
                next.success(Boolean.TRUE);
            }
        });
    }

    /** The server pushed back: halve the limit (once per cool-down). */
    public void pressure() {
        if (!adaptive) {
            return;
        }
        synchronized (this) {
            long now = clock.getAsLong();
            if (now - lastDecrease >= coolDownNanos) {
                limit = Math.max(1, limit / 2);
                lastDecrease = now;
                successes = 0;
            }
        }
    }

    /** A transfer went well: after a limit's worth of them in a row, allow one more at once. */
    public void success() {
        success(-1);
    }

    /**
     * A transfer went well in {@code latencyNanos} (negative: unknown). Grows after a limit's worth of successes
     * while latency is near the baseline; shrinks by one when the latency average shows requests queueing.
     */
    public void success(long latencyNanos) {
        if (!adaptive) {
            return;
        }
        MonoSink<Boolean> next = null;
        synchronized (this) {
            boolean grow = true;
            if (latencyNanos >= 0) {
                ewma = ewma < 0 ? latencyNanos : ewma + EWMA_WEIGHT * (latencyNanos - ewma);
                // the baseline follows new lows at once and drifts up slowly, so that it tracks a changing server
                baseline = baseline < 0 || latencyNanos < baseline ? latencyNanos : baseline * BASELINE_DRIFT;
                samplesSinceShrink++;
                if (ewma > baseline * QUEUEING) {
                    grow = false;
                    if (samplesSinceShrink >= limit && limit > 1) {
                        limit--;
                        samplesSinceShrink = 0;
                        successes = 0;
                    }
                } else if (ewma > baseline * HEALTHY) {
                    grow = false;
                }
            }
            if (grow && ++successes >= limit && limit < max) {
                limit++;
                successes = 0;
                if (inUse < limit && !waiters.isEmpty()) {
                    next = waiters.pollFirst();
                    inUse++;
                }
            }
        }
        if (next != null) {
            next.success(Boolean.TRUE);
        }
    }

    public synchronized int limit() {
        return limit;
    }

    public synchronized int inUse() {
        return inUse;
    }
}
