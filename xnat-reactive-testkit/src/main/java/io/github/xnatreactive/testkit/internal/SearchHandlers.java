package io.github.xnatreactive.testkit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * XNAT's search API (contract section 7): {@code POST /data/search} evaluates a search document, {@code cache=true}
 * keeps the result for paged reads of {@code /data/search/{ID}}, {@code /data/search/saved} stores searches, and
 * {@code /data/search/elements} lists the data types and their fields. One instance per server.
 */
final class SearchHandlers {
    private final SavedSearches saved = new SavedSearches();

    /** {@code POST /data/search?format=json|csv|xml[&cache=true]}: the document as raw body or an .xml part. */
    Reply search(Call c) {
        SearchDocument doc = SearchDocument.parse(document(c));
        SearchEngine.Result result = SearchEngine.evaluate(c.store, c.user, doc);
        String cacheId = c.query.flag("cache") ? saved.cache(c.user, result) : null;
        Table t = page(c, result);
        if (cacheId != null) {
            t.meta.put("ID", cacheId);
        }
        return t.render(c.query.get("format"));
    }

    /** {@code GET /data/search/{ID}}: a cached result, sorted and paged by the query. */
    Reply cached(Call c) {
        SavedSearches.Cached cached = saved.cached(c.user, c.var("id"));
        Table t = page(c, cached.result());
        t.meta.put("ID", cached.id());
        return t.render(c.query.get("format"));
    }

    /** {@code GET /data/search/saved}: the stored searches the user may see. */
    Reply savedList(Call c) {
        Table t = new Table(List.of("id", "brief_description", "description", "root_element_name", "users"));
        for (SavedSearches.Saved s : saved.visible(c.user)) {
            Map<String, String> row = t.addRow();
            row.put("id", s.id());
            row.put("brief_description", s.name());
            row.put("description", s.doc().description());
            row.put("root_element_name", s.doc().rootElement());
            row.put("users", String.join(",", s.doc().allowedUsers()));
        }
        t.meta.put("title", "Stored Searches");
        t.meta.put("totalRecords", Integer.toString(t.rows.size()));
        return t.render(c.query.get("format"));
    }

    /** {@code GET /data/search/saved/{id}}: the stored document, as XML. */
    Reply savedGet(Call c) {
        SavedSearches.Saved s = saved.get(c.user, c.var("id"));
        return Reply.text(200, "text/xml", s.doc().xmlWithId(s.id()));
    }

    /** {@code GET /data/search/saved/{id}/results}: the stored search run for the caller. */
    Reply savedResults(Call c) {
        SavedSearches.Saved s = saved.get(c.user, c.var("id"));
        return page(c, SearchEngine.evaluate(c.store, c.user, s.doc())).render(c.query.get("format"));
    }

    /** {@code PUT /data/search/saved/{id}}: creates or replaces a stored search (201 when new, else 200). */
    Reply savedPut(Call c) {
        String id = c.var("id");
        SearchDocument doc = SearchDocument.parse(document(c));
        check(c, doc);
        boolean created = saved.put(c.user, id, doc);
        return Reply.text(created ? 201 : 200, "text/plain", id);
    }

    /** {@code POST /data/search/saved}: stores a search under its document's ID (or a new one); answers the ID. */
    Reply savedPost(Call c) {
        SearchDocument doc = SearchDocument.parse(document(c));
        check(c, doc);
        String id = doc.id().isEmpty() || doc.id().startsWith("@") ? saved.newId() : doc.id();
        saved.put(c.user, id, doc);
        return Reply.text(201, "text/plain", id);
    }

    /** {@code DELETE /data/search/saved/{id}}. */
    Reply savedDelete(Call c) {
        saved.delete(c.user, c.var("id"));
        return Reply.empty(200);
    }

    /** A stored document must be one the engine can run: its types and fields are checked as a search is. */
    private static void check(Call c, SearchDocument doc) {
        SearchEngine.evaluate(c.store, c.user, doc);
    }

    /** {@code GET /data/search/elements[?secured][&used]}: data types with their counts of readable items. */
    Reply elements(Call c) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        List<Item> all = SearchEngine.everything(c.store);
        List<SearchFields.DataType> types = SearchFields.listed(SearchEngine.storedTypes(c.store));
        for (SearchFields.DataType t : types) {
            int n = 0;
            for (Item it : all) {
                if (SearchFields.isOf(it, t.element()) && SearchEngine.readable(c.store, c.user, it)) {
                    n++;
                }
            }
            counts.put(t.element(), n);
        }
        boolean securedOnly = c.query.has("secured");
        boolean usedOnly = c.query.has("used");
        Table table = new Table(List.of("ELEMENT_NAME", "SINGULAR", "PLURAL", "SECURED", "COUNT"));
        List<SearchFields.DataType> listed = new ArrayList<>(types);
        listed.add(SearchFields.INVESTIGATOR);
        for (SearchFields.DataType t : listed) {
            boolean secured = t != SearchFields.INVESTIGATOR;
            int count = counts.getOrDefault(t.element(), 0);
            if ((securedOnly && !secured) || (usedOnly && count == 0)) {
                continue;
            }
            Map<String, String> row = table.addRow();
            row.put("ELEMENT_NAME", t.element());
            row.put("SINGULAR", t.singular());
            row.put("PLURAL", t.plural());
            row.put("SECURED", Boolean.toString(secured));
            row.put("COUNT", Integer.toString(count));
        }
        table.meta.put("title", "Data-Types");
        return table.render(c.query.get("format"));
    }

    /** {@code GET /data/search/elements/{type}}: the type's display fields. */
    Reply fields(Call c) {
        String type = c.var("type");
        if (!SearchFields.exists(type, SearchEngine.storedTypes(c.store))) {
            throw XnatError.notFound("Unknown data type: " + type);
        }
        Table t = new Table(
                List.of("FIELD_ID", "HEADER", "SUMMARY", "TYPE", "REQUIRES_VALUE", "DESC", "ELEMENT_NAME", "SRC"));
        for (SearchFields.DisplayField f : SearchFields.displayFields(type).values()) {
            Map<String, String> row = t.addRow();
            row.put("FIELD_ID", f.id());
            row.put("HEADER", f.header());
            row.put("SUMMARY", f.summary());
            row.put("TYPE", f.type());
            row.put("REQUIRES_VALUE", "false");
            row.put("DESC", f.summary());
            row.put("ELEMENT_NAME", type);
            row.put("SRC", "0");
        }
        t.meta.put("title", "Search Fields");
        return t.render(c.query.get("format"));
    }

    /** Sorts and pages (offset, limit) a result; {@code totalRecords} stays the whole count. */
    private static Table page(Call c, SearchEngine.Result result) {
        String sortBy = c.query.get("sortBy");
        // a cached result is shared by concurrent reads: sort a copy
        List<Map<String, String>> rows = sortBy == null ? result.rows() : new ArrayList<>(result.rows());
        SearchEngine.sort(rows, result.columns(), sortBy, c.query.get("sortOrder"));
        int offset = number(c, "offset", 0);
        String limitParam = c.query.get("limit");
        int limit = limitParam == null || limitParam.equals("*") ? Integer.MAX_VALUE : number(c, "limit", 0);
        int from = Math.min(offset, rows.size());
        int to = (int) Math.min((long) from + limit, rows.size());
        return result.table(from == 0 && to == rows.size() ? rows : rows.subList(from, to));
    }

    private static int number(Call c, String name, int fallback) {
        String v = c.query.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Math.max(0, Integer.parseInt(v.trim()));
        } catch (NumberFormatException e) {
            throw XnatError.badRequest("Invalid " + name + ": " + v);
        }
    }

    /** The document: the raw body (whatever its content type, as pyxnat sends none), or the first multipart part whose file name ends with .xml. */
    private static byte[] document(Call c) {
        if (c.body == null) {
            throw new XnatError(422, "The request has no search document.");
        }
        try {
            String ct = c.contentType().toLowerCase(Locale.ROOT);
            if (ct.startsWith("multipart/form-data")) {
                byte[] found = null;
                for (Multipart.Part part :
                        Multipart.parse(c.body.file(), Multipart.boundary(c.contentType()), c.store)) {
                    if (part.file() != null) {
                        try {
                            if (found == null
                                    && part.filename().toLowerCase(Locale.ROOT).endsWith(".xml")) {
                                found = Files.readAllBytes(part.file());
                            }
                        } finally {
                            Router.deleteQuietly(part.file());
                        }
                    }
                }
                if (found == null) {
                    throw new XnatError(422, "The multipart request has no .xml part.");
                }
                return found;
            }
            return Files.readAllBytes(c.body.file());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
