package io.github.xnatreactive.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Keeps every event a client reports, for tests to count and wait for (instead of matching log text). */
final class RecordingListener implements XnatEventListener {
    final List<Object> events = new CopyOnWriteArrayList<>();

    @Override
    public void requestStarted(RequestStarted e) {
        add(e);
    }

    @Override
    public void responseReceived(ResponseReceived e) {
        add(e);
    }

    @Override
    public void requestFailed(RequestFailed e) {
        add(e);
    }

    @Override
    public void retryScheduled(RetryScheduled e) {
        add(e);
    }

    private synchronized void add(Object e) {
        events.add(e);
        notifyAll();
    }

    <E> List<E> of(Class<E> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <E> long count(Class<E> type, Predicate<E> p) {
        return of(type).stream().filter(p).count();
    }

    List<RetryScheduled> retries() {
        return of(RetryScheduled.class);
    }

    /** Waits until {@code n} events of the type match (a signal, not a duration: the limit only stops a hang). */
    synchronized <E> void await(Class<E> type, Predicate<E> p, long n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (count(type, p) < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("waited in vain for " + n + " " + type.getSimpleName() + ": " + events);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }
}
