package io.github.xnatreactive.bulk.internal;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Short local writes that the JVM's exit must not cut in two: a temporary file written and renamed into place (a
 * session's metadata file). A cancelled transfer does not wait for a write already running on a worker thread, and
 * a command line ended by Ctrl-C exits as soon as its transfer is cancelled; without this, an exit between the write
 * and the rename leaves the temporary file behind. A shutdown hook (registered on first use) waits, for a second at
 * most, for the writes in progress, and none starts after it.
 */
final class ShutdownGuard {
    /** The JVM's guard, closed by a shutdown hook. */
    static final ShutdownGuard JVM = new ShutdownGuard(true);

    /** Writes hold it shared; closing takes it exclusively, for good. */
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    private final boolean hookOnUse;
    private volatile boolean hooked;

    ShutdownGuard(boolean hookOnUse) {
        this.hookOnUse = hookOnUse;
    }

    interface Write {
        void run() throws IOException;
    }

    /**
     * Runs {@code write}, which {@link #close} (the JVM's exit) then waits for.
     *
     * @throws IOException from the write, or when the guard is closed (nothing is written then)
     */
    void run(Write write) throws IOException {
        if (hookOnUse && !hooked && !hook()) {
            throw new IOException("not written: the JVM is shutting down");
        }
        if (!lock.readLock().tryLock()) {
            throw new IOException("not written: the JVM is shutting down");
        }
        try {
            write.run();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Waits at most {@code millis} for the writes in progress, and lets no write start after it.
     *
     * @return whether every write in progress ended in time
     */
    boolean close(long millis) throws InterruptedException {
        return lock.writeLock().tryLock(millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Waits at most {@code millis} for the writes in progress to end, without closing: writes may start again after
     * it (what a resident JVM does once it has cancelled a command, before it says the command ended).
     *
     * @return whether every write in progress ended in time
     */
    boolean awaitIdle(long millis) throws InterruptedException {
        if (!lock.writeLock().tryLock(millis, TimeUnit.MILLISECONDS)) {
            return false;
        }
        lock.writeLock().unlock();
        return true;
    }

    /** Registers the shutdown hook; false when the JVM is shutting down already (then no write may start). */
    private synchronized boolean hook() {
        if (hooked) {
            return true;
        }
        Thread t = new Thread(
                () -> {
                    try {
                        close(1_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "xnat-reactive-local-writes");
        try {
            Runtime.getRuntime().addShutdownHook(t);
        } catch (IllegalStateException shuttingDown) {
            // the first write comes while the JVM goes down (a Ctrl-C as a session's last step starts): nothing
            // would wait for it
            return false;
        }
        hooked = true;
        return true;
    }
}
