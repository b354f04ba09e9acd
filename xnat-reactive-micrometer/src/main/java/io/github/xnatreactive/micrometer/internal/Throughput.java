package io.github.xnatreactive.micrometer.internal;

import io.micrometer.core.instrument.Clock;
import java.util.concurrent.atomic.AtomicLongArray;

/** Bytes per second over the last {@link #SECONDS} whole seconds, in one-second buckets on the registry's clock. */
final class Throughput {
    static final int SECONDS = 10;
    private static final long SECOND = 1_000_000_000L;

    private final Clock clock;
    /** Bucket i holds the bytes of second {@code seconds[i]}. */
    private final AtomicLongArray bytes = new AtomicLongArray(SECONDS + 1);

    private final AtomicLongArray seconds = new AtomicLongArray(SECONDS + 1);

    Throughput(Clock clock) {
        this.clock = clock;
        for (int i = 0; i < seconds.length(); i++) {
            seconds.set(i, -1);
        }
    }

    void add(long n) {
        long now = clock.monotonicTime() / SECOND;
        int i = (int) (now % bytes.length());
        long was = seconds.get(i);
        if (was != now && seconds.compareAndSet(i, was, now)) {
            bytes.set(i, 0);
        }
        bytes.addAndGet(i, n);
    }

    /** The mean over the last whole seconds (the current second, still filling, not counted). */
    double perSecond() {
        long now = clock.monotonicTime() / SECOND;
        long sum = 0;
        for (int i = 0; i < bytes.length(); i++) {
            long s = seconds.get(i);
            if (s < now && s >= now - SECONDS) {
                sum += bytes.get(i);
            }
        }
        return (double) sum / SECONDS;
    }
}
