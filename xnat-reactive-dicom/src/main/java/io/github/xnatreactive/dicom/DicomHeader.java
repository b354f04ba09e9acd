package io.github.xnatreactive.dicom;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What {@link DicomReader} read of one file: the elements of its file meta information and of its data set up to the
 * pixel data, in file order, and the transfer syntax they were read in. Text values are decoded with the file's
 * Specific Character Set (0008,0005).
 *
 * <pre>{@code
 * DicomHeader h = DicomReader.read(file);
 * String study = h.string(DicomHeader.STUDY_INSTANCE_UID);
 * String name = h.string(DicomHeader.PATIENT_NAME); // Yamada^Tarou=山田^太郎 in a Japanese file
 * }</pre>
 */
public final class DicomHeader {
    /** (0002,0010) Transfer Syntax UID. */
    public static final int TRANSFER_SYNTAX_UID = 0x00020010;
    /** (0008,0005) Specific Character Set. */
    public static final int SPECIFIC_CHARACTER_SET = 0x00080005;
    /** (0008,0016) SOP Class UID. */
    public static final int SOP_CLASS_UID = 0x00080016;
    /** (0008,0018) SOP Instance UID. */
    public static final int SOP_INSTANCE_UID = 0x00080018;
    /** (0008,0020) Study Date. */
    public static final int STUDY_DATE = 0x00080020;
    /** (0008,0030) Study Time. */
    public static final int STUDY_TIME = 0x00080030;
    /** (0008,0060) Modality. */
    public static final int MODALITY = 0x00080060;
    /** (0008,1030) Study Description. */
    public static final int STUDY_DESCRIPTION = 0x00081030;
    /** (0008,103E) Series Description. */
    public static final int SERIES_DESCRIPTION = 0x0008103E;
    /** (0010,0010) Patient's Name. */
    public static final int PATIENT_NAME = 0x00100010;
    /** (0010,0020) Patient ID. */
    public static final int PATIENT_ID = 0x00100020;
    /** (0020,000D) Study Instance UID. */
    public static final int STUDY_INSTANCE_UID = 0x0020000D;
    /** (0020,000E) Series Instance UID. */
    public static final int SERIES_INSTANCE_UID = 0x0020000E;
    /** (0020,0010) Study ID. */
    public static final int STUDY_ID = 0x00200010;
    /** (0020,0011) Series Number. */
    public static final int SERIES_NUMBER = 0x00200011;
    /** (0020,0013) Instance Number. */
    public static final int INSTANCE_NUMBER = 0x00200013;

    private static final Set<String> CHARSET_VRS = Set.of("SH", "LO", "ST", "LT", "UC", "UT", "PN");
    private static final Set<String> SINGLE_VALUED = Set.of("ST", "LT", "UT", "UR");

    private final String transferSyntaxUid;
    private final List<DicomElement> elements;
    private final TextDecoder decoder;
    private final boolean part10;

    DicomHeader(String transferSyntaxUid, List<DicomElement> elements, TextDecoder decoder, boolean part10) {
        this.transferSyntaxUid = transferSyntaxUid;
        this.elements = List.copyOf(elements);
        this.decoder = decoder;
        this.part10 = part10;
    }

    /**
     * The transfer syntax the data set was read in: the file's (0002,0010), or the one the reader recognised when the
     * file has none.
     *
     * @return a transfer syntax UID, such as {@code 1.2.840.10008.1.2.1}
     */
    public String transferSyntaxUid() {
        return transferSyntaxUid;
    }

    /**
     * Whether the file had the Part 10 preamble and {@code DICM} prefix (otherwise it was a bare data set).
     *
     * @return true for a Part 10 file
     */
    public boolean part10() {
        return part10;
    }

    /**
     * The top-level elements, file meta information (group 0002) first, in file order, without the pixel data and
     * what follows it.
     *
     * @return the elements
     */
    public List<DicomElement> elements() {
        return elements;
    }

    /**
     * One top-level element.
     *
     * @param tag the tag, such as {@link #STUDY_INSTANCE_UID}
     * @return the element, or empty when the file does not have it
     */
    public Optional<DicomElement> element(int tag) {
        for (DicomElement e : elements) {
            if (e.tag() == tag) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /**
     * A text value, decoded, with the padding of each value removed; multiple values joined by a backslash.
     *
     * @param tag the tag, such as {@link #PATIENT_NAME}
     * @return the value, or null when the file does not have the element (an empty string when it is empty)
     */
    public String string(int tag) {
        List<String> values = strings(tag);
        return values == null ? null : String.join("\\", values);
    }

    /**
     * The values of a text element, decoded, each with its padding removed.
     *
     * @param tag the tag
     * @return the values (one for a single-valued VR), or null when the file does not have the element
     */
    public List<String> strings(int tag) {
        Optional<DicomElement> e = element(tag);
        return e.map(this::decode).orElse(null);
    }

    /**
     * A value read as a whole number, such as {@link #SERIES_NUMBER} ({@code IS}) or a binary {@code US}.
     *
     * @param tag the tag
     * @return the number, or empty when the element is missing, empty or not a whole number
     */
    public Optional<Long> integer(int tag) {
        Optional<DicomElement> e = element(tag);
        if (e.isEmpty()) {
            return Optional.empty();
        }
        List<Number> numbers = e.get().numbers();
        if (!numbers.isEmpty()) {
            return Optional.of(numbers.get(0).longValue());
        }
        List<String> s = decode(e.get());
        try {
            return s.isEmpty() || s.get(0).isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(s.get(0)));
        } catch (NumberFormatException notANumber) {
            return Optional.empty();
        }
    }

    /**
     * Decodes a top-level element's text with this file's character set.
     *
     * @param e an element of this header
     * @return its values, each trimmed of padding
     */
    public List<String> decode(DicomElement e) {
        byte[] v = e.bytes();
        String vr = e.vr();
        boolean charset = CHARSET_VRS.contains(vr);
        TextDecoder d = charset ? decoder : TextDecoder.DEFAULT_DECODER;
        List<String> out = new ArrayList<>();
        if (SINGLE_VALUED.contains(vr)) {
            out.add(trim(d.decode(v, 0, v.length, TextDecoder.TEXT_DELIMITERS), vr));
            return out;
        }
        int start = 0;
        for (int i = 0; i <= v.length; i++) {
            if (i == v.length || v[i] == '\\') {
                out.add(trim(
                        vr.equals("PN") ? name(d, v, start, i) : d.decode(v, start, i, TextDecoder.TEXT_DELIMITERS),
                        vr));
                start = i + 1;
            }
        }
        return out;
    }

    /** A person name: its alphabetic, ideographic and phonetic groups, each decoded on its own. */
    private static String name(TextDecoder d, byte[] v, int from, int to) {
        StringBuilder out = new StringBuilder();
        int start = from;
        for (int i = from; i <= to; i++) {
            if (i == to || v[i] == '=') {
                if (start > from) {
                    out.append('=');
                }
                out.append(d.decode(v, start, i, TextDecoder.NAME_DELIMITERS));
                start = i + 1;
            }
        }
        int end = out.length();
        while (end > 0 && (out.charAt(end - 1) == '=' || out.charAt(end - 1) == ' ' || out.charAt(end - 1) == 0)) {
            end--; // empty trailing groups are padding
        }
        return out.substring(0, end);
    }

    private static String trim(String s, String vr) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\0')) {
            end--;
        }
        int start = 0;
        if (!SINGLE_VALUED.contains(vr)) {
            while (start < end && s.charAt(start) == ' ') {
                start++;
            }
        }
        return s.substring(start, end);
    }

    static List<String> charsetTerms(DicomElement e) {
        if (e == null) {
            return List.of();
        }
        String raw = new String(e.bytes(), StandardCharsets.ISO_8859_1);
        List<String> terms = new ArrayList<>();
        for (String t : raw.split("\\\\", -1)) {
            terms.add(t.trim().replace("\0", ""));
        }
        while (terms.size() > 1 && terms.get(terms.size() - 1).isEmpty()) {
            terms.remove(terms.size() - 1);
        }
        return terms.size() == 1 && terms.get(0).isEmpty() ? List.of() : terms;
    }

    @Override
    public String toString() {
        return "DicomHeader[" + transferSyntaxUid + ", " + elements.size() + " elements]";
    }
}
