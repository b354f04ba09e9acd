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
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        CompletableFuture<Void> write = blockedWrite(guard, writing, finish, finished);
        assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
        // the exit waits: not while the write is in progress...
        assertThat(guard.close(50)).isFalse();
        CompletableFuture<Boolean> closed = CompletableFuture.supplyAsync(() -> {
            try {
                return guard.close(10_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        finish.countDown();
        // ...and once it has ended, before which it had finished
        assertThat(closed.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(finished).isTrue();
        write.get(10, TimeUnit.SECONDS);
        AtomicBoolean ran = new AtomicBoolean();
        assertThatThrownBy(() -> guard.run(() -> ran.set(true)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("shutting down");
        assertThat(ran).isFalse();
    }

    @Test
    void awaitingIdleWaitsForTheWriteInProgressAndLetsTheNextOneRun() throws Exception {
        ShutdownGuard guard = new ShutdownGuard(false);
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        CompletableFuture<Void> write = blockedWrite(guard, writing, finish, finished);
        assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(guard.awaitIdle(50)).isFalse();
        CompletableFuture<Boolean> idle = CompletableFuture.supplyAsync(() -> {
            try {
                return guard.awaitIdle(10_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        finish.countDown();
        assertThat(idle.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(finished).isTrue();
        write.get(10, TimeUnit.SECONDS);
        // not closed: the next write runs
        AtomicBoolean ran = new AtomicBoolean();
        guard.run(() -> ran.set(true));
        assertThat(ran).isTrue();
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
