package io.github.xnatreactive.dicom;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * One data element of a header: its tag, value representation, raw value bytes (in the file's byte order) and, for a
 * sequence, its items. Immutable.
 *
 * <p>For a sequence of undefined length the raw bytes are empty and {@link #items()} holds the parsed items; for a
 * sequence of defined length both are there.
 */
public final class DicomElement {
    private final int tag;
    private final String vr;
    private final byte[] value;
    private final boolean undefinedLength;
    private final boolean bigEndian;
    private final List<List<DicomElement>> items;

    DicomElement(
            int tag,
            String vr,
            byte[] value,
            boolean undefinedLength,
            boolean bigEndian,
            List<List<DicomElement>> items) {
        this.tag = tag;
        this.vr = vr;
        this.value = value;
        this.undefinedLength = undefinedLength;
        this.bigEndian = bigEndian;
        this.items = List.copyOf(items);
    }

    /**
     * The tag, group in the high 16 bits: {@code 0x0020000D} for Study Instance UID.
     *
     * @return the tag
     */
    public int tag() {
        return tag;
    }

    /**
     * The value representation: as written in an explicit VR file, from the reader's dictionary in an implicit VR
     * file ({@code UN} for a tag it does not know, {@code SQ} for one whose value is made of items).
     *
     * @return two upper-case letters
     */
    public String vr() {
        return vr;
    }

    /**
     * The tag's name in the standard data dictionary.
     *
     * @return e.g. {@code Study Instance UID}; {@code Private Tag} for a private tag, "" for an unknown one
     */
    public String name() {
        return Dictionary.name(tag);
    }

    /**
     * The raw value, in the file's byte order.
     *
     * @return a copy of the value bytes (empty for an undefined-length sequence)
     */
    public byte[] bytes() {
        return value.clone();
    }

    /**
     * The length of the raw value.
     *
     * @return the number of value bytes
     */
    public int length() {
        return value.length;
    }

    /**
     * Whether the element was written with an undefined length (a sequence closed by a delimiter).
     *
     * @return true for an undefined length
     */
    public boolean undefinedLength() {
        return undefinedLength;
    }

    /**
     * The items of a sequence, each a list of elements; empty for other elements.
     *
     * @return the items, in order
     */
    public List<List<DicomElement>> items() {
        return items;
    }

    /**
     * The value as numbers, for the binary numeric VRs ({@code US}, {@code SS}, {@code UL}, {@code SL},
     * {@code FL}, {@code FD}, {@code AT}); empty for the others.
     *
     * @return the values, in order
     */
    public List<Number> numbers() {
        ByteBuffer b = ByteBuffer.wrap(value).order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        java.util.ArrayList<Number> out = new java.util.ArrayList<>();
        switch (vr) {
            case "US" -> {
                while (b.remaining() >= 2) out.add(b.getShort() & 0xFFFF);
            }
            case "SS" -> {
                while (b.remaining() >= 2) out.add((int) b.getShort());
            }
            case "UL", "AT" -> {
                while (b.remaining() >= 4) out.add(b.getInt() & 0xFFFFFFFFL);
            }
            case "SL" -> {
                while (b.remaining() >= 4) out.add(b.getInt());
            }
            case "FL" -> {
                while (b.remaining() >= 4) out.add(b.getFloat());
            }
            case "FD" -> {
                while (b.remaining() >= 8) out.add(b.getDouble());
            }
            default -> {
                // not a binary numeric VR
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return String.format("(%04X,%04X) %s #%d", tag >>> 16, tag & 0xFFFF, vr, value.length);
    }
}
