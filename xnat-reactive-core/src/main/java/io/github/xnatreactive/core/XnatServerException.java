package io.github.xnatreactive.core;

/** HTTP 5xx: the server failed. Idempotent requests are retried before this reaches the caller. */
public class XnatServerException extends XnatHttpException {
    private static final long serialVersionUID = 1L;

    public XnatServerException(String method, int status, String uri, String serverMessage) {
        super(method, status, uri, serverMessage);
    }
}
