package io.github.xnatreactive.core;

/**
 * The server's reply was not what the call expects: an HTML page on a 2xx (XNAT answers some failures, such as a
 * login page, with 200), a body that is not the expected JSON, a truncated body.
 */
public class XnatProtocolException extends XnatException {
    private static final long serialVersionUID = 1L;

    public XnatProtocolException(String message) {
        super(message);
    }

    public XnatProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
