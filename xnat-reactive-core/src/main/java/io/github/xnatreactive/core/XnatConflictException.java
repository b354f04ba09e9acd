package io.github.xnatreactive.core;

/** HTTP 409. The request conflicts with what exists (an object or label that exists already, a locked session...). */
public class XnatConflictException extends XnatHttpException {
    private static final long serialVersionUID = 1L;

    public XnatConflictException(String method, String uri, String serverMessage) {
        super(method, 409, uri, serverMessage);
    }
}
