package io.github.xnatreactive.core;

/**
 * The server answered with an error status. Carries the method, the status, the request URI (with any
 * credentials removed) and the message XNAT put in its error page.
 */
public class XnatHttpException extends XnatException {
    private static final long serialVersionUID = 1L;

    /** The request's HTTP method. */
    private final String method;
    /** The HTTP status of the reply. */
    private final int status;
    /** The request's path and query, without credentials. */
    private final String uri;
    /** The message of the server's error page, or "". */
    private final String serverMessage;
    /** The wait the server asked for with {@code Retry-After}, or null. */
    private java.time.Duration retryAfter;

    /**
     * Creates the exception; prefer {@link #of(String, int, String, String)}, which picks the subtype.
     *
     * @param method the request's HTTP method
     * @param status the HTTP status
     * @param uri the request's path and query, without credentials
     * @param serverMessage the message of the server's error page, or null or "" when it gave none
     */
    public XnatHttpException(String method, int status, String uri, String serverMessage) {
        super(method + " " + uri + " failed with HTTP " + status
                + (serverMessage == null || serverMessage.isEmpty() ? "" : ": " + serverMessage));
        this.method = method;
        this.status = status;
        this.uri = uri;
        this.serverMessage = serverMessage == null ? "" : serverMessage;
    }

    /**
     * Creates the subtype that matches the status: 401, 403, 404, 409 and 5xx have their own.
     *
     * @param method the request's HTTP method
     * @param status the HTTP status
     * @param uri the request's path and query, without credentials
     * @param serverMessage the message of the server's error page, or null or "" when it gave none
     * @return a {@link XnatAuthenticationException}, {@link XnatForbiddenException}, {@link XnatNotFoundException},
     *     {@link XnatConflictException}, {@link XnatServerException}, or a plain {@code XnatHttpException}
     */
    public static XnatHttpException of(String method, int status, String uri, String serverMessage) {
        return of(method, status, uri, serverMessage, null);
    }

    /**
     * Creates the subtype that matches the status, carrying the wait the server asked for in its
     * {@code Retry-After} header.
     *
     * @param method the request's HTTP method
     * @param status the HTTP status
     * @param uri the request's path and query, without credentials
     * @param serverMessage the message of the server's error page, or null or "" when it gave none
     * @param retryAfter the wait the server asked for, or null when it sent no {@code Retry-After}
     * @return the subtype that matches the status, as {@link #of(String, int, String, String)}
     */
    public static XnatHttpException of(
            String method, int status, String uri, String serverMessage, java.time.Duration retryAfter) {
        XnatHttpException e = create(method, status, uri, serverMessage);
        e.retryAfter = retryAfter;
        return e;
    }

    private static XnatHttpException create(String method, int status, String uri, String serverMessage) {
        return switch (status) {
            case 401 -> new XnatAuthenticationException(method, uri, serverMessage);
            case 403 -> new XnatForbiddenException(method, uri, serverMessage);
            case 404 -> new XnatNotFoundException(method, uri, serverMessage);
            case 409 -> new XnatConflictException(method, uri, serverMessage);
            default ->
                status >= 500
                        ? new XnatServerException(method, status, uri, serverMessage)
                        : new XnatHttpException(method, status, uri, serverMessage);
        };
    }

    /**
     * The request's method.
     *
     * @return e.g. {@code GET}
     */
    public String method() {
        return method;
    }

    /**
     * The status the server answered with.
     *
     * @return the HTTP status code
     */
    public int status() {
        return status;
    }

    /**
     * The request that failed.
     *
     * @return the request's path and query, with credentials removed
     */
    public String uri() {
        return uri;
    }

    /**
     * The wait the server asked for with {@code Retry-After} (a 503 or 429 usually).
     *
     * @return the wait, or empty if the server sent no {@code Retry-After}
     */
    public java.util.Optional<java.time.Duration> retryAfter() {
        return java.util.Optional.ofNullable(retryAfter);
    }

    /**
     * What the server said.
     *
     * @return the message from the server's error page ({@code <h3>} of XNAT's page), or ""
     */
    public String serverMessage() {
        return serverMessage;
    }
}
