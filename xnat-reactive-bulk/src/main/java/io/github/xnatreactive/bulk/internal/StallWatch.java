package io.github.xnatreactive.bulk.internal;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;

/**
 * The stall deadline of a job's attempts, kept by one ticker for all of them: an attempt that moves fewer than
 * {@code minBytes} in a window fails with the error it was watched with.
 *
 * <p>An attempt costs an entry in a set, not a timer of its own. A timer per attempt meant a periodic task
 * scheduled and cancelled for every file; the cancel, on the event loop that completed the file, takes the
 * scheduler queue's lock, which BlockHound reports as a blocking call when it is contended, and the error it
 * throws there lost the file's completion (the job hung). The ticker here is a chain of one-shot tasks, each
 * scheduling the next while anything is watched: no task is ever cancelled, and none is pending once nothing is.
 *
 * <p>Each attempt is checked once a full window has passed since it started or was last checked, at ticks a
 * quarter of a window apart, so a stall is caught between one window and a window and a quarter after progress
 * stopped.
 */
final class StallWatch {
    private final Scheduler scheduler;
    private final long windowNanos;
    private final long tickNanos;
    private final long minBytes;
    private final Set<Watched> watched = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean ticking = new AtomicBoolean();

    StallWatch(Duration window, long minBytes, Scheduler scheduler) {
        this.scheduler = scheduler;
        this.windowNanos = window.toNanos();
        this.tickNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1), windowNanos / 4);
        this.minBytes = minBytes;
    }

    private static final class Watched {
        final AtomicLong moved;
        final Supplier<Throwable> stalled;
        final MonoSink<Void> sink;
        /** Read and written by the ticker only (one tick at a time), after the set published the entry. */
        long seen;

        long windowStart;

        Watched(AtomicLong moved, Supplier<Throwable> stalled, MonoSink<Void> sink, long now) {
            this.moved = moved;
            this.stalled = stalled;
            this.sink = sink;
            this.seen = moved.get();
            this.windowStart = now;
        }
    }

    /**
     * The attempt, failed with {@code stalled}'s error (and so cancelled) when {@code moved} grows by fewer than the
     * minimum in one of its windows.
     */
    Mono<Void> guard(Mono<Void> attempt, AtomicLong moved, Supplier<Throwable> stalled) {
        Mono<Void> deadline = Mono.create(sink -> {
            Watched w = new Watched(moved, stalled, sink, scheduler.now(TimeUnit.NANOSECONDS));
            sink.onDispose(() -> watched.remove(w));
            watched.add(w);
            startTicking();
        });
        return Mono.firstWithSignal(attempt, deadline);
    }

    /** The attempts being watched now. */
    int watching() {
        return watched.size();
    }

    /** Whether a tick is pending or running. */
    boolean ticking() {
        return ticking.get();
    }

    private void startTicking() {
        if (ticking.compareAndSet(false, true)) {
            scheduler.schedule(this::tick, tickNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void tick() {
        long now = scheduler.now(TimeUnit.NANOSECONDS);
        for (Watched w : watched) {
            if (now - w.windowStart < windowNanos) {
                continue;
            }
            long m = w.moved.get();
            if (m - w.seen < minBytes) {
                watched.remove(w);
                w.sink.error(w.stalled.get());
            } else {
                w.seen = m;
                w.windowStart = now;
            }
        }
        if (!watched.isEmpty()) {
            scheduler.schedule(this::tick, tickNanos, TimeUnit.NANOSECONDS);
            return;
        }
        ticking.set(false);
        // an attempt that started while this tick ended finds the ticker stopped, or is seen here
        if (!watched.isEmpty()) {
            startTicking();
        }
    }
}
