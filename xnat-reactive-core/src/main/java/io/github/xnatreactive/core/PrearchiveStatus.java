package io.github.xnatreactive.core;

import java.util.Locale;

/** The state of a prearchive session, as XNAT's prearchive listing gives it in its {@code status} column. */
public enum PrearchiveStatus {
    /** Files are still arriving. */
    RECEIVING,
    /** XNAT is building the session document. */
    BUILDING,
    /** Built: ready to archive. */
    READY,
    /** Being archived. */
    ARCHIVING,
    /** Being moved to another project. */
    MOVING,
    /** Being deleted. */
    DELETING,
    /** Archiving found a session that exists; archive again with an overwrite mode. */
    CONFLICT,
    /** Building or archiving failed. */
    ERROR,
    /** A state this client does not know (XNAT has queued and private variants); the raw value is in the row. */
    OTHER;

    /**
     * Reads a {@code status} value.
     *
     * @param value the column's value, such as {@code READY}
     * @return the state, {@link #OTHER} for one this enum does not name
     */
    public static PrearchiveStatus of(String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            return OTHER;
        }
    }
}
