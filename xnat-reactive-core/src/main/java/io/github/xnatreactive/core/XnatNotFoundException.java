package io.github.xnatreactive.core;

/** HTTP 404. The object does not exist, or the user cannot see it. */
public class XnatNotFoundException extends XnatHttpException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception for a 404 reply.
     *
     * @param method the request's HTTP method
     * @param uri the request's path and query, without credentials
     * @param serverMessage the message of the server's error page, or null or "" when it gave none
     */
    public XnatNotFoundException(String method, String uri, String serverMessage) {
        super(method, 404, uri, serverMessage);
    }
}
