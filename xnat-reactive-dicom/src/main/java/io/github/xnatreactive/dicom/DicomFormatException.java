package io.github.xnatreactive.dicom;

import java.io.IOException;

/**
 * The bytes are not a DICOM file this reader can read: no DICOM structure, a truncated header, an element whose
 * length runs past the end, or an encoding it does not know. The message says what and where (byte offset, tag).
 */
public final class DicomFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what could not be read, and where
     */
    public DicomFormatException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what could not be read, and where
     * @param cause the underlying failure
     */
    public DicomFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
