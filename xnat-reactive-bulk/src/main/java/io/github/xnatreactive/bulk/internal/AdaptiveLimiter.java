package io.github.xnatreactive.bulk.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * A non-blocking semaphore whose limit adapts (AIMD): it halves when the server pushes back (503, 429, timeouts;
 * at most once per {@code coolDown}) and grows by one after a limit's worth of successes in a row, never above the
 * maximum. With adaptation off it is a plain semaphore of {@code max} permits.
 */
public final class AdaptiveLimiter {
    private final int max;
    private final boolean adaptive;
    private final long coolDownNanos;
    private final LongSupplier clock;
    private final Deque<MonoSink<Boolean>> waiters = new ArrayDeque<>();
    private int limit;
    private int inUse;
    private int successes;
    private long lastDecrease = Long.MIN_VALUE / 2;

    public AdaptiveLimiter(int max, boolean adaptive) {
        this(max, adaptive, 1_000_000_000L, System::nanoTime);
    }

    AdaptiveLimiter(int max, boolean adaptive, long coolDownNanos, LongSupplier clock) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1");
        }
        this.max = max;
        this.adaptive = adaptive;
        this.limit = max;
        this.coolDownNanos = coolDownNanos;
        this.clock = clock;
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
        if (!adaptive) {
            return;
        }
        MonoSink<Boolean> next = null;
        synchronized (this) {
            if (++successes >= limit && limit < max) {
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
