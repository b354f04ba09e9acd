package io.github.xnatreactive.core;

/**
 * Root of every error the SDK signals. Unchecked. Subclasses say what went wrong: {@link XnatHttpException} and its
 * subtypes for an error status from the server, {@link XnatProtocolException} for a reply of the wrong shape,
 * {@link XnatIntegrityException} for a transfer whose size or digest does not match.
 *
 * <p>Messages never contain passwords, tokens or session IDs.
 */
public class XnatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong; never a secret
     */
    public XnatException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what went wrong; never a secret
     * @param cause the underlying failure
     */
    public XnatException(String message, Throwable cause) {
        super(message, cause);
    }
}
