package io.github.xnatreactive.dicom;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** The standard data dictionary: value representations (for implicit VR files) and names. Loaded once. */
final class Dictionary {
    private static final Map<Integer, String> VRS = new HashMap<>(8192);
    private static final Map<Integer, String> NAMES = new HashMap<>(8192);

    static {
        load();
    }

    private Dictionary() {}

    /** The VR of a tag: group lengths are UL, private creators LO, unknown tags UN. */
    static String vr(int tag) {
        int group = tag >>> 16;
        int element = tag & 0xFFFF;
        if (element == 0) {
            return "UL";
        }
        if ((group & 1) == 1) {
            return element >= 0x0010 && element <= 0x00FF ? "LO" : "UN";
        }
        String vr = VRS.get(tag);
        return vr == null ? "UN" : vr;
    }

    /** The standard name of a tag, e.g. {@code Study Instance UID}; "" for a private or unknown tag. */
    static String name(int tag) {
        String name = NAMES.get(tag);
        if (name != null) {
            return name;
        }
        if ((tag & 0xFFFF) == 0) {
            return "Group Length";
        }
        return (tag >>> 16 & 1) == 1 ? "Private Tag" : "";
    }

    private static void load() {
        try (InputStream in = Dictionary.class.getResourceAsStream("vr.txt")) {
            if (in == null) {
                throw new IllegalStateException("vr.txt is missing from the xnat-reactive-dicom jar");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isEmpty() || line.charAt(0) == '#') {
                    continue;
                }
                int tag = Integer.parseUnsignedInt(line.substring(0, 8), 16);
                int space = line.indexOf(' ', 9);
                VRS.put(tag, line.substring(9, space));
                NAMES.put(tag, line.substring(space + 1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
