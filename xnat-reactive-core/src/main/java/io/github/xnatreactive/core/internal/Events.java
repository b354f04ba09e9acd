package io.github.xnatreactive.core.internal;

import io.github.xnatreactive.core.XnatEventListener;
import io.github.xnatreactive.core.XnatHttpException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tells the client's {@link XnatEventListener}; a listener that throws is logged, never allowed to break a call. */
final class Events {
    private static final Logger log = LoggerFactory.getLogger(Events.class);
    private final XnatEventListener listener;

    Events(XnatEventListener listener) {
        this.listener = listener == null ? XnatEventListener.NONE : listener;
    }

    void started(Call<?> c) {
        safely(() -> listener.requestStarted(
                new XnatEventListener.RequestStarted(c.request.method, c.request.template, c.attempt)));
    }

    void response(Call<?> c, int status, long startNanos) {
        safely(() -> listener.responseReceived(new XnatEventListener.ResponseReceived(
                c.request.method, c.request.template, c.attempt, status, since(startNanos))));
    }

    void failed(Call<?> c, Throwable error, long startNanos) {
        int status = error instanceof XnatHttpException h ? h.status() : -1;
        safely(() -> listener.requestFailed(new XnatEventListener.RequestFailed(
                c.request.method, c.request.template, c.attempt, status, since(startNanos), error)));
    }

    void retry(Call<?> c, int attempt, Duration delay, Throwable cause) {
        safely(() -> listener.retryScheduled(
                new XnatEventListener.RetryScheduled(c.request.method, c.request.template, attempt, delay, cause)));
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.warn("the event listener failed: {}", e.toString());
        }
    }
}
