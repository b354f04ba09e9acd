package io.github.xnatreactive.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.NotificationEmitter;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import reactor.core.publisher.Hooks;
import reactor.core.scheduler.Schedulers;

/**
 * Ends the process at once, with a message and exit code {@link Cli#ERROR}, on a fatal error (out of memory, a
 * stack overflow, a class that cannot be loaded) in any thread. Without this, an {@link OutOfMemoryError} in a Netty
 * event loop is logged and swallowed there while the main thread waits forever for a reply that never comes. Fatal
 * errors reach us four ways: uncaught in a thread, handled by a Reactor scheduler, dropped by a Reactor operator, or
 * logged by Netty (which catches everything its tasks throw); a heap left 98% full by three collections within 10
 * seconds counts too, as the JVM can spend minutes collecting before it throws. Halting skips shutdown hooks, which cannot
 * run reliably without memory.
 */
final class Fatal {
    /** Heap use after a collection, as a fraction of the old generation, that counts as full. */
    static final double FULL_AFTER_GC = 0.98;
    /** How many collections leaving the heap full, within {@link #FULL_SPAN_NANOS}, count as out of memory. */
    static final int FULL_COLLECTIONS = 3;

    static final long FULL_SPAN_NANOS = 10_000_000_000L;

    private static final AtomicBoolean DYING = new AtomicBoolean();
    /** Freed when dying, so that printing the message has room. */
    @SuppressWarnings("unused")
    private static volatile byte[] reserve = new byte[1 << 20];

    private static volatile PrintStream err = System.err;

    private Fatal() {}

    static void install(PrintStream stderr) {
        err = stderr;
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            if (isFatal(e)) {
                die(t.getName(), e);
            } else if (previous != null) {
                previous.uncaughtException(t, e);
            } else {
                stderr.println("xnat-reactive: unexpected error in thread " + t.getName() + ": " + e);
            }
        });
        Schedulers.onHandleError(Fatal.class.getName(), (t, e) -> {
            if (isFatal(e)) {
                die(t.getName(), e);
            }
        });
        Hooks.onErrorDropped(e -> {
            if (isFatal(e)) {
                die(Thread.currentThread().getName(), e);
            } else {
                LoggerFactory.getLogger(Fatal.class).warn("error after the end of its operation: {}", e.toString());
            }
        });
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
            logback.addTurboFilter(new FatalInLog());
        }
        watchHeap();
    }

    /** Netty logs what its tasks and pipelines throw ("A task raised an exception"): a fatal one ends us. */
    static final class FatalInLog extends TurboFilter {
        @Override
        public FilterReply decide(
                Marker marker,
                ch.qos.logback.classic.Logger logger,
                Level level,
                String format,
                Object[] params,
                Throwable t) {
            Throwable thrown = t;
            if (thrown == null
                    && params != null
                    && params.length > 0
                    && params[params.length - 1] instanceof Throwable p) {
                thrown = p;
            }
            if (thrown != null && isFatal(thrown)) {
                die(Thread.currentThread().getName(), thrown);
            }
            return FilterReply.NEUTRAL;
        }
    }

    private static void watchHeap() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            long max = pool.getUsage() == null ? -1 : pool.getUsage().getMax();
            if (pool.getType() == MemoryType.HEAP && pool.isCollectionUsageThresholdSupported() && max > 0) {
                pool.setCollectionUsageThreshold((long) (max * FULL_AFTER_GC));
            }
        }
        java.util.ArrayDeque<Long> fullAt = new java.util.ArrayDeque<>();
        if (ManagementFactory.getMemoryMXBean() instanceof NotificationEmitter emitter) {
            emitter.addNotificationListener(
                    (n, handback) -> {
                        if (MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED.equals(n.getType())
                                && repeatedlyFull(fullAt, System.nanoTime())) {
                            die(
                                    Thread.currentThread().getName(),
                                    new OutOfMemoryError("the heap is still full after garbage collection"));
                        }
                    },
                    null,
                    null);
        }
    }

    /** Whether the heap was found full {@link #FULL_COLLECTIONS} times within {@link #FULL_SPAN_NANOS}. */
    static synchronized boolean repeatedlyFull(java.util.ArrayDeque<Long> fullAt, long now) {
        fullAt.addLast(now);
        while (now - fullAt.peekFirst() > FULL_SPAN_NANOS) {
            fullAt.removeFirst();
        }
        return fullAt.size() >= FULL_COLLECTIONS;
    }

    static boolean isFatal(Throwable e) {
        int depth = 0;
        for (Throwable c = e; c != null && depth < 32; c = c.getCause(), depth++) {
            if (c instanceof VirtualMachineError || c instanceof LinkageError) {
                return true;
            }
            for (Throwable s : c.getSuppressed()) {
                if (s instanceof VirtualMachineError) {
                    return true;
                }
            }
        }
        return false;
    }

    static void die(String thread, Throwable e) {
        if (!DYING.compareAndSet(false, true)) {
            return; // another thread is halting the process already
        }
        reserve = null;
        try {
            err.println();
            err.println(message(thread, e));
            err.flush();
        } catch (Throwable ignored) {
            // no memory even to print: the exit code still tells
        }
        Runtime.getRuntime().halt(Cli.ERROR);
    }

    static String message(String thread, Throwable e) {
        Throwable fatal = e;
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof VirtualMachineError || c instanceof LinkageError) {
                fatal = c;
                break;
            }
        }
        if (fatal instanceof OutOfMemoryError) {
            return "xnat-reactive: out of memory (" + fatal.getMessage() + ", in thread " + thread + "); stopped."
                    + " Give Java more memory (java -Xmx2g -jar xnat-reactive.jar ...) or ask for less at once.";
        }
        return "xnat-reactive: fatal error in thread " + thread + ": " + fatal + "; stopped.";
    }
}
