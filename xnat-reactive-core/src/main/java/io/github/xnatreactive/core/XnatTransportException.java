package io.github.xnatreactive.core;

import java.util.Objects;

/**
 * The request did not get an HTTP answer: the connection was refused, reset or closed before the reply was
 * complete, a connect or read timed out, or the TLS handshake failed. Carries the method, the request URI (with
 * credentials removed) and the underlying cause ({@link java.net.ConnectException},
 * {@link javax.net.ssl.SSLHandshakeException}, {@code reactor.netty.http.client.PrematureCloseException}...).
 *
 * <pre>{@code
 * xnat.projects().onErrorResume(XnatTransportException.class, e -> {
 *     log.warn("{} {} got no answer: {}", e.method(), e.uri(), e.getCause().toString());
 *     return Flux.empty();
 * });
 * }</pre>
 *
 * Whether it is worth another attempt is {@link RetryPolicy#retryable(String, int, Throwable)}'s decision.
 */
public class XnatTransportException extends XnatException {
    private static final long serialVersionUID = 1L;

    /** The HTTP method of the failed request. */
    private final String method;
    /** The request URI, redacted. */
    private final String uri;

    /**
     * Creates the exception.
     *
     * @param method the HTTP method
     * @param uri the request URI, path and query, already redacted
     * @param cause the I/O failure
     */
    public XnatTransportException(String method, String uri, Throwable cause) {
        super(
                method + " " + uri + " failed: " + cause.getClass().getSimpleName() + ": " + cause.getMessage(),
                Objects.requireNonNull(cause, "cause"));
        this.method = method;
        this.uri = uri;
    }

    /**
     * The HTTP method of the failed request.
     *
     * @return e.g. {@code "GET"}
     */
    public String method() {
        return method;
    }

    /**
     * The request URI.
     *
     * @return path and query, with credentials removed
     */
    public String uri() {
        return uri;
    }
}
