package io.github.xnatreactive.core.internal;

import io.github.xnatreactive.core.XnatEventListener;
import io.github.xnatreactive.core.XnatHttpException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.netty.resources.ConnectionPoolMetrics;
import reactor.netty.resources.ConnectionProvider;

/**
 * Tells the client's {@link XnatEventListener}, or the one {@link XnatEventListener#exchangeStarted} returned for
 * the call's request; a listener that throws is logged, never allowed to break a call.
 */
final class Events {
    private static final Logger log = LoggerFactory.getLogger(Events.class);
    private final XnatEventListener listener;

    Events(XnatEventListener listener) {
        this.listener = listener == null ? XnatEventListener.NONE : listener;
    }

    /**
     * Sends the call down {@code path} as one exchange: {@code exchangeStarted} with the subscriber's context when
     * it is subscribed, {@code exchangeFinished} when it completes, fails or is cancelled (before the subscriber
     * hears of it), and every event of its attempts to the listener {@code exchangeStarted} returned.
     */
    <T> Flux<T> exchange(Call<T> call, Step.Chain path) {
        return Flux.deferContextual(ctx -> {
            Request r = call.request;
            XnatEventListener own = listener;
            try {
                XnatEventListener l =
                        listener.exchangeStarted(new XnatEventListener.ExchangeStarted(r.method, r.template, ctx));
                own = l == null ? listener : l;
            } catch (RuntimeException e) {
                log.warn("the event listener failed: {}", e.toString());
            }
            Exchange x = new Exchange(own, System.nanoTime());
            AtomicBoolean told = new AtomicBoolean();
            AtomicReference<Throwable> error = new AtomicReference<>();
            Runnable finish = () -> {
                if (told.compareAndSet(false, true)) {
                    boolean cancelled = error.get() == null && x.cancelled;
                    safely(() -> x.listener.exchangeFinished(new XnatEventListener.ExchangeFinished(
                            r.method, r.template, x.attempts, x.status, since(x.startNanos), error.get(), cancelled)));
                }
            };
            return path.proceed(call.withExchange(x))
                    .doOnError(e -> {
                        error.set(e);
                        finish.run();
                    })
                    .doOnComplete(finish)
                    .doOnCancel(() -> {
                        x.cancelled = true;
                        finish.run();
                    });
        });
    }

    void started(Call<?> c) {
        if (c.exchange != null) {
            c.exchange.attempts = c.attempt;
        }
        XnatEventListener l = of(c);
        safely(() -> l.requestStarted(
                new XnatEventListener.RequestStarted(c.request.method, c.request.template, c.attempt)));
    }

    void response(Call<?> c, int status, long startNanos) {
        if (c.exchange != null) {
            c.exchange.status = status;
        }
        XnatEventListener l = of(c);
        safely(() -> l.responseReceived(new XnatEventListener.ResponseReceived(
                c.request.method, c.request.template, c.attempt, status, since(startNanos))));
    }

    void failed(Call<?> c, Throwable error, long startNanos) {
        int status = error instanceof XnatHttpException h ? h.status() : -1;
        XnatEventListener l = of(c);
        safely(() -> l.requestFailed(new XnatEventListener.RequestFailed(
                c.request.method, c.request.template, c.attempt, status, since(startNanos), error)));
    }

    void retry(Call<?> c, int attempt, Duration delay, Throwable cause) {
        XnatEventListener l = of(c);
        safely(() -> l.retryScheduled(
                new XnatEventListener.RetryScheduled(c.request.method, c.request.template, attempt, delay, cause)));
    }

    void sessionRenewed(Call<?> c) {
        XnatEventListener l = of(c);
        safely(() -> l.sessionRenewed(new XnatEventListener.SessionRenewed(c.request.method, c.request.template)));
    }

    /** Tells the listener of each pool of connections to a server address that the client's pool opens and closes. */
    ConnectionProvider.MeterRegistrar poolRegistrar() {
        return new ConnectionProvider.MeterRegistrar() {
            @Override
            public void registerMetrics(String poolName, String id, SocketAddress remote, ConnectionPoolMetrics m) {
                safely(() -> listener.connectionPoolOpened(new XnatEventListener.ConnectionPoolOpened(
                        poolName,
                        id,
                        address(remote),
                        m::acquiredSize,
                        m::idleSize,
                        m::pendingAcquireSize,
                        m::allocatedSize,
                        m::maxAllocatedSize)));
            }

            @Override
            public void deRegisterMetrics(String poolName, String id, SocketAddress remote) {
                safely(() -> listener.connectionPoolClosed(
                        new XnatEventListener.ConnectionPoolClosed(poolName, id, address(remote))));
            }
        };
    }

    private static String address(SocketAddress a) {
        return a instanceof InetSocketAddress i ? i.getHostString() + ":" + i.getPort() : String.valueOf(a);
    }

    private XnatEventListener of(Call<?> c) {
        return c.exchange != null ? c.exchange.listener : listener;
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
