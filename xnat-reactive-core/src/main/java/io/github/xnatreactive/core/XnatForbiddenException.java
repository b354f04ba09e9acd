package io.github.xnatreactive.core;

/** HTTP 403. The user is not allowed to do this. */
public class XnatForbiddenException extends XnatHttpException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception for a 403 reply.
     *
     * @param method the request's HTTP method
     * @param uri the request's path and query, without credentials
     * @param serverMessage the message of the server's error page, or null or "" when it gave none
     */
    public XnatForbiddenException(String method, String uri, String serverMessage) {
        super(method, 403, uri, serverMessage);
    }
}
