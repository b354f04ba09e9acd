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
 * Evaluates a search document against what the store holds, as XNAT's search engine does: one row per item of the
 * root type the user may read, joined with the other elements the fields and criteria name (a session's subject and
 * project; a subject's sessions or a session's scans give a row each, a left join), kept when the criteria hold.
 * Row keys follow XNAT: a root-element field's ID lower-cased ({@code label}), another element's field as
 * {@code <element sql name>_<field>} lower-cased ({@code xnat_subjectdata_subject_label}). Runs inside the request's
 * store transaction.
 */
final class SearchEngine {
    /** XPath keys every element has, whatever case they are written in ({@code xnat:subjectData/ID}). */
    private static final Set<String> BASE_KEYS =
            Set.of("id", "label", "project", "subject_id", "insert_date", "insert_user");

    private SearchEngine() {}

    /** A column of the result: its row key and the metadata XNAT sends in {@code Columns}. */
    record Column(String key, String element, String id, String header, String type, Function<Item, String> value) {}

    /** The rows and columns of an evaluated search. */
    record Result(String rootElement, List<Column> columns, List<Map<String, String>> rows) {
        /** The result as a listing: {@code Columns}, the rows, {@code totalRecords} and {@code rootElementName}. */
        Table table(List<Map<String, String>> page) {
            List<String> keys = new ArrayList<>();
            for (Column c : columns) {
                keys.add(c.key());
            }
            Table t = new Table(keys);
            t.rows.addAll(page);
            t.meta.put("totalRecords", Integer.toString(rows.size()));
            t.meta.put("rootElementName", rootElement);
            StringBuilder b = new StringBuilder("[");
            for (Column c : columns) {
                if (b.length() > 1) {
                    b.append(',');
                }
                b.append("{\"key\":").append(Json.quote(c.key()));
                b.append(",\"element_name\":").append(Json.quote(c.element()));
                b.append(",\"id\":").append(Json.quote(c.id()));
                b.append(",\"xPATH\":").append(Json.quote(c.element() + "." + c.id()));
                b.append(",\"header\":").append(Json.quote(c.header()));
                b.append(",\"type\":").append(Json.quote(c.type()));
                b.append('}');
            }
            t.jsonColumnsBlock = b.append(']').toString();
            return t;
        }
    }

    /** Whether the user may read an item: one place, the store's read permission on the item's project. */
    static boolean readable(Store store, Store.User user, Item it) {
        return store.canRead(user, it.kind == Kind.PROJECT ? it : it.project);
    }

    static Result evaluate(Store store, Store.User user, SearchDocument doc) {
        String root = doc.rootElement();
        List<String> stored = storedTypes(store);
        Kind rootKind = SearchFields.exists(root, stored) ? SearchFields.kindOf(root) : null;
        if (rootKind == null) {
            if (root.toLowerCase(Locale.ROOT).startsWith("xdat:")) {
                throw XnatError.forbidden("Invalid permissions: " + root + " cannot be queried.");
            }
            throw XnatError.badRequest("Unknown data type: " + root);
        }
        List<Column> columns = new ArrayList<>();
        for (SearchDocument.Field f : doc.fields()) {
            Column c = resolve(root, f.element(), f.fieldId(), stored);
            String header = f.header().isEmpty() ? c.header() : f.header();
            Column withHeader = new Column(c.key(), c.element(), c.id(), header, c.type(), c.value());
            if (columns.stream().noneMatch(x -> x.key().equals(withHeader.key()))) {
                columns.add(withHeader);
            }
        }
        Condition where = condition(root, doc.where(), stored);
        List<String> joined = new ArrayList<>();
        for (Column c : columns) {
            addElement(joined, root, rootKind, c.element());
        }
        for (String e : where.elements()) {
            addElement(joined, root, rootKind, e);
        }
        List<Map<String, String>> rows = new ArrayList<>();
        for (Item it : roots(store, rootKind)) {
            if (!SearchFields.isOf(it, root) || !readable(store, user, it)) {
                continue;
            }
            List<List<Item>> choices = new ArrayList<>();
            for (String e : joined) {
                choices.add(related(it, e));
            }
            Map<String, Item> combo = new LinkedHashMap<>();
            combo.put(root.toLowerCase(Locale.ROOT), it);
            product(choices, joined, 0, combo, row -> {
                if (where.test(row, it)) {
                    Map<String, String> out = new LinkedHashMap<>();
                    for (Column c : columns) {
                        Item source = itemFor(row, it, root, c.element());
                        String v = source == null ? "" : c.value().apply(source);
                        out.put(c.key(), v == null ? "" : v);
                    }
                    rows.add(out);
                }
            });
        }
        return new Result(root, columns, rows);
    }

    /** Sorts rows by {@code sortBy} (a row key, ignoring case; unknown keys ignored) and {@code sortOrder}. */
    static void sort(List<Map<String, String>> rows, List<Column> columns, String sortBy, String sortOrder) {
        if (sortBy == null || sortBy.isBlank()) {
            return;
        }
        Comparator<Map<String, String>> cmp = null;
        for (String name : sortBy.split(",")) {
            for (Column c : columns) {
                if (c.key().equalsIgnoreCase(name.trim())) {
                    Comparator<Map<String, String>> one =
                            Comparator.comparing(r -> r.getOrDefault(c.key(), ""), SearchEngine::compareValues);
                    cmp = cmp == null ? one : cmp.thenComparing(one);
                }
            }
        }
        if (cmp != null) {
            rows.sort("DESC".equalsIgnoreCase(sortOrder) ? cmp.reversed() : cmp);
        }
    }

    // ------------------------------------------------------------------ fields and elements

    private static Column resolve(String root, String element, String field, List<String> stored) {
        if (!SearchFields.exists(element, stored)) {
            throw XnatError.badRequest("Unknown data type: " + element);
        }
        String key = element.equalsIgnoreCase(root)
                ? field.toLowerCase(Locale.ROOT)
                : (element.replace(':', '_') + "_" + field).toLowerCase(Locale.ROOT);
        key = key.replaceAll("[^a-z0-9_:]", "_");
        SearchFields.DisplayField d = SearchFields.displayField(element, field);
        if (d != null) {
            return new Column(key, element, d.id(), d.header(), d.type(), d.value());
        }
        boolean xpath = BASE_KEYS.contains(field.toLowerCase(Locale.ROOT))
                || field.indexOf('/') >= 0
                || !field.equals(field.toUpperCase(Locale.ROOT));
        if (!xpath) {
            throw XnatError.badRequest("Unknown field: " + element + "." + field);
        }
        XPath x = XPath.parse(element + "/" + field);
        return new Column(key, element, field, field, "string", it -> readXPath(x, it));
    }

    private static String readXPath(XPath x, Item it) {
        return switch (x.key()) {
            case "id" -> it.id;
            case "label" -> it.label;
            case "project" -> it.kind == Kind.PROJECT ? it.id : it.project.id;
            default -> new XPath(null, x.key()).read(it);
        };
    }

    private static void addElement(List<String> joined, String root, Kind rootKind, String element) {
        if (SearchFields.kindOf(element) == rootKind) {
            return; // the root item itself
        }
        for (String e : joined) {
            if (e.equalsIgnoreCase(element)) {
                return;
            }
        }
        joined.add(element);
    }

    /** Every item the store holds, projects to scans. */
    static List<Item> everything(Store store) {
        List<Item> out = new ArrayList<>(store.projects());
        out.addAll(store.allSubjects());
        for (Item e : store.allExperiments()) {
            out.add(e);
            if (e.kind == Kind.SESSION) {
                out.addAll(e.children(Kind.SCAN));
            }
        }
        return out;
    }

    /** The types of the stored experiments and scans, each once. */
    static List<String> storedTypes(Store store) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (Item e : store.allExperiments()) {
            out.add(e.xsiType);
            if (e.kind == Kind.SESSION) {
                for (Item s : e.children(Kind.SCAN)) {
                    out.add(s.xsiType);
                }
            }
        }
        return new ArrayList<>(out);
    }

    private static List<Item> roots(Store store, Kind kind) {
        List<Item> out = new ArrayList<>();
        switch (kind) {
            case PROJECT -> out.addAll(store.projects());
            case SUBJECT -> out.addAll(store.allSubjects());
            case SESSION ->
                out.addAll(store.allExperiments().stream()
                        .filter(e -> e.kind == Kind.SESSION)
                        .toList());
            case ASSESSOR ->
                out.addAll(store.allExperiments().stream()
                        .filter(e -> e.kind == Kind.ASSESSOR)
                        .toList());
            default -> {
                for (Item e : store.allExperiments()) {
                    if (e.kind == Kind.SESSION) {
                        out.addAll(e.children(kind));
                    }
                }
            }
        }
        return out;
    }

    private static int rank(Kind k) {
        return switch (k) {
            case PROJECT -> 0;
            case SUBJECT -> 1;
            case SESSION -> 2;
            default -> 3;
        };
    }

    /** The items of {@code element} related to a root item: its ancestor, or its descendants (or [null]). */
    private static List<Item> related(Item it, String element) {
        Kind k = SearchFields.kindOf(element);
        List<Item> out = new ArrayList<>();
        if (rank(k) < rank(it.kind)) {
            Item a =
                    switch (k) {
                        case PROJECT -> it.project;
                        case SUBJECT -> it.subject();
                        default -> it.session();
                    };
            if (a != null && SearchFields.isOf(a, element)) {
                out.add(a);
            }
        } else {
            Item from = rank(k) == rank(it.kind) ? it.session() : it;
            if (from != null) {
                collect(from, element, out);
            }
        }
        if (out.isEmpty()) {
            out.add(null);
        }
        return out;
    }

    private static void collect(Item from, String element, List<Item> out) {
        for (Item c : from.children) {
            if (SearchFields.isOf(c, element)) {
                out.add(c);
            }
            collect(c, element, out);
        }
    }

    private static void product(
            List<List<Item>> choices,
            List<String> elements,
            int i,
            Map<String, Item> combo,
            java.util.function.Consumer<Map<String, Item>> each) {
        if (i == choices.size()) {
            each.accept(combo);
            return;
        }
        for (Item c : choices.get(i)) {
            combo.put(elements.get(i).toLowerCase(Locale.ROOT), c);
            product(choices, elements, i + 1, combo, each);
        }
        combo.remove(elements.get(i).toLowerCase(Locale.ROOT));
    }

    private static Item itemFor(Map<String, Item> combo, Item root, String rootElement, String element) {
        Item it = combo.get(element.toLowerCase(Locale.ROOT));
        if (it != null || combo.containsKey(element.toLowerCase(Locale.ROOT))) {
            return it;
        }
        return root; // an element of the root's kind
    }

    // ------------------------------------------------------------------ criteria

    /** A compiled criteria set: the elements it names and its test on a joined row. */
    private record Condition(List<String> elements, RowTest test) {
        boolean test(Map<String, Item> row, Item root) {
            return test.test(row, root);
        }
    }

    @FunctionalInterface
    private interface RowTest {
        boolean test(Map<String, Item> row, Item root);
    }

    private static Condition condition(String root, SearchDocument.CriteriaSet set, List<String> stored) {
        List<String> elements = new ArrayList<>();
        List<RowTest> tests = new ArrayList<>();
        for (SearchDocument.Criterion c : set.criteria()) {
            Column col = resolve(root, c.element(), c.field(), stored);
            Comparison cmp = Comparison.of(c.comparison(), c.value());
            elements.add(c.element());
            String element = c.element();
            tests.add((row, r) -> {
                Item source = itemFor(row, r, root, element);
                String v = source == null ? "" : col.value().apply(source);
                return cmp.test(v == null ? "" : v);
            });
        }
        for (SearchDocument.CriteriaSet child : set.children()) {
            Condition sub = condition(root, child, stored);
            elements.addAll(sub.elements());
            tests.add(sub.test());
        }
        boolean or = set.method().equals("OR");
        return new Condition(elements, (row, r) -> {
            if (tests.isEmpty()) {
                return true;
            }
            for (RowTest t : tests) {
                if (t.test(row, r) == or) {
                    return or;
                }
            }
            return !or;
        });
    }

    /** XNAT's comparison types on string values (numbers compared as numbers). */
    private record Comparison(String op, String value, Pattern like) {
        static Comparison of(String op, String value) {
            String o = op.toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
            switch (o) {
                case "=", "!=", "<>", "<", ">", "<=", ">=" -> {
                    return new Comparison(o, value, null);
                }
                case "LIKE", "NOT LIKE" -> {
                    return new Comparison(o, value, likePattern(value));
                }
                case "IS", "IS NOT" -> {
                    if (!value.trim().equalsIgnoreCase("NULL")) {
                        throw XnatError.badRequest(op + " compares with NULL only, not with " + value);
                    }
                    return new Comparison(o, value, null);
                }
                default -> throw XnatError.badRequest("Unsupported comparison type: " + op);
            }
        }

        boolean test(String actual) {
            return switch (op) {
                case "=" -> compareValues(actual, value) == 0 && !actual.isEmpty() || actual.equals(value);
                case "!=", "<>" -> !actual.isEmpty() && compareValues(actual, value) != 0;
                case "<" -> !actual.isEmpty() && compareValues(actual, value) < 0;
                case ">" -> !actual.isEmpty() && compareValues(actual, value) > 0;
                case "<=" -> !actual.isEmpty() && compareValues(actual, value) <= 0;
                case ">=" -> !actual.isEmpty() && compareValues(actual, value) >= 0;
                case "LIKE" -> like.matcher(actual).matches();
                case "NOT LIKE" -> !actual.isEmpty() && !like.matcher(actual).matches();
                case "IS" -> actual.isEmpty();
                default -> !actual.isEmpty(); // IS NOT NULL
            };
        }
    }

    /** SQL LIKE as XNAT applies it: {@code %} (and pyxnat's {@code *}) any run, {@code _} one character, any case. */
    static Pattern likePattern(String like) {
        StringBuilder b = new StringBuilder();
        for (char ch : like.toCharArray()) {
            switch (ch) {
                case '%', '*' -> b.append(".*");
                case '_' -> b.append('.');
                default -> b.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(b.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
    }

    /** Numbers compare as numbers, anything else as text (ISO dates sort as text). */
    static int compareValues(String a, String b) {
        try {
            return Double.compare(Double.parseDouble(a.trim()), Double.parseDouble(b.trim()));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }
}
