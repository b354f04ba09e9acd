package io.github.xnatreactive.core.search;

import io.github.xnatreactive.core.XnatHttpException;

/**
 * The server refused a search: a document it cannot read (422), or a data type or field it does not know (400).
 * The server's message says which. A type the user may not query is an
 * {@link io.github.xnatreactive.core.XnatForbiddenException} instead.
 */
public class XnatSearchException extends XnatHttpException {
    private static final long serialVersionUID = 1L;

    /**
     * Wraps the server's answer.
     *
     * @param cause the error the server answered
     */
    public XnatSearchException(XnatHttpException cause) {
        super(cause.method(), cause.status(), cause.uri(), cause.serverMessage());
        initCause(cause);
    }
}
