package io.github.xnatreactive.core;

/** HTTP 401. Authentication failed: wrong credentials, or the session expired and could not be renewed. */
public class XnatAuthenticationException extends XnatHttpException {
    private static final long serialVersionUID = 1L;

    public XnatAuthenticationException(String method, String uri, String serverMessage) {
        super(method, 401, uri, serverMessage);
    }
}
