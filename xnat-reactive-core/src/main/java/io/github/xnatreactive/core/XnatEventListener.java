package io.github.xnatreactive.core;

import java.time.Duration;
import java.util.function.IntSupplier;
import reactor.util.context.ContextView;

/**
 * Told of every HTTP request the client sends, the response it gets, each failure and each retry, in the spirit of
 * OkHttp's {@code EventListener}: for metrics, tracing and tests. Set one with
 * {@link XnatClient.Builder#eventListener(XnatEventListener)}.
 *
 * <pre>{@code
 * Map<String, LongAdder> calls = new ConcurrentHashMap<>(); // e.g. "GET /data/projects/{project} 200" -> 3
 * XnatClient xnat = XnatClient.builder()
 *         .serverUrl(url)
 *         .credentials(Credentials.password(user, password))
 *         .eventListener(new XnatEventListener() {
 *             public void responseReceived(ResponseReceived e) {
 *                 String key = e.method() + " " + e.path() + " " + e.status();
 *                 calls.computeIfAbsent(key, k -> new LongAdder()).increment();
 *             }
 *         })
 *         .build();
 * }</pre>
 *
 * <p>Events name the path by its template ({@code /data/projects/{project}/subjects}), never with IDs, query
 * parameters, headers or credentials. Callbacks run on the thread that saw the event, often a Netty event loop:
 * they must be quick and must not block. An exception thrown by a callback is logged and ignored.
 *
 * <p>For metrics and tracing of whole requests, {@link #exchangeStarted(ExchangeStarted)} is told of each request
 * once, with the subscriber's Reactor context (where the caller's trace travels), and may return a listener made for
 * that request, which then hears the request's attempts and its {@link #exchangeFinished(ExchangeFinished)}. The
 * {@code xnat-reactive-micrometer} module builds Micrometer timers, counters, pool gauges and observations on these
 * events.
 */
public interface XnatEventListener {
    /** A listener that ignores every event. */
    XnatEventListener NONE = new XnatEventListener() {};

    /**
     * An attempt of a request is about to be sent: once per attempt, retries included.
     *
     * @param event the method, templated path and attempt number
     */
    default void requestStarted(RequestStarted event) {}

    /**
     * The status line and headers of a response arrived (the body may still be streaming). Called for error
     * statuses too, before {@link #requestFailed(RequestFailed)}.
     *
     * @param event the status and the time the server took to answer
     */
    default void responseReceived(ResponseReceived event) {}

    /**
     * An attempt ended in an error: an error status, a transport failure, a reply of the wrong shape. A
     * {@link #retryScheduled(RetryScheduled)} follows when the attempt will be tried again.
     *
     * @param event the failure, the status (or -1) and the time until the failure
     */
    default void requestFailed(RequestFailed event) {}

    /**
     * A failed attempt will be tried again after {@link RetryScheduled#delay()}; the wait is already scheduled on
     * the client's scheduler when this is called.
     *
     * @param event the attempt that failed, its failure and the wait before the next attempt
     */
    default void retryScheduled(RetryScheduled event) {}

    /**
     * A request starts, once, before its first attempt: its attempts, its wait for a login and the reading of its
     * reply all belong to it. The listener returned hears the request's events, its
     * {@link #exchangeFinished(ExchangeFinished)} included: this one by default, or one made for this request (to
     * hold its span, say). The client's own login is a request too, in the context of the request that needed it.
     *
     * @param event the method, templated path and the subscriber's Reactor context
     * @return the listener for this request's events; null means this one
     */
    default XnatEventListener exchangeStarted(ExchangeStarted event) {
        return this;
    }

    /**
     * A request ended: its reply was read through, its last attempt failed, or its subscriber cancelled. Called on
     * the listener {@link #exchangeStarted(ExchangeStarted)} returned, before the subscriber hears of the end.
     *
     * @param event the outcome, the last status and the time since the request started
     */
    default void exchangeFinished(ExchangeFinished event) {}

    /**
     * The server rejected the session (401) and the client logs in anew: once per renewal, however many requests
     * were in flight with the old session.
     *
     * @param event the request whose 401 started the renewal
     */
    default void sessionRenewed(SessionRenewed event) {}

    /**
     * The client's connection pool opened a pool of connections to one server address. The gauges read the pool's
     * live state, for as long as the pool is open.
     *
     * @param event the pool's name and address, and its gauges
     */
    default void connectionPoolOpened(ConnectionPoolOpened event) {}

    /**
     * A pool told of by {@link #connectionPoolOpened(ConnectionPoolOpened)} was closed (the client was closed).
     *
     * @param event the pool's name and address
     */
    default void connectionPoolClosed(ConnectionPoolClosed event) {}

    /**
     * A request starts.
     *
     * @param method the HTTP method
     * @param path the templated path, e.g. {@code /data/projects/{project}}
     * @param context the subscriber's Reactor context, e.g. with the caller's Micrometer observation
     */
    record ExchangeStarted(String method, String path, ContextView context) {}

    /**
     * A request ended.
     *
     * @param method the HTTP method
     * @param path the templated path
     * @param attempts how many attempts were sent (0 when none was, e.g. the login failed)
     * @param status the last HTTP status the server sent, or -1 when none arrived
     * @param duration the time since the request started, its login wait and retries included
     * @param error the failure the subscriber gets, or null
     * @param cancelled whether the subscriber cancelled before the reply ended ({@code json()} and {@code text()}
     *     calls take their one value and cancel: with a 2xx status that is a success)
     */
    record ExchangeFinished(
            String method,
            String path,
            int attempts,
            int status,
            Duration duration,
            Throwable error,
            boolean cancelled) {}

    /**
     * The session was renewed.
     *
     * @param method the HTTP method of the request that got the 401
     * @param path its templated path
     */
    record SessionRenewed(String method, String path) {}

    /**
     * A pool of connections to one server address.
     *
     * @param name the client's pool name ({@code xnat-reactive-N})
     * @param id the pool's own ID, unique among the client's pools
     * @param remoteAddress the server address, {@code host:port}
     * @param active the connections in use now
     * @param idle the open connections not in use
     * @param pending the requests waiting for a connection
     * @param total all open connections, active and idle
     * @param max the most connections the pool opens
     */
    record ConnectionPoolOpened(
            String name,
            String id,
            String remoteAddress,
            IntSupplier active,
            IntSupplier idle,
            IntSupplier pending,
            IntSupplier total,
            IntSupplier max) {}

    /**
     * A pool was closed.
     *
     * @param name the client's pool name
     * @param id the pool's own ID
     * @param remoteAddress the server address, {@code host:port}
     */
    record ConnectionPoolClosed(String name, String id, String remoteAddress) {}

    /**
     * A request is about to be sent.
     *
     * @param method the HTTP method
     * @param path the templated path, e.g. {@code /data/projects/{project}}
     * @param attempt 1 for the first attempt, 2 for the first retry...
     */
    record RequestStarted(String method, String path, int attempt) {}

    /**
     * A response arrived.
     *
     * @param method the HTTP method
     * @param path the templated path
     * @param attempt the attempt number, from 1
     * @param status the HTTP status
     * @param duration the time from sending the request to its response headers
     */
    record ResponseReceived(String method, String path, int attempt, int status, Duration duration) {}

    /**
     * An attempt failed.
     *
     * @param method the HTTP method
     * @param path the templated path
     * @param attempt the attempt number, from 1
     * @param status the HTTP status when the server answered with an error status, else -1
     * @param duration the time from sending the request to the failure
     * @param error the failure, as the caller would see it (messages never hold secrets)
     */
    record RequestFailed(String method, String path, int attempt, int status, Duration duration, Throwable error) {}

    /**
     * A retry was scheduled.
     *
     * @param method the HTTP method
     * @param path the templated path
     * @param attempt the number of the attempt that failed, from 1
     * @param delay the wait before the next attempt (backoff with jitter, at least the server's Retry-After)
     * @param cause the failure of that attempt
     */
    record RetryScheduled(String method, String path, int attempt, Duration delay, Throwable cause) {}
}
