package io.github.xnatreactive.core;

/** A transferred file does not have the expected size or MD5 digest. Nothing was left at the target path. */
public class XnatIntegrityException extends XnatException {
    private static final long serialVersionUID = 1L;

    /** The expected size or digest. */
    private final String expected;
    /** The size or digest the transfer produced. */
    private final String actual;

    /**
     * Creates the exception; the message gets the expected and actual values appended.
     *
     * @param message what was checked, e.g. the file's path
     * @param expected the expected size or digest, as text
     * @param actual what the transfer produced, as text
     */
    public XnatIntegrityException(String message, String expected, String actual) {
        super(message + " (expected " + expected + ", got " + actual + ")");
        this.expected = expected;
        this.actual = actual;
    }

    /**
     * What the file should have been.
     *
     * @return the expected size or digest, as text
     */
    public String expected() {
        return expected;
    }

    /**
     * What the transfer produced.
     *
     * @return the actual size or digest, as text
     */
    public String actual() {
        return actual;
    }
}
