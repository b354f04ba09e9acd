package io.github.xnatreactive.testkit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Projects (contract sections 3 and 4): listing, creation, the project document, settings, deletion. */
final class ProjectHandlers {
    private ProjectHandlers() {}

    /** {@code GET /data/projects}: the projects the caller can see ({@code columns=alias}: one row per alias). */
    static Reply list(Call c, Target.Projects t) {
        List<Item> visible = new ArrayList<>();
        for (Item p : c.store.projects()) {
            if (c.store.canSee(c.user, p)) {
                visible.add(p);
            }
        }
        String columns = c.query.get("columns");
        if (columns != null && List.of(columns.split(",")).contains("alias")) {
            return aliasListing(c, visible);
        }
        return Level.PROJECTS.list(visible, c.query).render(c.query.get("format"));
    }

    private static Reply aliasListing(Call c, List<Item> projects) {
        Table t = new Table(List.of("ID", "alias", "URI"));
        for (Item p : projects) {
            List<String> aliases = p.aliases.isEmpty() ? List.of("") : p.aliases;
            for (String a : aliases) {
                Map<String, String> row = t.addRow();
                row.put("ID", p.id);
                row.put("alias", a);
                row.put("URI", "/data/projects/" + p.id);
            }
        }
        t.meta.put("totalRecords", Integer.toString(t.rows.size()));
        return t.render(c.query.get("format"));
    }

    /** {@code POST /data/projects} with a project document. */
    static Reply create(Call c, Target.Projects t) {
        Documents.Parsed doc = Fields.xmlBody(c);
        if (doc == null || doc.id() == null) {
            throw new XnatError(417, "Need PUT Contents");
        }
        if (c.store.project(doc.id()) != null) {
            throw XnatError.conflict("Project already exists.");
        }
        Item p = c.store.createProject(doc.id(), c.user);
        Fields.applyFields(c, p, doc, Level.PROJECTS);
        String url = c.baseUrl + "/data/projects/" + p.id;
        return Reply.text(200, "text/plain", url).header("Location", url);
    }

    static Reply get(Call c, Target.Project t) {
        return Fields.document(c, t.project());
    }

    /** Creates the project, or changes its fields, accessibility and aliases (owners only). */
    static Reply put(Call c, Target.Project t) {
        Documents.Parsed doc = Fields.xmlBody(c);
        Item p = t.project();
        if (p == null) {
            p = c.store.createProject(t.ref(), c.user);
        } else if (!Access.canManage(c.user, p)) {
            throw XnatError.forbidden("Access Denied: only project owners can modify project " + p.id + ".");
        }
        Fields.applyFields(c, p, doc, Level.PROJECTS);
        String access = c.query.get("accessibility");
        if (access != null) {
            setAccessibility(p, access);
        }
        for (String alias : c.query.all("alias")) {
            addAlias(c, p, alias);
        }
        return Reply.empty(200);
    }

    static Reply delete(Call c, Target.Project t) {
        Item p = t.project();
        if (!Access.canManage(c.user, p)) {
            throw XnatError.forbidden("Access Denied: only project owners can delete project " + p.id + ".");
        }
        c.store.deleteProject(p);
        return Reply.empty(200);
    }

    private static void addAlias(Call c, Item p, String alias) {
        if (alias.isEmpty() || p.aliases.contains(alias)) {
            return;
        }
        Item other = c.store.project(alias);
        if (other != null && other != p) {
            throw XnatError.conflict("Alias " + alias + " is already in use.");
        }
        p.aliases.add(alias);
    }

    private static void setAccessibility(Item p, String level) {
        String l = level.toLowerCase(Locale.ROOT);
        if (!l.equals("public") && !l.equals("protected") && !l.equals("private")) {
            throw XnatError.badRequest("Invalid accessibility: " + level);
        }
        p.accessibility = l;
    }

    /** {@code GET .../accessibility} (and prearchive_code, quarantine_code, current_arc): the value as text. */
    static Reply setting(Call c, Target.ProjectSetting t) {
        if (!t.args().isEmpty()) {
            throw XnatError.notFound("The server has not found anything matching the request URI");
        }
        Item p = t.project();
        String v =
                switch (t.name()) {
                    case "accessibility" -> p.accessibility;
                    case "prearchive_code" -> Integer.toString(p.prearchiveCode);
                    case "quarantine_code" -> Integer.toString(p.quarantineCode);
                    default -> p.currentArc;
                };
        return Reply.text(200, "text/plain", v);
    }

    /** {@code PUT .../accessibility/{value}} and the other settings (owners only). */
    static Reply changeSetting(Call c, Target.ProjectSetting t) {
        Item p = t.project();
        List<String> args = t.args();
        if (!Access.canManage(c.user, p)) {
            throw XnatError.forbidden("Access Denied: only project owners can change " + t.name() + ".");
        }
        if (args.isEmpty()) {
            throw XnatError.badRequest("A value is required: .../" + t.name() + "/{value}");
        }
        String value = args.get(args.size() - 1);
        switch (t.name()) {
            case "accessibility" -> setAccessibility(p, value);
            case "prearchive_code" -> p.prearchiveCode = code(value, 0, 4);
            case "quarantine_code" -> p.quarantineCode = code(value, 0, 1);
            // XNAT (ProjectResource) stores all that follows current_arc/: pyxnat's set_subfolder_in_current_arc
            // sends current_arc/{current}/{subfolder}, which becomes {current}/{subfolder}
            default -> p.currentArc = String.join("/", args);
        }
        return Reply.empty(200);
    }

    private static int code(String v, int min, int max) {
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw XnatError.badRequest("Code out of range: " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw XnatError.badRequest("Invalid code: " + v);
        }
    }
}
