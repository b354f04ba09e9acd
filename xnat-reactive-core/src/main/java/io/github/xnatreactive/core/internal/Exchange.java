package io.github.xnatreactive.core.internal;

import io.github.xnatreactive.core.XnatEventListener;

/**
 * One request as a whole, shared by its attempts: the listener that hears its events (the one
 * {@link XnatEventListener#exchangeStarted} returned), the last status the server sent and the number of attempts.
 */
final class Exchange {
    final XnatEventListener listener;
    final long startNanos;
    volatile int status = -1;
    volatile int attempts;
    volatile boolean cancelled;

    Exchange(XnatEventListener listener, long startNanos) {
        this.listener = listener;
        this.startNanos = startNanos;
    }
}
