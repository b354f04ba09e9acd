package io.github.xnatreactive.core;

/** HTTP 401. Authentication failed: wrong credentials, or the session expired and could not be renewed. */
public class XnatAuthenticationException extends XnatHttpException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception for a 401 reply.
     *
     * @param method the request's HTTP method
     * @param uri the request's path and query, without credentials
     * @param serverMessage the message of the server's error page, or null or "" when it gave none
     */
    public XnatAuthenticationException(String method, String uri, String serverMessage) {
        super(method, 401, uri, serverMessage);
    }
}
