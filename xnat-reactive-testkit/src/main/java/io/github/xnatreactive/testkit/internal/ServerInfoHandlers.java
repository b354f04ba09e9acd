package io.github.xnatreactive.testkit.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What XNAT tells about itself beyond its build: {@code GET /xapi/siteConfig/uptime} (a map of {@code days},
 * {@code hours}, {@code minutes} and {@code seconds}, as strings), {@code GET /xapi/plugins} (installed plugins keyed
 * by ID) and {@code GET /xapi/plugins/{id}}, and the classic listings {@code /data/scanners} (the distinct
 * {@code scanner} of the sessions of one data type, {@code table=xnat_mrSessionData} by default) and
 * {@code /data/scan_types} (per scan {@code type}, the {@code series_descriptions} joined with trailing commas, of one
 * scan data type, {@code table=xnat_mrScanData} by default), also under {@code /data/archive} and, for scan types,
 * {@code /data/projects/{P}/scan_types}. A table name XNAT does not accept is a 403.
 */
final class ServerInfoHandlers {
    /** The testkit's own plugin entry: the one plugin this server has. */
    static final String PLUGIN_ID = "xnatReactiveTestkit";

    private static final List<String> SESSION_TABLES =
            List.of("xnat_mrSessionData", "xnat_petSessionData", "xnat_ctSessionData");
    private static final List<String> SCAN_TABLES = List.of(
            "xnat_mrScanData",
            "xnat_petScanData",
            "xnat_ctScanData",
            "xnat_cfmScanData",
            "xnat_dmsScanData",
            "xnat_ecgScanData",
            "xnat_eegScanData",
            "xnat_emgScanData",
            "xnat_eogScanData",
            "xnat_esScanData",
            "xnat_objScanData",
            "xnat_paScanData",
            "xnat_posScanData",
            "xnat_respScanData",
            "xnat_xcScanData");

    private final long startedAt = System.nanoTime();

    /** {@code GET /xapi/siteConfig/uptime}. */
    Reply uptime(Call c) {
        Duration up = Duration.ofNanos(System.nanoTime() - startedAt);
        return Reply.text(
                200,
                "application/json",
                "{\"days\":\"" + up.toDays() + "\",\"hours\":\"" + up.toHoursPart() + "\",\"minutes\":\""
                        + up.toMinutesPart() + "\",\"seconds\":\"" + up.toSecondsPart() + "\"}");
    }

    /** {@code GET /xapi/plugins}. */
    Reply plugins(Call c) {
        return Reply.text(200, "application/json", "{\"" + PLUGIN_ID + "\":" + pluginBean() + "}");
    }

    /** {@code GET /xapi/plugins/{plugin}}: the plugin, or 404 with XAPI's text message. */
    Reply plugin(Call c) {
        String id = c.var("plugin");
        if (!PLUGIN_ID.equals(id)) {
            return Reply.text(404, "text/plain", "No plugin with ID " + id + " could be found on this system");
        }
        return Reply.text(200, "application/json", pluginBean());
    }

    private static String pluginBean() {
        return "{\"id\":\"" + PLUGIN_ID + "\",\"name\":\"xnat-reactive testkit\",\"version\":\"1.0\","
                + "\"pluginClass\":\"io.github.xnatreactive.testkit.XnatTestServer\","
                + "\"beanName\":\"xnatReactiveTestkit\",\"logConfigurationFile\":\"\"}";
    }

    /** {@code GET /data/scanners}: one row per distinct scanner of the chosen session type. */
    static Reply scanners(Call c) {
        String xsiType = xsiType(c, "xnat_mrSessionData", SESSION_TABLES);
        java.util.TreeSet<String> scanners = new java.util.TreeSet<>();
        for (Item e : c.store.allExperiments()) {
            if (e.kind == Kind.SESSION && e.xsiType.equalsIgnoreCase(xsiType)) {
                scanners.add(e.field("scanner"));
            }
        }
        Table t = new Table(List.of("scanner"));
        for (String s : scanners) {
            t.addRow().put("scanner", s);
        }
        t.meta.put("title", "Scanners");
        return t.render(c.query.get("format"));
    }

    /** {@code GET /data/projects/{P}/scan_types}: the scan types of one project's sessions. */
    static Reply projectScanTypes(Call c, Target.Project p) {
        return scanTypesOf(c, c.store.sessionsOf(p.project()));
    }

    /** {@code GET /data/scan_types}: the scan types of every session of the site. */
    static Reply scanTypes(Call c) {
        List<Item> sessions = new ArrayList<>();
        for (Item e : c.store.allExperiments()) {
            if (e.kind == Kind.SESSION) {
                sessions.add(e);
            }
        }
        return scanTypesOf(c, sessions);
    }

    private static Reply scanTypesOf(Call c, List<Item> sessions) {
        String xsiType = xsiType(c, "xnat_mrScanData", SCAN_TABLES);
        Map<String, StringBuilder> byType = new TreeMap<>();
        for (Item e : sessions) {
            for (Item s : e.children(Kind.SCAN)) {
                if (s.xsiType.equalsIgnoreCase(xsiType)) {
                    byType.computeIfAbsent(s.field("type"), k -> new StringBuilder())
                            .append(s.field("series_description"))
                            .append(',');
                }
            }
        }
        Table t = new Table(List.of("series_descriptions", "type"));
        byType.forEach((type, descriptions) -> {
            Map<String, String> row = t.addRow();
            row.put("series_descriptions", descriptions.toString());
            row.put("type", type);
        });
        t.meta.put("title", "Scan Types");
        t.meta.put("totalRecords", Integer.toString(t.rows.size()));
        return t.render(c.query.get("format"));
    }

    /** The data type of {@code table=} ({@code xnat_mrScanData} is {@code xnat:mrScanData}); 403 for another table. */
    private static String xsiType(Call c, String fallback, List<String> allowed) {
        String table = c.query.get("table", fallback);
        for (String a : allowed) {
            if (a.equalsIgnoreCase(table)) {
                return "xnat:" + a.substring("xnat_".length());
            }
        }
        throw XnatError.forbidden("Unknown table " + table.toLowerCase(Locale.ROOT));
    }
}
