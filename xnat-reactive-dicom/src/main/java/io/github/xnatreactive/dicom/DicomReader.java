package io.github.xnatreactive.dicom;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Reads the header of a DICOM file: the Part 10 file meta information and the data set up to the pixel data (which
 * it does not read). It reads explicit VR little endian, implicit VR little endian, explicit VR big endian and
 * deflated explicit VR little endian data sets, and the compressed transfer syntaxes, whose headers are explicit VR
 * little endian; a bare data set without the Part 10 preamble is recognised too. Whatever it cannot read is a
 * {@link DicomFormatException} naming the offset and tag, never another exception.
 *
 * <pre>{@code
 * DicomHeader h = DicomReader.read(file);
 * String series = h.string(DicomHeader.SERIES_INSTANCE_UID);
 * long number = h.integer(DicomHeader.SERIES_NUMBER).orElse(0L);
 * }</pre>
 */
public final class DicomReader {
    /** Implicit VR little endian, the default transfer syntax. */
    public static final String IMPLICIT_LITTLE_ENDIAN = "1.2.840.10008.1.2";
    /** Explicit VR little endian. */
    public static final String EXPLICIT_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
    /** Deflated explicit VR little endian. */
    public static final String DEFLATED_EXPLICIT_LITTLE_ENDIAN = "1.2.840.10008.1.2.1.99";
    /** Explicit VR big endian (retired). */
    public static final String EXPLICIT_BIG_ENDIAN = "1.2.840.10008.1.2.2";

    private static final int ITEM = 0xFFFEE000;
    private static final int ITEM_END = 0xFFFEE00D;
    private static final int SEQUENCE_END = 0xFFFEE0DD;
    private static final long UNDEFINED = 0xFFFFFFFFL;
    /** The largest element value kept in memory; a header element larger than this is refused. */
    private static final long MAX_VALUE = 64L << 20;
    /** Sequences nest at most this deep. */
    private static final int MAX_DEPTH = 32;

    private static final Set<String> LONG_VRS =
            Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV");
    private static final Set<Integer> PIXEL_DATA = Set.of(0x7FE00010, 0x7FE00009, 0x7FE00008);

    private DicomReader() {}

    /**
     * Reads a file's header.
     *
     * @param file a DICOM file
     * @return its header
     * @throws DicomFormatException when the file is not DICOM or its header cannot be read
     * @throws IOException when the file cannot be read
     */
    public static DicomHeader read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        } catch (DicomFormatException e) {
            throw new DicomFormatException(file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a header from a stream, up to the pixel data; the stream is left open and positioned somewhere after the
     * header.
     *
     * @param stream the bytes of a DICOM file, from its first byte
     * @return its header
     * @throws DicomFormatException when the bytes are not DICOM or the header cannot be read
     * @throws IOException when the stream fails
     */
    public static DicomHeader read(InputStream stream) throws IOException {
        Input in = new Input(new PushbackInputStream(new BufferedInputStream(stream, 16384), 256));
        try {
            return new Parser(in).header();
        } catch (DicomFormatException e) {
            throw e;
        } catch (EOFException e) {
            throw new DicomFormatException("truncated at byte " + in.pos + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new DicomFormatException("unreadable at byte " + in.pos + ": " + e, e);
        }
    }

    /**
     * Whether bytes look like the start of a DICOM Part 10 file: 128 bytes of preamble, then {@code DICM}.
     *
     * @param first the first bytes of a file (at least 132 to answer true)
     * @return true when the {@code DICM} prefix is at offset 128
     */
    public static boolean isPart10(byte[] first) {
        return first.length >= 132 && first[128] == 'D' && first[129] == 'I' && first[130] == 'C' && first[131] == 'M';
    }

    /** The file's bytes with a position, reading little or big endian. */
    private static final class Input {
        final PushbackInputStream in;
        long pos;

        Input(PushbackInputStream in) {
            this.in = in;
        }

        /** Fills {@code b}; returns how many bytes were there (less than its length only at the end). */
        int readUpTo(byte[] b) throws IOException {
            int n = 0;
            while (n < b.length) {
                int r = in.read(b, n, b.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
            pos += n;
            return n;
        }

        byte[] readFully(int len, String what) throws IOException {
            byte[] b = new byte[len];
            int n = readUpTo(b);
            if (n < len) {
                throw new DicomFormatException("truncated: " + what + " needs " + len + " bytes, the file ends after "
                        + n + " at byte " + pos);
            }
            return b;
        }

        void unread(byte[] b, int len) throws IOException {
            in.unread(b, 0, len);
            pos -= len;
        }
    }

    private static int u16(byte[] b, int off, boolean big) {
        return big ? ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF) : (b[off] & 0xFF) | ((b[off + 1] & 0xFF) << 8);
    }

    private static long u32(byte[] b, int off, boolean big) {
        return big
                ? ((long) u16(b, off, true) << 16) | u16(b, off + 2, true)
                : u16(b, off, false) | ((long) u16(b, off + 2, false) << 16);
    }

    private static boolean isVr(byte a, byte b) {
        return a >= 'A' && a <= 'Z' && b >= 'A' && b <= 'Z';
    }

    private static String tag(int tag) {
        return String.format("(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
    }

    /** One pass over a file. */
    private static final class Parser {
        private Input in;
        private boolean implicit;
        private boolean big;
        private TextDecoder decoder = TextDecoder.DEFAULT_DECODER;

        Parser(Input in) {
            this.in = in;
        }

        DicomHeader header() throws IOException {
            byte[] head = new byte[132];
            int n = in.readUpTo(head);
            boolean part10 = isPart10(head);
            List<DicomElement> elements = new ArrayList<>();
            String ts = null;
            if (!part10) {
                in.unread(head, n);
            }
            // file meta information: explicit VR little endian, group 0002, with or without the preamble
            byte[] peek = new byte[6];
            int p = in.readUpTo(peek);
            in.unread(peek, p);
            if (p == 6 && u16(peek, 0, false) == 0x0002 && isVr(peek[4], peek[5])) {
                implicit = false;
                big = false;
                while (true) {
                    p = in.readUpTo(peek);
                    in.unread(peek, p);
                    if (p < 6 || u16(peek, 0, false) != 0x0002) {
                        break;
                    }
                    elements.add(element(0));
                }
                for (DicomElement e : elements) {
                    if (e.tag() == DicomHeader.TRANSFER_SYNTAX_UID) {
                        ts = new String(e.bytes(), StandardCharsets.ISO_8859_1)
                                .replace("\0", "")
                                .trim();
                    }
                }
            } else if (part10) {
                throw new DicomFormatException("no file meta information (group 0002) after the DICM prefix");
            }
            boolean checkOrder = false;
            if (ts == null || ts.isEmpty()) {
                ts = guess(part10 || !elements.isEmpty());
                checkOrder = !part10 && elements.isEmpty();
            } else {
                switch (ts) {
                    case IMPLICIT_LITTLE_ENDIAN -> implicit = true;
                    case EXPLICIT_BIG_ENDIAN -> big = true;
                    case DEFLATED_EXPLICIT_LITTLE_ENDIAN ->
                        in = new Input(new PushbackInputStream(
                                new BufferedInputStream(new InflaterInputStream(in.in, new Inflater(true)), 16384),
                                256));
                    default -> {
                        // explicit VR little endian, and every compressed syntax: their headers are explicit LE
                    }
                }
            }
            int before = elements.size();
            elements.addAll(dataset(-1, 0, true));
            if (checkOrder && elements.size() == before) {
                throw new DicomFormatException("not a DICOM file: no DICM prefix and no data elements");
            }
            if (checkOrder) {
                int last = -1;
                for (int i = before; i < elements.size(); i++) {
                    int t = elements.get(i).tag();
                    if (Integer.compareUnsigned(t, last) <= 0 && last != -1) {
                        throw new DicomFormatException(
                                "not a DICOM file: no DICM prefix, and the tags are out of order" + " at " + tag(t));
                    }
                    last = t;
                }
            }
            return new DicomHeader(ts, elements, decoder, part10);
        }

        /** The transfer syntax of a data set that does not say: explicit when a VR follows the first tag. */
        private String guess(boolean knownDicom) throws IOException {
            byte[] b = new byte[8];
            int n = in.readUpTo(b);
            in.unread(b, n);
            if (n < 8) {
                throw new DicomFormatException(
                        knownDicom
                                ? "no data set after the file meta information"
                                : "not a DICOM file: no DICM prefix at byte 128 and fewer than 8 bytes");
            }
            int le = u16(b, 0, false);
            int be = u16(b, 0, true);
            big = be < le;
            int group = big ? be : le;
            if (!knownDicom && (group == 0 || group > 0x0010)) {
                throw new DicomFormatException(
                        "not a DICOM file: no DICM prefix at byte 128 and no data element at byte 0");
            }
            implicit = !isVr(b[4], b[5]);
            if (implicit && big) {
                throw new DicomFormatException("not a DICOM file: a big endian data set without VRs at byte 0");
            }
            return implicit ? IMPLICIT_LITTLE_ENDIAN : big ? EXPLICIT_BIG_ENDIAN : EXPLICIT_LITTLE_ENDIAN;
        }

        /**
         * Elements until {@code end} (an absolute position; -1 for the end of the stream or an item delimiter), or
         * before the pixel data at the top level.
         */
        private List<DicomElement> dataset(long end, int depth, boolean top) throws IOException {
            List<DicomElement> out = new ArrayList<>();
            byte[] tagBytes = new byte[4];
            while (end < 0 || in.pos < end) {
                int n = in.readUpTo(tagBytes);
                if (n == 0 && end < 0) {
                    if (top) {
                        break;
                    }
                    throw new DicomFormatException("truncated: an item of undefined length has no delimiter");
                }
                if (n < 4) {
                    throw new DicomFormatException("truncated: the file ends inside a tag at byte " + in.pos);
                }
                int tag = (u16(tagBytes, 0, big) << 16) | u16(tagBytes, 2, big);
                if (top && PIXEL_DATA.contains(tag)) {
                    break;
                }
                if (tag == ITEM_END && !top) {
                    in.readFully(4, "the item delimiter's length");
                    break;
                }
                in.unread(tagBytes, 4);
                DicomElement e = element(depth);
                out.add(e);
                if (e.tag() == DicomHeader.SPECIFIC_CHARACTER_SET && top) {
                    decoder = new TextDecoder(DicomHeader.charsetTerms(e));
                }
            }
            return out;
        }

        private DicomElement element(int depth) throws IOException {
            long start = in.pos;
            byte[] h = in.readFully(8, "an element header");
            int tag = (u16(h, 0, big) << 16) | u16(h, 2, big);
            String vr;
            long length;
            boolean group2 = (tag >>> 16) == 0x0002;
            boolean bigHere = big && !group2;
            if ((implicit && !group2) || (tag >>> 16) == 0xFFFE || !isVr(h[4], h[5])) {
                vr = (tag >>> 16) == 0xFFFE ? "UN" : Dictionary.vr(tag);
                length = u32(h, 4, bigHere);
            } else {
                vr = new String(h, 4, 2, StandardCharsets.US_ASCII);
                if (LONG_VRS.contains(vr)) {
                    length = u32(in.readFully(4, "the length of " + tag(tag)), 0, bigHere);
                } else {
                    length = u16(h, 6, bigHere);
                }
            }
            if (length == UNDEFINED) {
                if (depth >= MAX_DEPTH) {
                    throw new DicomFormatException("sequences nested deeper than " + MAX_DEPTH + " at " + tag(tag));
                }
                if (vr.equals("UN")) {
                    // PS3.5 6.2.2: an undefined-length UN is a sequence encoded in implicit VR little endian
                    boolean wasImplicit = implicit;
                    boolean wasBig = big;
                    implicit = true;
                    big = false;
                    try {
                        return new DicomElement(tag, "SQ", new byte[0], true, false, sequence(-1, depth + 1));
                    } finally {
                        implicit = wasImplicit;
                        big = wasBig;
                    }
                }
                if (vr.equals("SQ")) {
                    return new DicomElement(tag, vr, new byte[0], true, bigHere, sequence(-1, depth + 1));
                }
                // encapsulated data (fragments in items): kept as the concatenation of the fragments
                return new DicomElement(tag, vr, fragments(tag), true, bigHere, List.of());
            }
            if (length > MAX_VALUE) {
                throw new DicomFormatException("element " + tag(tag) + " at byte " + start + " claims " + length
                        + " bytes, more than a header element may hold (" + MAX_VALUE + ")");
            }
            byte[] value = in.readFully((int) length, "the value of " + tag(tag) + " at byte " + start);
            List<List<DicomElement>> items = List.of();
            boolean looksLikeItems = value.length >= 8 && u16(value, 0, big) == 0xFFFE && u16(value, 2, big) == 0xE000;
            if (vr.equals("SQ") || (implicit && vr.equals("UN") && looksLikeItems)) {
                items = itemsOf(value, depth + 1, tag, vr.equals("SQ"));
                if (!vr.equals("SQ") && items == null) {
                    items = List.of();
                } else {
                    vr = "SQ";
                }
            }
            return new DicomElement(tag, vr, value, false, bigHere, items == null ? List.of() : items);
        }

        /** The items of a sequence of defined length; null when {@code strict} is false and they cannot be read. */
        private List<List<DicomElement>> itemsOf(byte[] value, int depth, int tag, boolean strict) throws IOException {
            if (depth > MAX_DEPTH) {
                throw new DicomFormatException("sequences nested deeper than " + MAX_DEPTH + " at " + tag(tag));
            }
            Input outer = in;
            in = new Input(new PushbackInputStream(new ByteArrayInputStream(value), 256));
            try {
                return sequence(value.length, depth);
            } catch (DicomFormatException e) {
                if (strict) {
                    throw new DicomFormatException(
                            "sequence " + tag(tag) + " ending at byte " + outer.pos + ": " + e.getMessage(), e);
                }
                return null;
            } finally {
                in = outer;
            }
        }

        /** Items until {@code end} (relative to the current input), or until the sequence delimiter when -1. */
        private List<List<DicomElement>> sequence(long end, int depth) throws IOException {
            List<List<DicomElement>> items = new ArrayList<>();
            while (end < 0 || in.pos < end) {
                byte[] h = in.readFully(8, "an item header");
                int tag = (u16(h, 0, big) << 16) | u16(h, 2, big);
                long length = u32(h, 4, big);
                if (tag == SEQUENCE_END) {
                    break;
                }
                if (tag != ITEM) {
                    throw new DicomFormatException(
                            "expected an item in a sequence at byte " + (in.pos - 8) + ", found " + tag(tag));
                }
                if (length == UNDEFINED) {
                    items.add(dataset(-1, depth, false));
                } else {
                    items.add(dataset(in.pos + length, depth, false));
                }
            }
            return items;
        }

        /** The fragments of an undefined-length non-sequence value, up to the sequence delimiter. */
        private byte[] fragments(int tag) throws IOException {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            while (true) {
                byte[] h = in.readFully(8, "a fragment header in " + tag(tag));
                int t = (u16(h, 0, big) << 16) | u16(h, 2, big);
                long length = u32(h, 4, big);
                if (t == SEQUENCE_END) {
                    return out.toByteArray();
                }
                if (t != ITEM || length == UNDEFINED || length > MAX_VALUE - out.size()) {
                    throw new DicomFormatException(
                            "bad fragment " + tag(t) + " in " + tag(tag) + " at byte " + (in.pos - 8));
                }
                out.write(in.readFully((int) length, "a fragment of " + tag(tag)));
            }
        }
    }
}
