package io.github.xnatreactive.testkit.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The data types the search engine knows and the display fields XNAT defines for them (a subset of XNAT's display
 * documents: the fields of projects, subjects, sessions, scans and assessors that the testkit stores). A field that
 * is not a display field of its element is read as an XPath ({@code xnat:subjectData/demographics/gender}).
 */
final class SearchFields {
    private SearchFields() {}

    /** A display field: ID, header, type and how to read it from an item of its element. */
    record DisplayField(String id, String header, String type, String summary, Function<Item, String> value) {}

    /** A data type: its element name, the kind of item it covers, and singular and plural names. */
    record DataType(String element, Kind kind, String singular, String plural) {}

    /** The concrete types listed by {@code /data/search/elements}, besides the stored types the testkit meets. */
    static final List<DataType> KNOWN = List.of(
            new DataType("xnat:projectData", Kind.PROJECT, "Project", "Projects"),
            new DataType("xnat:subjectData", Kind.SUBJECT, "Subject", "Subjects"),
            new DataType("xnat:mrSessionData", Kind.SESSION, "MR Session", "MR Sessions"),
            new DataType("xnat:petSessionData", Kind.SESSION, "PET Session", "PET Sessions"),
            new DataType("xnat:ctSessionData", Kind.SESSION, "CT Session", "CT Sessions"),
            new DataType("xnat:mrScanData", Kind.SCAN, "MR Scan", "MR Scans"),
            new DataType("xnat:petScanData", Kind.SCAN, "PET Scan", "PET Scans"),
            new DataType("xnat:ctScanData", Kind.SCAN, "CT Scan", "CT Scans"),
            new DataType("xnat:qcManualAssessorData", Kind.ASSESSOR, "Manual QC", "Manual QCs"),
            new DataType("xnat:qcAssessmentData", Kind.ASSESSOR, "Auto QC", "Auto QCs"));

    /** Abstract types a search may use as its root or in a field's element. */
    private static final Map<String, Kind> ABSTRACT = Map.of(
            "xnat:experimentdata", Kind.SESSION,
            "xnat:subjectassessordata", Kind.SESSION,
            "xnat:imagesessiondata", Kind.SESSION,
            "xnat:imageassessordata", Kind.ASSESSOR,
            "xnat:derivedimagedata", Kind.ASSESSOR,
            "xnat:imagescandata", Kind.SCAN);

    /** The only element XNAT lists as unsecured by default. */
    static final DataType INVESTIGATOR = new DataType("xnat:investigatorData", null, "Investigator", "Investigators");

    private static final Map<Kind, Map<String, DisplayField>> FIELDS = new LinkedHashMap<>();

    static {
        Map<String, DisplayField> p = fields(Kind.PROJECT);
        add(p, "ID", "ID", "string", "Project ID", it -> it.id);
        add(p, "SECONDARY_ID", "Title", "string", "Running title", it -> it.field("secondary_id"));
        add(p, "NAME", "Name", "string", "Project name", it -> it.field("name"));
        add(p, "DESCRIPTION", "Description", "string", "Description", it -> it.field("description"));
        add(p, "KEYWORDS", "Keywords", "string", "Keywords", it -> it.field("keywords"));
        add(p, "PI", "PI", "string", "Principal investigator", it -> it.field("pi/lastname"));
        add(p, "PROJECT_ACCESS", "Accessibility", "string", "public, protected or private", it -> it.accessibility);
        add(p, "INSERT_DATE", "Inserted", "date", "Insert date", it -> it.insertDate);

        Map<String, DisplayField> s = fields(Kind.SUBJECT);
        add(s, "SUBJECT_ID", "Subject", "string", "Accession ID", it -> it.id);
        add(s, "SUBJECT_LABEL", "Label", "string", "Label within the project", it -> it.label);
        add(s, "PROJECT", "Project", "string", "Project", it -> it.project.id);
        add(s, "GENDER_TEXT", "M/F", "string", "Gender", it -> it.field("demographics/gender"));
        add(s, "HANDEDNESS_TEXT", "Hand", "string", "Handedness", it -> it.field("demographics/handedness"));
        add(s, "DOB", "DOB", "date", "Date of birth", it -> it.field("demographics/dob"));
        add(s, "YOB", "YOB", "integer", "Year of birth", it -> it.field("demographics/yob"));
        add(s, "AGE", "Age", "integer", "Age", it -> it.field("demographics/age"));
        add(s, "EDUC", "Education", "integer", "Years of education", it -> it.field("demographics/education"));
        add(s, "SES", "SES", "integer", "Socio-economic status", it -> it.field("demographics/ses"));
        add(s, "RACE", "Race", "string", "Race", it -> it.field("demographics/race"));
        add(s, "ETHNICITY", "Ethnicity", "string", "Ethnicity", it -> it.field("demographics/ethnicity"));
        add(s, "SUB_GROUP", "Group", "string", "Group", it -> it.field("group"));
        add(s, "SRC", "Source", "string", "Recruitment source", it -> it.field("src"));
        add(s, "INSERT_DATE", "Inserted", "date", "Insert date", it -> it.insertDate);
        add(s, "INSERT_USER", "Creator", "string", "Who created it", it -> it.insertUser);

        Map<String, DisplayField> e = fields(Kind.SESSION);
        add(e, "SESSION_ID", "Session", "string", "Accession ID", it -> it.id);
        add(e, "EXPT_ID", "ID", "string", "Accession ID", it -> it.id);
        add(e, "LABEL", "Label", "string", "Label within the project", it -> it.label);
        add(e, "PROJECT", "Project", "string", "Project", it -> it.project.id);
        add(e, "SUBJECT_ID", "Subject", "string", "Subject's accession ID", it -> it.parent.id);
        add(e, "DATE", "Date", "date", "Date", it -> it.field("date"));
        add(e, "TIME", "Time", "string", "Time", it -> it.field("time"));
        add(e, "AGE", "Age", "integer", "Age at the session", SearchFields::ageAtSession);
        add(e, "VISIT_ID", "Visit", "string", "Visit", it -> it.field("visit_id"));
        add(e, "SESSION_TYPE", "Session type", "string", "Session type", it -> it.field("session_type"));
        add(e, "MODALITY", "Modality", "string", "Modality", it -> it.field("modality"));
        add(e, "SCANNER", "Scanner", "string", "Scanner", it -> it.field("scanner"));
        add(e, "FIELDSTRENGTH", "Field strength", "float", "MR field strength", it -> it.field("fieldstrength"));
        add(e, "UID", "UID", "string", "Study instance UID", it -> it.field("uid"));
        add(e, "NOTE", "Notes", "string", "Notes", it -> it.field("note"));
        add(e, "INSERT_DATE", "Inserted", "date", "Insert date", it -> it.insertDate);
        add(e, "INSERT_USER", "Creator", "string", "Who created it", it -> it.insertUser);

        Map<String, DisplayField> c = fields(Kind.SCAN);
        add(c, "ID", "Scan", "string", "Scan ID within its session", it -> it.id);
        add(c, "TYPE", "Type", "string", "Scan type", it -> it.field("type"));
        add(c, "SERIES_DESCRIPTION", "Series", "string", "Series description", it -> it.field("series_description"));
        add(c, "QUALITY", "Quality", "string", "Usability", it -> it.field("quality"));
        add(c, "NOTE", "Note", "string", "Note", it -> it.field("note"));
        add(c, "FRAMES", "Frames", "integer", "Number of frames", it -> it.field("frames"));
        add(c, "UID", "UID", "string", "Series instance UID", it -> it.field("uid"));
        add(c, "MODALITY", "Modality", "string", "Modality", it -> it.field("modality"));
        add(c, "SCANNER", "Scanner", "string", "Scanner", it -> it.field("scanner"));
        add(c, "IMAGE_SESSION_ID", "Session", "string", "Session's accession ID", it -> it.parent.id);
        add(c, "PROJECT", "Project", "string", "Project", it -> it.project.id);

        Map<String, DisplayField> a = fields(Kind.ASSESSOR);
        add(a, "EXPT_ID", "ID", "string", "Accession ID", it -> it.id);
        add(a, "LABEL", "Label", "string", "Label", it -> it.label);
        add(a, "PROJECT", "Project", "string", "Project", it -> it.project.id);
        add(a, "DATE", "Date", "date", "Date", it -> it.field("date"));
        add(a, "SESSION_ID", "Session", "string", "Assessed session's accession ID", it -> it.parent.id);
        add(a, "INSERT_DATE", "Inserted", "date", "Insert date", it -> it.insertDate);
        add(a, "INSERT_USER", "Creator", "string", "Who created it", it -> it.insertUser);
    }

    private static Map<String, DisplayField> fields(Kind k) {
        return FIELDS.computeIfAbsent(k, x -> new LinkedHashMap<>());
    }

    private static void add(
            Map<String, DisplayField> m,
            String id,
            String header,
            String type,
            String summary,
            Function<Item, String> v) {
        m.put(id, new DisplayField(id, header, type, summary, v));
    }

    /** A session's {@code age} field, else its year minus the subject's year of birth (as XNAT derives AGE). */
    private static String ageAtSession(Item it) {
        String age = it.field("age");
        if (!age.isEmpty()) {
            return age;
        }
        Item subject = it.subject();
        String yob = subject == null ? "" : subject.field("demographics/yob");
        if (yob.isEmpty()
                && subject != null
                && subject.field("demographics/dob").length() >= 4) {
            yob = subject.field("demographics/dob").substring(0, 4);
        }
        String date = it.field("date");
        try {
            return yob.isEmpty() || date.length() < 4
                    ? ""
                    : Integer.toString(Integer.parseInt(date.substring(0, 4)) - Integer.parseInt(yob.trim()));
        } catch (NumberFormatException e) {
            return "";
        }
    }

    /** The kind of item an element names, or null for an element the testkit does not know. */
    static Kind kindOf(String element) {
        String e = element.toLowerCase(Locale.ROOT);
        for (DataType t : KNOWN) {
            if (t.element().equalsIgnoreCase(element)) {
                return t.kind();
            }
        }
        Kind k = ABSTRACT.get(e);
        if (k != null) {
            return k;
        }
        if (!e.startsWith("xdat:") && e.indexOf(':') > 0 && e.endsWith("data")) {
            // other stored types: the same rules as the store's type hierarchy
            if (Types.isA(e, "xnat:imageScanData")) {
                return Kind.SCAN;
            }
            return Types.isImageAssessor(e) ? Kind.ASSESSOR : Kind.SESSION;
        }
        return null;
    }

    /** Whether the element is a known or abstract type, or one of the types stored. */
    static boolean exists(String element, List<String> storedTypes) {
        if (kindOf(element) == null) {
            return false;
        }
        String e = element.toLowerCase(Locale.ROOT);
        if (ABSTRACT.containsKey(e)) {
            return true;
        }
        for (DataType t : KNOWN) {
            if (t.element().equalsIgnoreCase(element)) {
                return true;
            }
        }
        for (String t : storedTypes) {
            if (t.equalsIgnoreCase(element)) {
                return true;
            }
        }
        return false;
    }

    /** The display fields of an element (empty for an element with none). */
    static Map<String, DisplayField> displayFields(String element) {
        Kind k = kindOf(element);
        return k == null ? Map.of() : FIELDS.getOrDefault(k, Map.of());
    }

    /** A display field of an element, IDs compared ignoring case, or null. */
    static DisplayField displayField(String element, String id) {
        for (DisplayField f : displayFields(element).values()) {
            if (f.id().equalsIgnoreCase(id)) {
                return f;
            }
        }
        return null;
    }

    /** Whether an item is of the element's type: the kind matches and, below projects and subjects, the type. */
    static boolean isOf(Item it, String element) {
        Kind k = kindOf(element);
        if (k == null || it.kind != k) {
            return false;
        }
        return k == Kind.PROJECT || k == Kind.SUBJECT || Types.isA(it.xsiType, element);
    }

    /** The concrete types for {@code /data/search/elements}: the known ones and every other stored type. */
    static List<DataType> listed(List<String> storedTypes) {
        List<DataType> out = new ArrayList<>(KNOWN);
        for (String t : storedTypes) {
            boolean known = false;
            for (DataType d : out) {
                known |= d.element().equalsIgnoreCase(t);
            }
            Kind k = kindOf(t);
            if (!known && k != null) {
                String name = t.substring(t.indexOf(':') + 1);
                out.add(new DataType(t, k, name, name + "s"));
            }
        }
        return out;
    }
}
