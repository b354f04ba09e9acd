package io.github.xnatreactive.testkit.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One listing level of the archive (projects, subjects, experiments, scans, assessors, reconstructions): its
 * default columns, the short names it knows (XNAT's XMLPathShortcuts), and how {@code columns=}, filters,
 * {@code sortBy}/{@code sortOrder} and {@code limit}/{@code offset} apply (contract section 2.5).
 */
public final class Level {
    /** Query parameters that are never filters. */
    private static final Set<String> CONTROL = Set.of(
            "format",
            "columns",
            "sortby",
            "sortorder",
            "limit",
            "offset",
            "xsitype",
            "all",
            "recursive",
            "accessible",
            "owner",
            "member",
            "collaborator",
            "admin",
            "recent",
            "favorite",
            "req_format",
            "inbody",
            "structure",
            "compression",
            "locator",
            "index",
            "event_reason",
            "event_type",
            "event_action",
            "event_comment",
            "event_id",
            "_",
            "concealhiddenfields");

    private final String pk;
    private final List<String> defaults;
    private final Map<String, Column> shortNames = new LinkedHashMap<>();
    private final Map<String, String> writable = new LinkedHashMap<>();
    private final boolean paged;
    private final Function<Item, String> uri;

    public record Column(String name, Function<Item, String> getter) {}

    private Level(String pk, List<String> defaults, boolean paged, Function<Item, String> uri) {
        this.pk = pk;
        this.defaults = defaults;
        this.paged = paged;
        this.uri = uri;
    }

    private Level col(String name, Function<Item, String> getter) {
        shortNames.put(name.toLowerCase(Locale.ROOT), new Column(name, getter));
        return this;
    }

    private Level field(String name, String fieldKey) {
        writable.put(name.toLowerCase(Locale.ROOT), fieldKey);
        return col(name, it -> it.field(fieldKey));
    }

    /** The stored field a short name writes to on PUT ({@code gender} to {@code demographics/gender}), or null. */
    public String fieldKey(String shortName) {
        return writable.get(shortName.toLowerCase(Locale.ROOT));
    }

    private static String expUri(Item it) {
        return "/data/experiments/" + it.id;
    }

    public static final Level PROJECTS = new Level(
                    "ID",
                    List.of("ID", "secondary_ID", "name", "description", "pi_firstname", "pi_lastname", "URI"),
                    false,
                    it -> "/data/projects/" + it.id)
            .col("ID", it -> it.id)
            .field("secondary_ID", "secondary_id")
            .field("name", "name")
            .field("description", "description")
            .field("pi_firstname", "pi/firstname")
            .field("pi_lastname", "pi/lastname")
            .field("keywords", "keywords")
            .col("xsiType", it -> it.xsiType)
            .col("insert_date", it -> it.insertDate)
            .col("insert_user", it -> it.insertUser)
            .col("project_access", it -> it.accessibility);

    public static final Level SUBJECTS = new Level(
                    "ID",
                    List.of("ID", "project", "label", "insert_date", "insert_user", "URI"),
                    true,
                    it -> "/data/subjects/" + it.id)
            .col("ID", it -> it.id)
            .col("project", it -> it.project.id)
            .col("label", it -> it.label)
            .col("insert_date", it -> it.insertDate)
            .col("insert_user", it -> it.insertUser)
            .col("xsiType", it -> it.xsiType)
            .field("gender", "demographics/gender")
            .field("dob", "demographics/dob")
            .field("yob", "demographics/yob")
            .field("handedness", "demographics/handedness")
            .field("group", "group")
            .field("src", "src")
            .col("last_modified", it -> it.insertDate);

    public static final Level SESSIONS = experimentColumns(new Level(
            "xnat:subjectassessordata/id",
            List.of("xnat:subjectassessordata/id", "ID", "project", "date", "xsiType", "label", "insert_date", "URI"),
            true,
            Level::expUri));

    /** The global {@code /data/experiments} listing (sessions and assessors alike). */
    public static final Level EXPERIMENTS = experimentColumns(new Level(
            "ID", List.of("ID", "project", "date", "xsiType", "label", "insert_date", "URI"), true, Level::expUri));

    /** {@code /data/experiments} when the root type is a subject assessor: adds subject_ID and subject_label. */
    public static final Level SUBJECT_ASSESSORS = experimentColumns(new Level(
            "ID",
            List.of("ID", "project", "date", "xsiType", "label", "insert_date", "subject_ID", "subject_label", "URI"),
            true,
            Level::expUri));

    /** {@code /data/experiments} when the root type is an image assessor: adds session_ID and session_label. */
    public static final Level IMAGE_ASSESSORS = experimentColumns(new Level(
                    "ID",
                    List.of(
                            "ID",
                            "project",
                            "date",
                            "xsiType",
                            "label",
                            "insert_date",
                            "session_ID",
                            "session_label",
                            "URI"),
                    true,
                    Level::expUri))
            .col("session_ID", it -> it.parent.id)
            .col("session_label", it -> it.parent.label);

    public static final Level ASSESSORS = experimentColumns(new Level(
                    "xnat:imageassessordata/id",
                    List.of(
                            "ID",
                            "project",
                            "label",
                            "date",
                            "xsiType",
                            "insert_date",
                            "session_ID",
                            "session_label",
                            "xnat:imageassessordata/id",
                            "URI"),
                    false,
                    Level::expUri))
            .col("session_ID", it -> it.parent.id)
            .col("session_label", it -> it.parent.label);

    public static final Level SCANS = new Level(
                    "xnat_imagescandata_id",
                    List.of(
                            "xnat_imagescandata_id",
                            "ID",
                            "type",
                            "quality",
                            "xsiType",
                            "note",
                            "series_description",
                            "URI"),
                    false,
                    it -> "/data/experiments/" + it.parent.id + "/scans/" + it.id)
            .col("xnat_imagescandata_id", it -> Long.toString(it.pk))
            .col("ID", it -> it.id)
            .field("type", "type")
            .field("quality", "quality")
            .col("xsiType", it -> it.xsiType)
            .field("note", "note")
            .field("series_description", "series_description")
            .field("UID", "uid")
            .field("frames", "frames")
            .field("modality", "modality")
            .field("scanner", "scanner")
            .field("condition", "condition")
            .field("documentation", "documentation")
            .col("last_modified", it -> it.insertDate);

    public static final Level RECONSTRUCTIONS = new Level(
                    "xnat_reconstructedimagedata_id",
                    List.of("xnat_reconstructedimagedata_id", "ID", "type", "baseScanType", "URI"),
                    false,
                    it -> "/data/experiments/" + it.parent.id + "/reconstructions/" + it.id)
            .col("xnat_reconstructedimagedata_id", it -> Long.toString(it.pk))
            .col("ID", it -> it.id)
            .field("type", "type")
            .field("baseScanType", "basescantype")
            .col("xsiType", it -> it.xsiType);

    private static Level experimentColumns(Level l) {
        return l.col("xnat:subjectassessordata/id", it -> it.id)
                .col("ID", it -> it.id)
                .col("project", it -> it.project.id)
                .field("date", "date")
                .col("xsiType", it -> it.xsiType)
                .col("label", it -> it.label)
                .col("insert_date", it -> it.insertDate)
                .col("insert_user", it -> it.insertUser)
                .col("subject_ID", it -> it.subject() == null ? "" : it.subject().id)
                .col("subject_label", it -> it.subject() == null ? "" : it.subject().label)
                .field("visit_id", "visit_id")
                .field("scanner", "scanner")
                .field("modality", "modality")
                .field("UID", "uid")
                .field("session_type", "session_type")
                .field("fieldStrength", "fieldstrength")
                .field("note", "note")
                .field("time", "time")
                .col("last_modified", it -> it.insertDate);
    }

    public String uri(Item it) {
        return uri.apply(it);
    }

    /** Builds the listing of {@code items} for the request's columns, filters, sorting and paging. */
    public Table list(List<Item> items, Query q) {
        List<Column> cols = columns(q.get("columns"));
        List<Filter> filters = filters(q);
        List<Item> kept = new ArrayList<>();
        for (Item it : items) {
            boolean ok = true;
            for (Filter f : filters) {
                if (!f.matches(it)) {
                    ok = false;
                    break;
                }
            }
            if (ok) {
                kept.add(it);
            }
        }
        List<String> names = new ArrayList<>();
        for (Column c : cols) {
            names.add(c.name());
        }
        Table t = new Table(names);
        List<Map<String, String>> rows = new ArrayList<>();
        for (Item it : kept) {
            Map<String, String> row = new LinkedHashMap<>();
            for (Column c : cols) {
                String v = c.getter().apply(it);
                row.put(c.name(), v == null ? "" : v);
            }
            rows.add(row);
        }
        sort(rows, q);
        String limit = q.get("limit");
        String offset = q.get("offset");
        if (paged && (limit != null || offset != null)) {
            int off = parseInt(offset, 0);
            int lim = limit == null || limit.equals("*") ? Integer.MAX_VALUE : parseInt(limit, 100);
            int from = Math.min(off, rows.size());
            int to = (int) Math.min((long) from + lim, rows.size());
            rows = new ArrayList<>(rows.subList(from, to));
        } else {
            t.meta.put("totalRecords", Integer.toString(rows.size()));
        }
        t.rows.addAll(rows);
        return t;
    }

    private static int parseInt(String s, int fallback) {
        if (s == null) {
            return fallback;
        }
        try {
            return Math.max(0, Integer.parseInt(s.trim()));
        } catch (NumberFormatException e) {
            throw XnatError.badRequest("Invalid number: " + s);
        }
    }

    private static void sort(List<Map<String, String>> rows, Query q) {
        String sortBy = q.get("sortBy");
        if (sortBy == null) {
            return;
        }
        Comparator<Map<String, String>> cmp = null;
        for (String col : sortBy.split(",")) {
            String key = findKey(rows, col.trim());
            if (key == null) {
                continue;
            }
            Comparator<Map<String, String>> c = Comparator.comparing(r -> r.getOrDefault(key, ""), Level::compareCells);
            cmp = cmp == null ? c : cmp.thenComparing(c);
        }
        if (cmp == null) {
            return;
        }
        if ("DESC".equalsIgnoreCase(q.get("sortOrder"))) {
            cmp = cmp.reversed();
        }
        rows.sort(cmp);
    }

    private static String findKey(List<Map<String, String>> rows, String col) {
        if (rows.isEmpty()) {
            return null;
        }
        for (String k : rows.get(0).keySet()) {
            if (k.equalsIgnoreCase(col)) {
                return k;
            }
        }
        return null;
    }

    private static int compareCells(String a, String b) {
        try {
            return Double.compare(Double.parseDouble(a), Double.parseDouble(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }

    /** Columns for {@code columns=}: defaults, or the requested known ones plus the primary key and URI. */
    List<Column> columns(String requested) {
        List<Column> out = new ArrayList<>();
        if (requested == null || requested.isBlank() || requested.equalsIgnoreCase("DEFAULT")) {
            for (String d : defaults) {
                out.add(resolve(d));
            }
            return out;
        }
        for (String name : requested.split(",")) {
            name = name.trim();
            Column c = name.equalsIgnoreCase("DEFAULT") ? null : resolve(name);
            if (name.equalsIgnoreCase("DEFAULT")) {
                for (String d : defaults) {
                    addOnce(out, resolve(d));
                }
            } else if (c != null) {
                addOnce(out, c);
            }
        }
        if (pk != null) {
            addOnce(out, resolve(pk));
        }
        addOnce(out, resolve("URI"));
        return out;
    }

    private static void addOnce(List<Column> cols, Column c) {
        for (Column x : cols) {
            if (x.name().equals(c.name())) {
                return;
            }
        }
        cols.add(c);
    }

    /** A short name, an XPath (anything with a '/') or null when XNAT would silently ignore the name. */
    Column resolve(String name) {
        if (name.equals("URI")) {
            return new Column("URI", this::uri);
        }
        Column c = shortNames.get(name.toLowerCase(Locale.ROOT));
        if (c != null) {
            return c;
        }
        if (name.indexOf('/') > 0) {
            XPath x = XPath.parse(name);
            // An XPath that maps to a short name of this level comes back under the short name (contract 2.4:
            // xnat:subjectAssessorData/subject_id is the subject_ID column); others come back lower-cased.
            Column shortForm = shortNames.get(x.key());
            boolean otherElement =
                    x.element() != null && x.element().equalsIgnoreCase("xnat:subjectData") && this != SUBJECTS;
            // The root's primary key (…/id) stays an XPath column, as XNAT adds it (contract 2.4).
            if (shortForm != null && !otherElement && !x.key().equals("id")) {
                return shortForm;
            }
            return new Column(name.toLowerCase(Locale.ROOT), x::read);
        }
        return null;
    }

    private List<Filter> filters(Query q) {
        List<Filter> out = new ArrayList<>();
        String xsiType = q.get("xsiType");
        if (xsiType != null && !xsiType.isEmpty()) {
            out.add(it -> Types.isA(it.xsiType, xsiType));
        }
        for (Map.Entry<String, List<String>> e : q.asMap().entrySet()) {
            String name = e.getKey();
            if (CONTROL.contains(name.toLowerCase(Locale.ROOT))) {
                continue;
            }
            Column c = name.indexOf('/') > 0 ? resolve(name) : shortNames.get(name.toLowerCase(Locale.ROOT));
            if (c == null) {
                continue;
            }
            for (String value : e.getValue()) {
                out.add(valueFilter(c, value));
            }
        }
        return out;
    }

    interface Filter {
        boolean matches(Item it);
    }

    private static Filter valueFilter(Column c, String spec) {
        List<Predicate> alternatives = new ArrayList<>();
        for (String v : spec.split(",")) {
            alternatives.add(predicate(v.trim()));
        }
        return it -> {
            String value = c.getter().apply(it);
            if (value == null) {
                value = "";
            }
            for (Predicate p : alternatives) {
                if (p.test(value)) {
                    return true;
                }
            }
            return false;
        };
    }

    private interface Predicate {
        boolean test(String value);
    }

    private static Predicate predicate(String v) {
        if (v.indexOf('*') >= 0 || v.indexOf('%') >= 0) {
            Pattern p = globToRegex(v);
            return value -> p.matcher(value).matches();
        }
        int dash = v.indexOf('-', 1);
        if (dash > 0) {
            String lo = v.substring(0, dash);
            String hi = v.substring(dash + 1);
            try {
                double a = Double.parseDouble(lo);
                double b = Double.parseDouble(hi);
                return value -> {
                    try {
                        double d = Double.parseDouble(value);
                        return d >= a && d <= b;
                    } catch (NumberFormatException e) {
                        return false;
                    }
                };
            } catch (NumberFormatException e) {
                // not a numeric range: exact match below
            }
        }
        return value -> value.equals(v);
    }

    static Pattern globToRegex(String glob) {
        StringBuilder b = new StringBuilder();
        for (char ch : glob.toCharArray()) {
            if (ch == '*' || ch == '%') {
                b.append(".*");
            } else {
                b.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(b.toString(), Pattern.DOTALL);
    }
}
