package io.github.xnatreactive.testkit.internal;

/**
 * An XNAT field path such as {@code xnat:mrSessionData/fieldStrength} or
 * {@code xnat:subjectData/demographics[@xsi:type=xnat:demographicData]/gender}, normalised to the key under which
 * {@link Item#fields} stores it ({@code fieldstrength}, {@code demographics/gender}); repeated elements keep their
 * key ({@code parameters/addparam[name=TE]}), see {@link DocKeys}.
 */
public record XPath(String element, String key) {

    public static XPath parse(String raw) {
        String s = raw.trim();
        String element = null;
        int slash = s.indexOf('/');
        if (slash > 0
                && s.substring(0, slash).indexOf(':') > 0
                && s.substring(0, slash).indexOf('[') < 0) {
            element = s.substring(0, slash);
            s = s.substring(slash + 1);
        }
        return new XPath(element, DocKeys.normalize(s));
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
            default -> target.fields.containsKey(key) ? target.field(key) : target.field(DocKeys.first(key));
        };
    }
}
