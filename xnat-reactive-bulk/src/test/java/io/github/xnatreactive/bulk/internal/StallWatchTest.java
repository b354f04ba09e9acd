package io.github.xnatreactive.bulk.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.scheduler.VirtualTimeScheduler;

/** One ticker for all attempts of a job, on virtual time: what it fails, what it lets run, and that it stops. */
class StallWatchTest {
    final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    final StallWatch watch = new StallWatch(Duration.ofSeconds(4), 100, time);

    @AfterEach
    void dispose() {
        time.dispose();
    }

    /** An attempt that never ends unless told to, watched; its outcome lands in {@code outcome}. */
    Sinks.Empty<Void> watched(AtomicLong moved, AtomicReference<Object> outcome, AtomicBoolean cancelled) {
        Sinks.Empty<Void> done = Sinks.empty();
        Mono<Void> attempt = done.asMono().doOnCancel(() -> cancelled.set(true));
        Disposable unused = watch.guard(attempt, moved, () -> new TimeoutException("stalled"))
                .subscribe(v -> {}, outcome::set, () -> outcome.set("completed"));
        return done;
    }

    @Test
    void anAttemptThatMovesNothingFailsAfterOneWindowAndAQuarterAtMostAndIsCancelled() {
        AtomicReference<Object> outcome = new AtomicReference<>();
        AtomicBoolean cancelled = new AtomicBoolean();
        watched(new AtomicLong(), outcome, cancelled);
        time.advanceTimeBy(Duration.ofMillis(3_999));
        assertThat(outcome.get()).as("before a whole window").isNull();
        time.advanceTimeBy(Duration.ofMillis(1_001));
        assertThat(outcome.get()).isInstanceOf(TimeoutException.class);
        assertThat(cancelled).isTrue();
        assertThat(watch.watching()).isZero();
    }

    @Test
    void anAttemptThatKeepsMovingIsNeverFailedAndOneThatSlowsDownIs() {
        AtomicLong moved = new AtomicLong();
        AtomicReference<Object> outcome = new AtomicReference<>();
        AtomicBoolean cancelled = new AtomicBoolean();
        watched(moved, outcome, cancelled);
        for (int s = 0; s < 60; s++) {
            moved.addAndGet(30); // 120 bytes in every 4 s window
            time.advanceTimeBy(Duration.ofSeconds(1));
        }
        assertThat(outcome.get()).isNull();
        moved.addAndGet(10); // then too little: caught within a window and a quarter of the last good check
        time.advanceTimeBy(Duration.ofSeconds(5));
        assertThat(outcome.get()).isInstanceOf(TimeoutException.class);
    }

    @Test
    void aFinishedAttemptLeavesTheWatchAndTheTickerStopsOnceNothingIsWatched() {
        AtomicReference<Object> first = new AtomicReference<>();
        AtomicReference<Object> second = new AtomicReference<>();
        AtomicBoolean cancelled = new AtomicBoolean();
        Sinks.Empty<Void> a = watched(new AtomicLong(), first, cancelled);
        Sinks.Empty<Void> b = watched(new AtomicLong(), second, cancelled);
        assertThat(watch.watching()).isEqualTo(2);
        assertThat(watch.ticking()).isTrue();
        a.tryEmitEmpty();
        b.tryEmitEmpty();
        assertThat(first.get()).isEqualTo("completed");
        assertThat(second.get()).isEqualTo("completed");
        assertThat(watch.watching()).isZero();
        time.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(watch.ticking())
                .as("no tick pending once nothing is watched")
                .isFalse();
        time.advanceTimeBy(Duration.ofMinutes(1));
        assertThat(cancelled).isFalse();

        // a later attempt starts the ticker again, and is failed in time
        AtomicReference<Object> third = new AtomicReference<>();
        watched(new AtomicLong(), third, cancelled);
        assertThat(watch.ticking()).isTrue();
        time.advanceTimeBy(Duration.ofSeconds(5));
        assertThat(third.get()).isInstanceOf(TimeoutException.class);
    }
}
