package io.github.xnatreactive.core;

/** HTTP 409. The request conflicts with what exists (an object or label that exists already, a locked session...). */
public class XnatConflictException extends XnatHttpException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception for a 409 reply.
     *
     * @param method the request's HTTP method
     * @param uri the request's path and query, without credentials
     * @param serverMessage the message of the server's error page, or null or "" when it gave none
     */
    public XnatConflictException(String method, String uri, String serverMessage) {
        super(method, 409, uri, serverMessage);
    }
}
