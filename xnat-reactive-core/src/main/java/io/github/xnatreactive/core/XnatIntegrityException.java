package io.github.xnatreactive.core;

/** A transferred file does not have the expected size or MD5 digest. Nothing was left at the target path. */
public class XnatIntegrityException extends XnatException {
    private static final long serialVersionUID = 1L;

    private final String expected;
    private final String actual;

    public XnatIntegrityException(String message, String expected, String actual) {
        super(message + " (expected " + expected + ", got " + actual + ")");
        this.expected = expected;
        this.actual = actual;
    }

    public String expected() {
        return expected;
    }

    public String actual() {
        return actual;
    }
}
