package io.github.xnatreactive.testkit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The keys under which {@link Item#fields} keeps a document, as XNAT's XFT paths name its values. A key is a path
 * relative to the item, lower-cased element names joined by {@code /}; a repeated element keeps what tells its
 * occurrences apart, as XNAT's paths do: {@code parameters/addparam[name=TE]} (an attribute, whose value keeps its
 * case) or {@code provenance/processstep[2]/program} (a position); an attribute below the root is {@code @name}
 * ({@code parameters/voxelres/@x}). A keyed element's text is the key itself: XNAT's
 * {@code parameters/addParam[name=TE]/addField} and {@code fields/field[name=x]/field} both name it.
 */
final class DocKeys {
    private DocKeys() {}

    /** Elements repeated below one parent and told apart by an attribute: element to attribute. */
    private static final Map<String, String> KEYED = Map.of(
            "addparam", "name",
            "field", "name",
            "addid", "name",
            "studyprotocol", "name",
            "definition", "ID");

    /** Elements repeated below one parent and told apart by their position. */
    private static final Set<String> INDEXED = Set.of("processstep", "investigator", "publication");

    /** The path step XNAT gives the text of a keyed element. */
    private static final Map<String, String> TEXT_FIELD = Map.of("addparam", "addfield", "field", "field");

    /** Attributes below the root: parent element, then attribute. */
    private static final Set<String> ATTRIBUTES = Set.of(
            "voxelres/x",
            "voxelres/y",
            "voxelres/z",
            "fov/x",
            "fov/y",
            "matrix/x",
            "matrix/y",
            "scanner/manufacturer",
            "scanner/model",
            "program/version",
            "program/arguments",
            "platform/version",
            "compiler/version",
            "library/version",
            "studyprotocol/id",
            "studyprotocol/data-type",
            "definition/data-type",
            "definition/description",
            "definition/project-specific",
            "field/datatype",
            "field/type",
            "field/required",
            "field/xmlpath");

    /** How XNAT's schemas spell names that are not all lower case. */
    private static final Map<String, String> SPELLINGS = new ConcurrentHashMap<>(Map.ofEntries(
            Map.entry("fieldstrength", "fieldStrength"),
            Map.entry("uid", "UID"),
            Map.entry("id", "ID"),
            Map.entry("basescantype", "baseScanType"),
            Map.entry("secondary_id", "secondary_ID"),
            Map.entry("pi", "PI"),
            Map.entry("addparam", "addParam"),
            Map.entry("addfield", "addField"),
            Map.entry("addid", "addID"),
            Map.entry("processstep", "processStep"),
            Map.entry("studyprotocol", "studyProtocol"),
            Map.entry("voxelres", "voxelRes"),
            Map.entry("imagetype", "imageType"),
            Map.entry("scansequence", "scanSequence"),
            Map.entry("seqvariant", "seqVariant"),
            Map.entry("scanoptions", "scanOptions"),
            Map.entry("acqtype", "acqType"),
            Map.entry("pixelbandwidth", "pixelBandwidth"),
            Map.entry("dtiacqcount", "dtiAcqCount"),
            Map.entry("starttime", "startTime"),
            Map.entry("xmlpath", "xmlPath"),
            Map.entry("dcmpatientid", "dcmPatientId"),
            Map.entry("dcmpatientname", "dcmPatientName"),
            Map.entry("dcmaccessionnumber", "dcmAccessionNumber"),
            Map.entry("dcmpatientbirthdate", "dcmPatientBirthDate"),
            Map.entry("dcmpatientweight", "dcmPatientWeight"),
            Map.entry("prearchivepath", "prearchivePath"),
            Map.entry("stereotacticmarker", "stereotacticMarker"),
            Map.entry("incidentalfindings", "incidentalFindings"),
            Map.entry("phaseencodingdirection", "phaseEncodingDirection")));

    /** One step of a key: an element (maybe keyed or positioned) or an attribute ({@code @x}). */
    record Step(String name, String keyName, String keyValue, int index) {
        boolean attribute() {
            return name.startsWith("@");
        }

        boolean repeated() {
            return keyName != null || index > 0;
        }

        @Override
        public String toString() {
            if (keyName != null) {
                return name + "[" + keyName + "=" + keyValue + "]";
            }
            return index > 0 ? name + "[" + index + "]" : name;
        }
    }

    /** The attribute that tells a keyed element's occurrences apart, or null. */
    static String keyAttribute(String element) {
        return KEYED.get(element);
    }

    static boolean indexed(String element) {
        return INDEXED.contains(element);
    }

    /** The XFT name of a keyed element's text ({@code addField} for {@code addParam}), or null. */
    static String textField(String element) {
        return TEXT_FIELD.get(element);
    }

    /** Remembers how a document spelled a name, so that documents are written back the same way. */
    static void learn(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (!lower.equals(name)) {
            SPELLINGS.putIfAbsent(lower, name);
        }
    }

    /** The schema spelling of a lower-cased name ({@code fieldstrength} to {@code fieldStrength}). */
    static String spell(String lower) {
        return SPELLINGS.getOrDefault(lower, lower);
    }

    /** The schema spelling of a whole stored key ({@code parameters/voxelres/@x} to {@code parameters/voxelRes/x}). */
    static String spellKey(String key) {
        StringBuilder b = new StringBuilder();
        for (Step s : steps(key)) {
            if (b.length() > 0) {
                b.append('/');
            }
            String n = s.attribute() ? s.name().substring(1) : s.name();
            b.append(spell(n));
            if (s.keyName() != null) {
                b.append('[')
                        .append(s.keyName())
                        .append('=')
                        .append(s.keyValue())
                        .append(']');
            } else if (s.index() > 0) {
                b.append('[').append(s.index()).append(']');
            }
        }
        return b.toString();
    }

    /** Splits a stored key (or an XPath) into its steps; brackets may hold slashes. */
    static List<Step> steps(String key) {
        List<Step> out = new ArrayList<>();
        for (String raw : split(key)) {
            out.add(step(raw));
        }
        return out;
    }

    private static List<String> split(String path) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            } else if (c == '/' && depth == 0) {
                parts.add(path.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(path.substring(start));
        parts.removeIf(String::isEmpty);
        return parts;
    }

    private static Step step(String raw) {
        int open = raw.indexOf('[');
        String name = (open < 0 ? raw : raw.substring(0, open)).trim();
        int colon = name.indexOf(':');
        if (colon >= 0) {
            name = (name.startsWith("@") ? "@" : "") + name.substring(colon + 1);
        }
        name = name.toLowerCase(Locale.ROOT);
        String keyName = null;
        String keyValue = null;
        int index = 0;
        while (open >= 0) {
            int close = raw.indexOf(']', open);
            if (close < 0) {
                throw XnatError.badRequest("Invalid XPath step: " + raw);
            }
            String pred = raw.substring(open + 1, close).trim();
            int eq = pred.indexOf('=');
            if (eq < 0) {
                try {
                    index = Integer.parseInt(pred);
                } catch (NumberFormatException e) {
                    throw XnatError.badRequest("Invalid XPath step: " + raw);
                }
            } else {
                String k = pred.substring(0, eq).trim();
                if (k.startsWith("@")) {
                    k = k.substring(1);
                }
                if (!k.equalsIgnoreCase("xsi:type")) {
                    String canonical = KEYED.get(name);
                    keyName = canonical != null && canonical.equalsIgnoreCase(k) ? canonical : k;
                    keyValue = unquote(pred.substring(eq + 1).trim());
                }
            }
            open = raw.indexOf('[', close);
        }
        return new Step(name, keyName, keyValue, index);
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.charAt(0) == '\'' || v.charAt(0) == '"') && v.charAt(v.length() - 1) == v.charAt(0)) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    /**
     * The stored key for a path relative to an item, as a client writes it ({@code parameters/addParam[name=TE]/addField},
     * {@code demographics[@xsi:type=xnat:demographicData]/gender}, {@code parameters/voxelRes/x}).
     */
    static String normalize(String relative) {
        List<Step> steps = steps(relative);
        int n = steps.size();
        if (n >= 2) {
            Step last = steps.get(n - 1);
            Step parent = steps.get(n - 2);
            if (parent.keyName() != null && last.name().equals(TEXT_FIELD.get(parent.name()))) {
                steps.remove(n - 1);
            } else if (!last.attribute() && ATTRIBUTES.contains(parent.name() + "/" + last.name())) {
                steps.set(n - 1, new Step("@" + last.name(), null, null, 0));
            }
        }
        StringBuilder b = new StringBuilder();
        for (Step s : steps) {
            if (b.length() > 0) {
                b.append('/');
            }
            b.append(s);
        }
        return b.toString();
    }

    /**
     * The key of the first occurrence where a path crosses a repeated element without saying which
     * ({@code provenance/processstep/program} to {@code provenance/processstep[1]/program}): a listing column
     * through repeated elements gives the first one (XNAT gives one row per occurrence).
     */
    static String first(String key) {
        StringBuilder b = new StringBuilder();
        for (Step s : steps(key)) {
            if (b.length() > 0) {
                b.append('/');
            }
            b.append(INDEXED.contains(s.name()) && !s.repeated() ? s.name() + "[1]" : s.toString());
        }
        return b.toString();
    }
}
