package io.github.xnatreactive.core;

/** HTTP 404. The object does not exist, or the user cannot see it. */
public class XnatNotFoundException extends XnatHttpException {
    private static final long serialVersionUID = 1L;

    public XnatNotFoundException(String method, String uri, String serverMessage) {
        super(method, 404, uri, serverMessage);
    }
}
