package io.github.xnatreactive.testkit.internal;

import java.util.Locale;

/**
 * An XNAT field path such as {@code xnat:mrSessionData/fieldStrength} or
 * {@code xnat:subjectData/demographics[@xsi:type=xnat:demographicData]/gender}, normalised to the key under which
 * {@link Item#fields} stores it ({@code fieldstrength}, {@code demographics/gender}).
 */
public record XPath(String element, String key) {

    public static XPath parse(String raw) {
        String s = raw.trim();
        String element = null;
        int slash = s.indexOf('/');
        if (slash > 0 && s.substring(0, slash).indexOf(':') > 0) {
            element = s.substring(0, slash);
            s = s.substring(slash + 1);
        }
        StringBuilder b = new StringBuilder();
        int depth = 0;
        for (char c : s.toCharArray()) {
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            } else if (depth == 0) {
                b.append(c);
            }
        }
        return new XPath(element, b.toString().toLowerCase(Locale.ROOT));
    }

    /** Whether the path names a stored field (not ID, label, project and the like). */
    public boolean isPlainField() {
        return switch (key) {
            case "id", "label", "project", "subject_id", "insert_date", "meta/insert_date", "insert_user" -> false;
            default -> true;
        };
    }

    /** Reads the value for an item, following the path's element to the subject when it names subject data. */
    public String read(Item it) {
        Item target = it;
        if (element != null && element.equalsIgnoreCase("xnat:subjectData") && it.kind != Kind.SUBJECT) {
            target = it.subject();
            if (target == null) {
                return "";
            }
        }
        return switch (key) {
            case "id" -> target.id;
            case "label" -> target.label;
            case "project" -> target.project == null ? target.id : target.project.id;
            case "subject_id" -> target.subject() == null ? "" : target.subject().id;
            case "insert_date", "meta/insert_date" -> target.insertDate;
            case "insert_user" -> target.insertUser;
            default -> target.field(key);
        };
    }
}
