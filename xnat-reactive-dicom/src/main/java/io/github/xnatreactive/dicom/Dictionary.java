package io.github.xnatreactive.dicom;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** The value representations of the standard data dictionary, for implicit VR files. Loaded once. */
final class Dictionary {
    private static final Map<Integer, String> VRS = load();

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

    private static Map<Integer, String> load() {
        Map<Integer, String> m = new HashMap<>(8192);
        try (InputStream in = Dictionary.class.getResourceAsStream("vr.txt")) {
            if (in == null) {
                throw new IllegalStateException("vr.txt is missing from the xnat-reactive-dicom jar");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isEmpty() || line.charAt(0) == '#') {
                    continue;
                }
                m.put(Integer.parseUnsignedInt(line.substring(0, 8), 16), line.substring(9));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }
}
