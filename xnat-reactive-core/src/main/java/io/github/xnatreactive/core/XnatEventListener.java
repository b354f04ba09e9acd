package io.github.xnatreactive.core;

import java.time.Duration;

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
