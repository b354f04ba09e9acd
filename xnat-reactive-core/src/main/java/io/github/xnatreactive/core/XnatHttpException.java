package io.github.xnatreactive.core;

/**
 * The server answered with an error status. Carries the method, the status, the request URI (with any
 * credentials removed) and the message XNAT put in its error page.
 */
public class XnatHttpException extends XnatException {
    private static final long serialVersionUID = 1L;

    private final String method;
    private final int status;
    private final String uri;
    private final String serverMessage;
    private java.time.Duration retryAfter;

    public XnatHttpException(String method, int status, String uri, String serverMessage) {
        super(method + " " + uri + " failed with HTTP " + status
                + (serverMessage == null || serverMessage.isEmpty() ? "" : ": " + serverMessage));
        this.method = method;
        this.status = status;
        this.uri = uri;
        this.serverMessage = serverMessage == null ? "" : serverMessage;
    }

    /** Creates the subtype that matches the status. */
    public static XnatHttpException of(String method, int status, String uri, String serverMessage) {
        return of(method, status, uri, serverMessage, null);
    }

    /**
     * Creates the subtype that matches the status, carrying the wait the server asked for in its
     * {@code Retry-After} header (null: none).
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

    public String method() {
        return method;
    }

    public int status() {
        return status;
    }

    /** The request URI, path and query, with credentials removed. */
    public String uri() {
        return uri;
    }

    /** The wait the server asked for with {@code Retry-After} (a 503 or 429 usually), if it sent one. */
    public java.util.Optional<java.time.Duration> retryAfter() {
        return java.util.Optional.ofNullable(retryAfter);
    }

    /** The message from the server's error page ({@code <h3>} of XNAT's page), or "". */
    public String serverMessage() {
        return serverMessage;
    }
}
