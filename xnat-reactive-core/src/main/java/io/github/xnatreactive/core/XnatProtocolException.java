package io.github.xnatreactive.core;

/**
 * The server's reply was not what the call expects: an HTML page on a 2xx (XNAT answers some failures, such as a
 * login page, with 200), a body that is not the expected JSON, a truncated body.
 */
public class XnatProtocolException extends XnatException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong; never a secret
     */
    public XnatProtocolException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what went wrong; never a secret
     * @param cause the underlying failure
     */
    public XnatProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
