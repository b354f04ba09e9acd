package io.github.xnatreactive.testkit.internal;

/** An error the server answers with an XNAT-style (Restlet) HTML status page. */
public final class XnatError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public final int status;

    public XnatError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public static XnatError notFound(String message) {
        return new XnatError(404, message);
    }

    public static XnatError badRequest(String message) {
        return new XnatError(400, message);
    }

    public static XnatError forbidden(String message) {
        return new XnatError(403, message);
    }

    public static XnatError conflict(String message) {
        return new XnatError(409, message);
    }
}
