package io.github.xnatreactive.core;

/** HTTP 403. The user is not allowed to do this. */
public class XnatForbiddenException extends XnatHttpException {
    private static final long serialVersionUID = 1L;

    public XnatForbiddenException(String method, String uri, String serverMessage) {
        super(method, 403, uri, serverMessage);
    }
}
