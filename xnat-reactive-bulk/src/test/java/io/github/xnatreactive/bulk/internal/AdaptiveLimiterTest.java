package io.github.xnatreactive.bulk.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

class AdaptiveLimiterTest {
    static final long COOL_DOWN = 1_000;
    final AtomicLong now = new AtomicLong(5_000);

    AdaptiveLimiter limiter(int max, boolean adaptive) {
        return new AdaptiveLimiter(max, adaptive, COOL_DOWN, now::get);
    }

    @Test
    void halvesOnPressureAtMostOncePerCoolDown() {
        AdaptiveLimiter l = limiter(16, true);
        assertThat(l.limit()).isEqualTo(16);
        l.pressure();
        assertThat(l.limit()).isEqualTo(8);
        l.pressure();
        now.addAndGet(COOL_DOWN - 1);
        l.pressure();
        assertThat(l.limit()).as("within the cool-down").isEqualTo(8);
        now.addAndGet(1);
        l.pressure();
        assertThat(l.limit()).isEqualTo(4);
        for (int i = 0; i < 5; i++) {
            now.addAndGet(COOL_DOWN);
            l.pressure();
        }
        assertThat(l.limit()).as("never below one").isEqualTo(1);
    }

    @Test
    void growsByOneAfterALimitsWorthOfSuccessesAndNeverAboveMax() {
        AdaptiveLimiter l = limiter(6, true);
        l.pressure();
        assertThat(l.limit()).isEqualTo(3);
        l.success();
        l.success();
        assertThat(l.limit()).isEqualTo(3);
        l.success();
        assertThat(l.limit()).isEqualTo(4);
        for (int i = 0; i < 3; i++) {
            l.success();
        }
        assertThat(l.limit()).as("4 successes needed at limit 4").isEqualTo(4);
        l.success();
        assertThat(l.limit()).isEqualTo(5);
        for (int i = 0; i < 100; i++) {
            l.success();
        }
        assertThat(l.limit()).isEqualTo(6);
    }

    @Test
    void pressureRestartsTheCountOfSuccesses() {
        AdaptiveLimiter l = limiter(8, true);
        l.pressure(); // 4
        l.success();
        l.success();
        l.success();
        now.addAndGet(COOL_DOWN);
        l.pressure(); // 2
        l.success();
        assertThat(l.limit()).isEqualTo(2);
        l.success();
        assertThat(l.limit()).isEqualTo(3);
    }

    @Test
    void withoutAdaptationTheLimitStaysAtMax() {
        AdaptiveLimiter l = limiter(5, false);
        l.pressure();
        assertThat(l.limit()).isEqualTo(5);
        for (int i = 0; i < 20; i++) {
            l.success();
        }
        assertThat(l.limit()).isEqualTo(5);
    }

    @Test
    void permitsAreReleasedOnCompletionErrorAndCancel() {
        AdaptiveLimiter l = limiter(2, false);
        AtomicInteger started = new AtomicInteger();
        List<Sinks.One<String>> works = new ArrayList<>();
        List<Disposable> running = new ArrayList<>();
        List<String> results = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Sinks.One<String> w = Sinks.one();
            works.add(w);
            running.add(l.run(Mono.defer(() -> {
                        started.incrementAndGet();
                        return w.asMono();
                    }))
                    .subscribe(results::add, errors::add));
        }
        assertThat(started).hasValue(2);
        assertThat(l.inUse()).isEqualTo(2);

        works.get(0).tryEmitValue("done");
        assertThat(results).containsExactly("done");
        assertThat(started).as("a completed work frees its permit").hasValue(3);
        assertThat(l.inUse()).isEqualTo(2);

        works.get(1).tryEmitError(new IllegalStateException("boom"));
        assertThat(errors).hasSize(1);
        assertThat(started).as("a failed work frees its permit").hasValue(4);
        assertThat(l.inUse()).isEqualTo(2);

        running.get(2).dispose();
        assertThat(started).as("a cancelled work frees its permit").hasValue(5);
        assertThat(l.inUse()).isEqualTo(2);

        works.get(3).tryEmitValue("three");
        works.get(4).tryEmitValue("four");
        assertThat(l.inUse()).isZero();
    }

    @Test
    void aCancelledWaiterTakesNoPermit() {
        AdaptiveLimiter l = limiter(1, false);
        Sinks.One<String> first = Sinks.one();
        AtomicInteger started = new AtomicInteger();
        l.run(first.asMono()).subscribe();
        Disposable waiter = l.run(Mono.fromRunnable(started::incrementAndGet)).subscribe();
        assertThat(l.inUse()).isEqualTo(1);
        waiter.dispose();
        first.tryEmitValue("x");
        assertThat(started).as("the cancelled waiter never ran").hasValue(0);
        assertThat(l.inUse()).isZero();

        Disposable next = l.run(Mono.fromRunnable(started::incrementAndGet)).subscribe();
        assertThat(started).hasValue(1);
        assertThat(l.inUse()).isZero();
        next.dispose();
    }

    @Test
    void aGrowingLimitLetsAWaiterIn() {
        AdaptiveLimiter l = limiter(2, true);
        l.pressure(); // 1
        Sinks.One<String> first = Sinks.one();
        AtomicInteger started = new AtomicInteger();
        l.run(first.asMono()).subscribe();
        l.run(Mono.fromRunnable(started::incrementAndGet).then(Mono.never())).subscribe();
        assertThat(started).hasValue(0);
        l.success(); // one success at limit 1: the limit grows to 2
        assertThat(l.limit()).isEqualTo(2);
        assertThat(started).hasValue(1);
        assertThat(l.inUse()).isEqualTo(2);
    }

    @Test
    void aShrunkLimitAppliesToNewWorkOnly() {
        AdaptiveLimiter l = limiter(4, true);
        List<Sinks.One<String>> works = new ArrayList<>();
        AtomicInteger started = new AtomicInteger();
        for (int i = 0; i < 6; i++) {
            Sinks.One<String> w = Sinks.one();
            works.add(w);
            l.run(Mono.defer(() -> {
                        started.incrementAndGet();
                        return w.asMono();
                    }))
                    .subscribe();
        }
        assertThat(started).hasValue(4);
        l.pressure(); // 2, with 4 in use
        works.get(0).tryEmitValue("a");
        works.get(1).tryEmitValue("b");
        assertThat(started)
                .as("3 and then 2 in use: still at or above the limit")
                .hasValue(4);
        works.get(2).tryEmitValue("c");
        assertThat(started).hasValue(5);
        assertThat(l.inUse()).isEqualTo(2);
    }

    AdaptiveLimiter growing(int initial, int max) {
        return new AdaptiveLimiter(initial, max, true, COOL_DOWN, now::get);
    }

    /** Feeds {@code n} successes of {@code latencyMillis} each. */
    static void successes(AdaptiveLimiter l, int n, long latencyMillis) {
        for (int i = 0; i < n; i++) {
            l.success(latencyMillis * 1_000_000);
        }
    }

    @Test
    void growsPastItsStartToTheCapWhileLatencyStaysFlat() {
        AdaptiveLimiter l = growing(8, 64);
        assertThat(l.limit()).isEqualTo(8);
        successes(l, 200, 20); // a latency-bound server: every request takes 20 ms however many run at once
        assertThat(l.limit()).as("grown past the start").isGreaterThan(16);
        successes(l, 5_000, 20);
        assertThat(l.limit()).as("never past the cap").isEqualTo(64);
    }

    @Test
    void stopsGrowingAndShrinksWhenLatencyRises() {
        AdaptiveLimiter l = growing(8, 64);
        successes(l, 300, 20);
        int grown = l.limit();
        assertThat(grown).isGreaterThan(8);
        // the server starts to queue: each request now takes three times as long
        successes(l, 40, 60);
        int afterRise = l.limit();
        assertThat(afterRise).as("no growth while latency is high").isLessThanOrEqualTo(grown);
        successes(l, 2_000, 60);
        assertThat(l.limit()).as("shrinks while requests queue").isLessThan(afterRise);
        assertThat(l.limit()).isPositive();
    }

    @Test
    void moderateJitterNeitherGrowsNorShrinksIt() {
        AdaptiveLimiter l = growing(8, 64);
        successes(l, 1, 20);
        // once the average settles between 1.5x and 2x the best latency seen: hold
        successes(l, 100, 35);
        int settled = l.limit();
        assertThat(settled).isLessThanOrEqualTo(9);
        successes(l, 500, 35);
        assertThat(l.limit()).isEqualTo(settled);
    }

    @Test
    void pushBackHalvesAGrownLimit() {
        AdaptiveLimiter l = growing(8, 64);
        successes(l, 5_000, 20);
        assertThat(l.limit()).isEqualTo(64);
        l.pressure(); // a 503, 429 or timeout
        assertThat(l.limit()).isEqualTo(32);
        now.addAndGet(COOL_DOWN);
        l.pressure();
        assertThat(l.limit()).isEqualTo(16);
    }

    @Test
    void withoutAdaptationItStaysAtItsStart() {
        AdaptiveLimiter l = new AdaptiveLimiter(8, 64, false, COOL_DOWN, now::get);
        successes(l, 1_000, 20);
        l.pressure();
        assertThat(l.limit()).isEqualTo(8);
    }
}
