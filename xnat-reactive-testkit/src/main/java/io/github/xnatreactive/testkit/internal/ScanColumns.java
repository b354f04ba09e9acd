package io.github.xnatreactive.testkit.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scan columns in the site-wide experiment listing ({@code /data/experiments?columns=ID,xnat:mrScanData/ID}): as
 * XNAT joins the scans into the query, each session gives one row per scan of that type, and a session without
 * one keeps a single row with the scan columns empty. This is what pyxnat's {@code array.scans} reads.
 */
final class ScanColumns {
    private ScanColumns() {}

    /** Expands the rows of {@code t} (whose {@code ID} column is the session's) for the scan columns asked for. */
    static void expand(Table t, Store store, Query q) {
        String requested = q.get("columns");
        if (requested == null) {
            return;
        }
        String element = null;
        Map<String, String> scanColumns = new LinkedHashMap<>(); // column name -> stored field key
        for (String name : requested.split(",")) {
            String n = name.trim();
            XPath x = n.indexOf('/') > 0 ? XPath.parse(n) : null;
            if (x != null && x.element() != null && Types.isA(x.element(), "xnat:imageScanData")) {
                element = element == null ? x.element() : element;
                scanColumns.put(n.toLowerCase(Locale.ROOT), x.key());
            }
        }
        if (scanColumns.isEmpty() || !t.columns.contains("ID")) {
            return;
        }
        List<Map<String, String>> out = new ArrayList<>();
        for (Map<String, String> row : t.rows) {
            Item session = store.experimentById(row.getOrDefault("ID", ""));
            List<Item> scans = new ArrayList<>();
            if (session != null && session.kind == Kind.SESSION) {
                for (Item s : session.children(Kind.SCAN)) {
                    if (Types.isA(s.xsiType, element)) {
                        scans.add(s);
                    }
                }
            }
            if (scans.isEmpty()) {
                Map<String, String> copy = new LinkedHashMap<>(row);
                scanColumns.keySet().forEach(k -> copy.put(k, ""));
                out.add(copy);
            }
            for (Item scan : scans) {
                Map<String, String> copy = new LinkedHashMap<>(row);
                scanColumns.forEach((k, field) -> copy.put(k, field.equals("id") ? scan.id : scan.field(field)));
                out.add(copy);
            }
        }
        t.rows.clear();
        t.rows.addAll(out);
        if (t.meta.containsKey("totalRecords")) {
            t.meta.put("totalRecords", Integer.toString(out.size()));
        }
    }
}
