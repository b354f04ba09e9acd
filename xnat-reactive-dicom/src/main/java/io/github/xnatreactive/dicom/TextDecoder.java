package io.github.xnatreactive.dicom;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decodes text values under a Specific Character Set (0008,0005), as DICOM PS3.5 section 6.1 and Annex H-K describe:
 * one single-byte or stand-alone set ({@code ISO_IR 100}, {@code ISO_IR 192}, {@code GB18030}...), or ISO 2022 code
 * extensions switched by escape sequences, each reset to the first set at a delimiter.
 */
final class TextDecoder {
    private static final byte ESC = 0x1B;
    /** Delimiters that reset the character set in long texts; in person names the caret too. */
    static final Set<Integer> TEXT_DELIMITERS = Set.of(0x0D, 0x0A, 0x09, 0x0C);

    static final Set<Integer> NAME_DELIMITERS = Set.of(0x5E);

    private static final Charset DEFAULT = StandardCharsets.ISO_8859_1;

    private static final Map<String, String> TERMS = Map.ofEntries(
            Map.entry("", "ISO-8859-1"),
            Map.entry("ISO_IR 6", "ISO-8859-1"),
            Map.entry("ISO_IR 13", "Shift_JIS"),
            Map.entry("ISO_IR 100", "ISO-8859-1"),
            Map.entry("ISO_IR 101", "ISO-8859-2"),
            Map.entry("ISO_IR 109", "ISO-8859-3"),
            Map.entry("ISO_IR 110", "ISO-8859-4"),
            Map.entry("ISO_IR 126", "ISO-8859-7"),
            Map.entry("ISO_IR 127", "ISO-8859-6"),
            Map.entry("ISO_IR 138", "ISO-8859-8"),
            Map.entry("ISO_IR 144", "ISO-8859-5"),
            Map.entry("ISO_IR 148", "ISO-8859-9"),
            Map.entry("ISO_IR 166", "TIS-620"),
            Map.entry("ISO_IR 203", "ISO-8859-15"),
            Map.entry("ISO 2022 IR 6", "ISO-8859-1"),
            Map.entry("ISO 2022 IR 13", "Shift_JIS"),
            Map.entry("ISO 2022 IR 87", "ISO-2022-JP"),
            Map.entry("ISO 2022 IR 100", "ISO-8859-1"),
            Map.entry("ISO 2022 IR 101", "ISO-8859-2"),
            Map.entry("ISO 2022 IR 109", "ISO-8859-3"),
            Map.entry("ISO 2022 IR 110", "ISO-8859-4"),
            Map.entry("ISO 2022 IR 126", "ISO-8859-7"),
            Map.entry("ISO 2022 IR 127", "ISO-8859-6"),
            Map.entry("ISO 2022 IR 138", "ISO-8859-8"),
            Map.entry("ISO 2022 IR 144", "ISO-8859-5"),
            Map.entry("ISO 2022 IR 148", "ISO-8859-9"),
            Map.entry("ISO 2022 IR 149", "EUC-KR"),
            Map.entry("ISO 2022 IR 159", "ISO-2022-JP-2"),
            Map.entry("ISO 2022 IR 166", "TIS-620"),
            Map.entry("ISO 2022 IR 58", "GB2312"),
            Map.entry("ISO 2022 58", "GB2312"),
            Map.entry("ISO_IR 192", "UTF-8"),
            Map.entry("GB18030", "GB18030"),
            Map.entry("GBK", "GBK"),
            Map.entry("ISO 2022 GBK", "GBK"));

    /** Escape sequences and the set each designates. */
    private static final Map<String, String> ESCAPES = Map.ofEntries(
            Map.entry("(B", "ISO-8859-1"),
            Map.entry("-A", "ISO-8859-1"),
            Map.entry(")I", "Shift_JIS"),
            Map.entry("(J", "Shift_JIS"),
            Map.entry("$B", "ISO-2022-JP"),
            Map.entry("-B", "ISO-8859-2"),
            Map.entry("-C", "ISO-8859-3"),
            Map.entry("-D", "ISO-8859-4"),
            Map.entry("-F", "ISO-8859-7"),
            Map.entry("-G", "ISO-8859-6"),
            Map.entry("-H", "ISO-8859-8"),
            Map.entry("-L", "ISO-8859-5"),
            Map.entry("-M", "ISO-8859-9"),
            Map.entry("-T", "TIS-620"),
            Map.entry("$)C", "EUC-KR"),
            Map.entry("$(D", "ISO-2022-JP-2"),
            Map.entry("$)A", "GB2312"));

    /** Sets whose decoder reads the escape sequence itself. */
    private static final Set<String> STATEFUL = Set.of("ISO-2022-JP", "ISO-2022-JP-2");

    private static final Set<String> STAND_ALONE = Set.of("ISO_IR 192", "GBK", "GB18030");

    private final List<Charset> charsets;

    /** A decoder for the values of Specific Character Set; an empty list means the default repertoire. */
    TextDecoder(List<String> terms) {
        List<String> t = new ArrayList<>(terms.isEmpty() ? List.of("") : terms);
        if (t.size() > 1) {
            String first = t.get(0);
            t.removeIf(STAND_ALONE::contains);
            if (t.isEmpty()) {
                t.add(first);
            }
        }
        List<Charset> out = new ArrayList<>();
        for (String term : t) {
            out.add(charset(TERMS.get(corrected(term.trim()))));
        }
        this.charsets = out;
    }

    static final TextDecoder DEFAULT_DECODER = new TextDecoder(List.of());

    /** Common misspellings ({@code ISO IR 100}, {@code ISO-2022-IR 87}) as the standard spells them. */
    private static String corrected(String term) {
        if (TERMS.containsKey(term)) {
            return term;
        }
        if (term.matches("^ISO[^_]IR.*")) {
            return "ISO_IR" + term.substring(6);
        }
        if (term.matches("^ISO.2022.IR..*")) {
            return "ISO 2022 IR " + term.substring(12);
        }
        return term;
    }

    private static Charset charset(String name) {
        if (name == null) {
            return DEFAULT;
        }
        try {
            return Charset.forName(name);
        } catch (IllegalArgumentException e) {
            return DEFAULT;
        }
    }

    /** Decodes one value (no backslash inside), resetting to the first set at any of {@code delimiters}. */
    String decode(byte[] v, int from, int to, Set<Integer> delimiters) {
        Charset first = charsets.get(0);
        int esc = indexOf(v, from, to, ESC);
        if (esc < 0) {
            return new String(v, from, to - from, first);
        }
        StringBuilder out = new StringBuilder();
        if (esc > from) {
            out.append(new String(v, from, esc - from, first));
        }
        int i = esc;
        while (i < to) {
            int next = indexOf(v, i + 1, to, ESC);
            int end = next < 0 ? to : next;
            out.append(fragment(v, i, end, delimiters));
            i = end;
        }
        return out.toString();
    }

    private String fragment(byte[] v, int from, int to, Set<Integer> delimiters) {
        Charset first = charsets.get(0);
        int seq = to - from >= 3 && v[from + 1] == '$' && (v[from + 2] == '(' || v[from + 2] == ')') ? 4 : 3;
        seq = Math.min(seq, to - from);
        String code = new String(v, from + 1, seq - 1, StandardCharsets.ISO_8859_1);
        String name = ESCAPES.get(code);
        Charset cs = name == null ? null : charset(name);
        if (cs == null || !(charsets.contains(cs) || cs.equals(DEFAULT))) {
            return new String(v, from, to - from, first);
        }
        if (STATEFUL.contains(name)) {
            return new String(v, from, to - from, cs);
        }
        int start = from + seq;
        for (int k = start; k < to; k++) {
            if (delimiters.contains(v[k] & 0xFF)) {
                return new String(v, start, k - start, cs) + new String(v, k, to - k, first);
            }
        }
        return new String(v, start, to - start, cs);
    }

    private static int indexOf(byte[] v, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (v[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
