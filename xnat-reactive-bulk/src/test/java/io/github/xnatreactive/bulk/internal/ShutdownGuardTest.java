package io.github.xnatreactive.bulk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ShutdownGuardTest {
    @Test
    void closingWaitsForTheWriteInProgressAndRefusesTheNextOne() throws Exception {
        ShutdownGuard guard = new ShutdownGuard(false);
        // the exit waits: not while the write is in progress, and once it has ended, before which it had finished
        waitsForTheWriteInProgress(guard, guard::close);
        AtomicBoolean ran = new AtomicBoolean();
        assertThatThrownBy(() -> guard.run(() -> ran.set(true)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("shutting down");
        assertThat(ran).isFalse();
    }

    @Test
    void awaitingIdleWaitsForTheWriteInProgressAndLetsTheNextOneRun() throws Exception {
        ShutdownGuard guard = new ShutdownGuard(false);
        waitsForTheWriteInProgress(guard, guard::awaitIdle);
        // not closed: the next write runs
        AtomicBoolean ran = new AtomicBoolean();
        guard.run(() -> ran.set(true));
        assertThat(ran).isTrue();
    }

    /** A wait of the guard's ({@code close} or {@code awaitIdle}): true when the writes ended within the time. */
    private interface Wait {
        boolean upTo(long millis) throws InterruptedException;
    }

    /**
     * With a write in progress, {@code wait} gives up after 50 ms; a longer one returns true once the write has ended,
     * and not before it finished.
     */
    private static void waitsForTheWriteInProgress(ShutdownGuard guard, Wait wait) throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        CompletableFuture<Void> write = blockedWrite(guard, writing, finish, finished);
        assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(wait.upTo(50)).isFalse();
        CompletableFuture<Boolean> waited = CompletableFuture.supplyAsync(() -> {
            try {
                return wait.upTo(10_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        finish.countDown();
        assertThat(waited.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(finished).isTrue();
        write.get(10, TimeUnit.SECONDS);
    }

    /** A write that has started ({@code writing}) and ends ({@code finished}) once {@code finish} opens. */
    private static CompletableFuture<Void> blockedWrite(
            ShutdownGuard guard, CountDownLatch writing, CountDownLatch finish, AtomicBoolean finished) {
        return CompletableFuture.runAsync(() -> {
            try {
                guard.run(() -> {
                    writing.countDown();
                    try {
                        finish.await();
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                    finished.set(true);
                });
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
