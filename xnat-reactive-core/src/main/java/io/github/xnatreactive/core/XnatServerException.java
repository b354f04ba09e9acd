package io.github.xnatreactive.core;

/** HTTP 5xx: the server failed. Idempotent requests are retried before this reaches the caller. */
public class XnatServerException extends XnatHttpException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception for a 5xx reply.
     *
     * @param method the request's HTTP method
     * @param status the status, 500 to 599
     * @param uri the request's path and query, without credentials
     * @param serverMessage the message of the server's error page, or null or "" when it gave none
     */
    public XnatServerException(String method, int status, String uri, String serverMessage) {
        super(method, status, uri, serverMessage);
    }
}
