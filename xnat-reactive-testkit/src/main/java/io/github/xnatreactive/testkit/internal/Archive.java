package io.github.xnatreactive.testkit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Handlers for the archive hierarchy: projects, subjects, experiments, scans, assessors, reconstructions. */
final class Archive {
    /** Query parameters that never set a field on PUT. */
    private static final Set<String> NOT_FIELDS = Set.of(
            "xsitype",
            "format",
            "inbody",
            "req_format",
            "event_reason",
            "event_type",
            "event_action",
            "event_comment",
            "event_id",
            "allowdatadeletion",
            "loaddexisting",
            "loadexisting",
            "removefiles",
            "overwrite",
            "label",
            "id",
            "project",
            "columns",
            "triggerpipelines",
            "fixscantypes",
            "pulldatafromheaders",
            "accessibility",
            "alias",
            "subject_id",
            "primary",
            "_");

    private final Store store;
    private final FileHandler files;

    Archive(Store store, Faults faults) {
        this.store = store;
        this.files = new FileHandler(store, faults);
    }

    Reply handle(Call c) {
        Route r = Route.parse(c.segments, c.trailingSlash);
        if (r.unsupported != null) {
            throw new XnatError(501, "The testkit does not implement .../" + r.unsupported);
        }
        synchronized (store) {
            if (r.projectsCollection) {
                return projects(c);
            }
            if (r.projectRef != null
                    && r.subjectRef == null
                    && !r.subjectsCollection
                    && r.experimentRef == null
                    && !r.experimentsCollection) {
                Item p = visibleProject(c, r.projectRef, c.method.equals("PUT"));
                if (r.projectExtra != null) {
                    return projectExtra(c, p, r);
                }
                if (r.resourcesCollection || r.resourceRef != null || r.files) {
                    readable(c, p);
                    return files.handle(c, r, List.of(p));
                }
                return project(c, r, p);
            }
            Item project = r.projectRef == null ? null : visibleProject(c, r.projectRef, false);
            if (project != null) {
                readable(c, project);
            }
            if (r.subjectsCollection) {
                return subjects(c, project);
            }
            Item subject = null;
            if (r.subjectRef != null) {
                subject = project != null ? store.subject(project, r.subjectRef) : globalSubject(c, r.subjectRef);
                boolean subjectCreate = subject == null
                        && project != null
                        && c.method.equals("PUT")
                        && r.experimentRef == null
                        && !r.experimentsCollection
                        && !r.files
                        && r.resourceRef == null
                        && !r.resourcesCollection;
                if (subject == null
                        && r.experimentRef != null
                        && c.method.equals("PUT")
                        && r.childKind == null
                        && !r.files
                        && r.resourceRef == null) {
                    // experiment PUT auto-creates its subject (contract 4.2)
                    subject = null;
                } else if (subject == null && !subjectCreate) {
                    throw XnatError.notFound("Unable to find the specified subject.");
                }
                if (subject != null) {
                    readable(c, subject.project);
                }
                if (r.experimentRef == null && !r.experimentsCollection) {
                    if (r.resourcesCollection || r.resourceRef != null || r.files) {
                        return files.handle(c, r, List.of(subject));
                    }
                    return subject(c, r, project, subject);
                }
            }
            if (r.experimentsCollection) {
                return experiments(c, project, subject);
            }
            Item exp = null;
            if (project != null) {
                exp = subject != null ? store.session(project, subject, r.experimentRef) : null;
                if (exp == null && subject == null && r.subjectRef == null) {
                    exp = store.session(project, null, r.experimentRef);
                }
            } else {
                exp = multiExperiment(c, r.experimentRef);
            }
            if (exp != null) {
                readable(c, exp.project);
            }
            if (r.childKind == null) {
                if (exp == null
                        && !(c.method.equals("PUT") && !r.files && r.resourceRef == null && !r.resourcesCollection)) {
                    throw XnatError.notFound("Unable to find the specified experiment.");
                }
                if (r.resourcesCollection || r.resourceRef != null || r.files) {
                    return files.handle(c, r, List.of(exp));
                }
                return experiment(c, r, project, subject, exp);
            }
            if (exp == null) {
                throw XnatError.notFound("Unable to find the specified experiment.");
            }
            if (exp.kind != Kind.SESSION) {
                throw XnatError.notFound("Unable to find the specified experiment.");
            }
            if (r.childCollection) {
                return children(c, exp, r.childKind);
            }
            if (r.files || r.resourcesCollection || r.resourceRef != null) {
                List<Item> owners = matchChildren(exp, r.childKind, r.childRef);
                if (owners.isEmpty()) {
                    throw XnatError.notFound("Unable to find the specified " + r.childKind.word() + ".");
                }
                return files.handle(c, r, owners);
            }
            Item child = store.child(exp, r.childKind, r.childRef);
            return child(c, r, exp, child);
        }
    }

    // ------------------------------------------------------------------ access helpers

    private Item visibleProject(Call c, String ref, boolean creating) {
        Item p = store.project(ref);
        if (p == null || !store.canSee(c.user, p)) {
            if (creating && p == null) {
                return null;
            }
            if (c.method.equals("DELETE")) {
                throw XnatError.badRequest("Unable to find the specified project.");
            }
            throw XnatError.notFound("Unable to find the specified project.");
        }
        return p;
    }

    private void readable(Call c, Item project) {
        if (!store.canRead(c.user, project)) {
            if (store.canSee(c.user, project)) {
                throw XnatError.forbidden("Unable to read data for Project " + project.id);
            }
            throw XnatError.notFound("Unable to find the specified project.");
        }
        if (!c.isRead() && !store.canEdit(c.user, project)) {
            throw XnatError.forbidden(
                    "Access Denied: you do not have permission to modify data in project " + project.id + ".");
        }
    }

    private Item globalSubject(Call c, String id) {
        Item s = store.subjectById(id);
        if (s == null || !store.canSee(c.user, s.project)) {
            throw XnatError.notFound("Unable to find subject " + id
                    + ": without a project in the URL, only accession IDs are accepted.");
        }
        return s;
    }

    /** {@code /experiments/{E}}: by accession ID only. */
    private Item multiExperiment(Call c, String id) {
        Item e = store.experimentById(id);
        if (e == null || !store.canSee(c.user, e.project)) {
            throw XnatError.notFound("Unable to find experiment " + id
                    + ": without a project in the URL, only accession IDs are accepted.");
        }
        return e;
    }

    /** Children named by an ID, a comma list, {@code ALL}/{@code *}, or a scan type (contract 1.3). */
    static List<Item> matchChildren(Item session, Kind kind, String ref) {
        List<Item> all = session.children(kind);
        if (ref.equals("ALL") || ref.equals("*")) {
            return all;
        }
        List<Item> out = new ArrayList<>();
        for (String one : ref.split(",")) {
            String want = one.replace("[SLASH]", "/").replace("[COMMA]", ",");
            for (Item c : all) {
                if ((c.id.equals(want) || c.field("type").equals(want) || c.label.equals(want)) && !out.contains(c)) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ projects

    private Reply projects(Call c) {
        switch (c.method) {
            case "GET", "HEAD" -> {
                List<Item> visible = new ArrayList<>();
                for (Item p : store.projects()) {
                    if (store.canSee(c.user, p)) {
                        visible.add(p);
                    }
                }
                String columns = c.query.get("columns");
                if (columns != null && List.of(columns.split(",")).contains("alias")) {
                    return aliasListing(c, visible);
                }
                return Level.PROJECTS.list(visible, c.query).render(c.query.get("format"));
            }
            case "POST" -> {
                Documents.Parsed doc = xmlBody(c);
                if (doc == null || doc.id() == null) {
                    throw new XnatError(417, "Need PUT Contents");
                }
                if (store.project(doc.id()) != null) {
                    throw XnatError.conflict("Project already exists.");
                }
                Item p = store.createProject(doc.id(), c.user);
                applyFields(c, p, doc, Level.PROJECTS);
                String url = c.baseUrl + "/data/projects/" + p.id;
                return Reply.text(200, "text/plain", url).header("Location", url);
            }
            default -> throw new XnatError(405, "Method Not Allowed");
        }
    }

    private Reply aliasListing(Call c, List<Item> projects) {
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

    private Reply project(Call c, Route r, Item p) {
        switch (c.method) {
            case "GET", "HEAD" -> {
                return document(c, p);
            }
            case "PUT" -> {
                Documents.Parsed doc = xmlBody(c);
                if (p == null) {
                    p = store.createProject(r.projectRef, c.user);
                } else if (!store.canEdit(c.user, p)) {
                    throw XnatError.forbidden("Access Denied: only project owners can modify project " + p.id + ".");
                }
                applyFields(c, p, doc, Level.PROJECTS);
                String access = c.query.get("accessibility");
                if (access != null) {
                    setAccessibility(p, access);
                }
                for (String alias : c.query.all("alias")) {
                    addAlias(p, alias);
                }
                return Reply.empty(200);
            }
            case "DELETE" -> {
                if (!store.canEdit(c.user, p)) {
                    throw XnatError.forbidden("Access Denied: only project owners can delete project " + p.id + ".");
                }
                store.deleteProject(p);
                return Reply.empty(200);
            }
            default -> throw new XnatError(405, "Method Not Allowed");
        }
    }

    private void addAlias(Item p, String alias) {
        if (alias.isEmpty() || p.aliases.contains(alias)) {
            return;
        }
        Item other = store.project(alias);
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

    private Reply projectExtra(Call c, Item p, Route r) {
        List<String> args = r.extraArgs;
        if (c.isRead()) {
            if (!args.isEmpty()) {
                throw XnatError.notFound("The server has not found anything matching the request URI");
            }
            String v =
                    switch (r.projectExtra) {
                        case "accessibility" -> p.accessibility;
                        case "prearchive_code" -> Integer.toString(p.prearchiveCode);
                        case "quarantine_code" -> Integer.toString(p.quarantineCode);
                        default -> p.currentArc;
                    };
            return Reply.text(200, "text/plain", v);
        }
        if (!c.method.equals("PUT") && !c.method.equals("POST")) {
            throw new XnatError(405, "Method Not Allowed");
        }
        if (!store.canEdit(c.user, p)) {
            throw XnatError.forbidden("Access Denied: only project owners can change " + r.projectExtra + ".");
        }
        if (args.isEmpty()) {
            throw XnatError.badRequest("A value is required: .../" + r.projectExtra + "/{value}");
        }
        String value = args.get(args.size() - 1);
        switch (r.projectExtra) {
            case "accessibility" -> setAccessibility(p, value);
            case "prearchive_code" -> p.prearchiveCode = code(value, 0, 4);
            case "quarantine_code" -> p.quarantineCode = code(value, 0, 1);
            default -> p.currentArc = value;
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

    // ------------------------------------------------------------------ subjects

    private Reply subjects(Call c, Item project) {
        if (c.isRead()) {
            List<Item> subjects = new ArrayList<>();
            if (project != null) {
                subjects.addAll(project.children);
            } else {
                for (Item s : store.allSubjects()) {
                    if (store.canRead(c.user, s.project)) {
                        subjects.add(s);
                    }
                }
            }
            return Level.SUBJECTS.list(subjects, c.query).render(c.query.get("format"));
        }
        if (c.method.equals("POST") && project != null) {
            Documents.Parsed doc = xmlBody(c);
            String label = c.query.get("label", doc == null ? null : doc.label());
            if (label == null) {
                throw new XnatError(417, "Need PUT Contents");
            }
            if (store.subject(project, label) != null) {
                throw XnatError.conflict("Subject already exists.");
            }
            Item s = store.createSubject(project, label, c.user);
            applyFields(c, s, doc, Level.SUBJECTS);
            return Reply.text(200, "text/plain", c.baseUrl + "/data/subjects/" + s.id);
        }
        throw new XnatError(405, "Method Not Allowed");
    }

    private Reply subject(Call c, Route r, Item project, Item s) {
        switch (c.method) {
            case "GET", "HEAD" -> {
                return document(c, s);
            }
            case "PUT" -> {
                Documents.Parsed doc = xmlBody(c);
                checkProjectParam(c, doc, s == null ? project : s.project);
                boolean created = false;
                if (s == null) {
                    if (project == null) {
                        throw XnatError.notFound("Unable to find the specified subject.");
                    }
                    String label =
                            c.query.get("label", doc != null && doc.label() != null ? doc.label() : r.subjectRef);
                    s = store.createSubject(project, label, c.user);
                    created = true;
                } else {
                    checkXmlLabel(doc, s);
                    rename(c, s);
                }
                applyFields(c, s, doc, Level.SUBJECTS);
                return Reply.text(created ? 201 : 200, "text/plain", s.id);
            }
            case "DELETE" -> {
                requireDelete(c, s);
                store.deleteItem(s, c.query.flag("removeFiles"));
                return Reply.empty(200);
            }
            default -> throw new XnatError(405, "Method Not Allowed");
        }
    }

    // ------------------------------------------------------------------ experiments

    private Reply experiments(Call c, Item project, Item subject) {
        if (c.isRead()) {
            if (project == null) {
                return globalExperiments(c);
            }
            List<Item> sessions = subject != null ? new ArrayList<>(subject.children) : store.sessionsOf(project);
            return Level.SESSIONS.list(sessions, c.query).render(c.query.get("format"));
        }
        if (c.method.equals("POST") && project != null) {
            Documents.Parsed doc = xmlBody(c);
            String label = c.query.get("label", doc == null ? null : doc.label());
            String type = c.query.get("xsiType", doc == null ? null : doc.xsiType());
            if (label == null || type == null) {
                throw new XnatError(417, "Need PUT Contents");
            }
            if (store.session(project, null, label) != null) {
                throw XnatError.conflict("Specified experiment already exists.");
            }
            Item subj = subject != null ? subject : subjectFromParams(c, project);
            Item e = store.createSession(subj, label, type, c.user);
            applyFields(c, e, doc, Level.SESSIONS);
            return Reply.text(200, "text/plain", c.baseUrl + "/data/experiments/" + e.id);
        }
        throw new XnatError(405, "Method Not Allowed");
    }

    private Reply globalExperiments(Call c) {
        String type = c.query.get("xsiType");
        List<Item> visible = new ArrayList<>();
        for (Item e : store.allExperiments()) {
            if (store.canRead(c.user, e.project)) {
                visible.add(e);
            }
        }
        Level level = Level.EXPERIMENTS;
        if (type != null && Types.isA(type, "xnat:subjectAssessorData")) {
            level = Level.SUBJECT_ASSESSORS;
        } else if (type != null && Types.isImageAssessor(type)) {
            level = Level.IMAGE_ASSESSORS;
        }
        Table t = level.list(visible, c.query);
        Map<String, String> meta = new java.util.LinkedHashMap<>();
        meta.put("title", "Matching experiments");
        meta.putAll(t.meta);
        t.meta.clear();
        t.meta.putAll(meta);
        return t.render(c.query.get("format"));
    }

    private Item subjectFromParams(Call c, Item project) {
        String ref = c.query.get("subject_ID");
        if (ref == null) {
            for (Map.Entry<String, List<String>> e : c.query.asMap().entrySet()) {
                if (e.getKey().toLowerCase(Locale.ROOT).endsWith("/subject_id")
                        && !e.getValue().isEmpty()) {
                    ref = e.getValue().get(0);
                }
            }
        }
        if (ref == null) {
            throw XnatError.badRequest("A subject is required to create an experiment: use subject_ID= or a"
                    + " /subjects/{S}/experiments/{E} URL.");
        }
        Item s = store.subject(project, ref);
        if (s == null) {
            throw XnatError.notFound("Unable to find the specified subject.");
        }
        return s;
    }

    private Reply experiment(Call c, Route r, Item project, Item subject, Item e) {
        switch (c.method) {
            case "GET", "HEAD" -> {
                return document(c, e);
            }
            case "PUT" -> {
                Documents.Parsed doc = xmlBody(c);
                String type = c.query.get("xsiType", doc == null ? null : doc.xsiType());
                Level level = e != null && e.kind == Kind.ASSESSOR ? Level.ASSESSORS : Level.SESSIONS;
                if (e == null) {
                    if (type == null) {
                        throw new XnatError(417, "Need PUT Contents");
                    }
                    checkProjectParam(c, doc, project);
                    if (subject == null) {
                        if (r.subjectRef != null) {
                            subject = store.createSubject(project, r.subjectRef, c.user);
                        } else {
                            subject = subjectFromParams(c, project);
                        }
                    }
                    String label =
                            c.query.get("label", doc != null && doc.label() != null ? doc.label() : r.experimentRef);
                    e = store.createSession(subject, label, type, c.user);
                    applyFields(c, e, doc, level);
                    return Reply.text(201, "text/plain", e.id);
                }
                if (type != null && !type.equalsIgnoreCase(e.xsiType)) {
                    throw XnatError.conflict(
                            "Cannot change the data type of " + e.id + " from " + e.xsiType + " to " + type + ".");
                }
                checkProjectParam(c, doc, e.project);
                checkXmlLabel(doc, e);
                rename(c, e);
                applyFields(c, e, doc, level);
                return Reply.text(200, "text/plain", e.id);
            }
            case "DELETE" -> {
                requireDelete(c, e);
                store.deleteItem(e, c.query.flag("removeFiles"));
                return Reply.empty(200);
            }
            default -> throw new XnatError(405, "Method Not Allowed");
        }
    }

    // ------------------------------------------------------------------ scans, assessors, reconstructions

    private static Level levelOf(Kind k) {
        return switch (k) {
            case SCAN -> Level.SCANS;
            case ASSESSOR -> Level.ASSESSORS;
            default -> Level.RECONSTRUCTIONS;
        };
    }

    private Reply children(Call c, Item session, Kind kind) {
        if (c.isRead()) {
            return levelOf(kind).list(session.children(kind), c.query).render(c.query.get("format"));
        }
        if (c.method.equals("POST")) {
            Documents.Parsed doc = xmlBody(c);
            String id = c.query.get(
                    kind == Kind.ASSESSOR ? "label" : "ID",
                    doc == null ? null : (kind == Kind.ASSESSOR ? doc.label() : doc.id()));
            String type = c.query.get("xsiType", doc == null ? null : doc.xsiType());
            if (id == null || type == null) {
                throw new XnatError(417, "Need PUT Contents");
            }
            if (store.child(session, kind, id) != null) {
                throw XnatError.conflict("Specified " + kind.word() + " already exists.");
            }
            Item created = create(c, session, kind, id, type);
            applyFields(c, created, doc, levelOf(kind));
            String base = c.baseUrl + "/data/experiments/" + session.id + "/" + kind.word() + "s/" + created.id;
            return Reply.text(
                    200, "text/plain", kind == Kind.ASSESSOR ? c.baseUrl + "/data/experiments/" + created.id : base);
        }
        throw new XnatError(405, "Method Not Allowed");
    }

    private Item create(Call c, Item session, Kind kind, String ref, String type) {
        if (kind == Kind.ASSESSOR) {
            return store.createAssessor(session, ref, type, c.user);
        }
        if (kind == Kind.SCAN && type.equalsIgnoreCase("xnat:imageScanData")) {
            throw XnatError.badRequest(
                    "xnat:imageScanData is abstract: give a concrete scan type such as" + " xnat:mrScanData.");
        }
        return store.createSessionChild(session, kind, ref, type, c.user);
    }

    private Reply child(Call c, Route r, Item session, Item child) {
        Kind kind = r.childKind;
        switch (c.method) {
            case "GET", "HEAD" -> {
                if (child == null) {
                    throw XnatError.notFound("Unable to find the specified " + kind.word() + ".");
                }
                return document(c, child);
            }
            case "PUT" -> {
                Documents.Parsed doc = xmlBody(c);
                String type = c.query.get("xsiType", doc == null ? null : doc.xsiType());
                if (child == null) {
                    if (type == null && kind == Kind.RECONSTRUCTION) {
                        type = "xnat:reconstructedImageData";
                    }
                    if (type == null) {
                        throw new XnatError(417, "Need PUT Contents");
                    }
                    String ref = kind == Kind.ASSESSOR
                            ? c.query.get("label", doc != null && doc.label() != null ? doc.label() : r.childRef)
                            : r.childRef;
                    child = create(c, session, kind, ref, type);
                    applyFields(c, child, doc, levelOf(kind));
                    return kind == Kind.ASSESSOR ? Reply.text(201, "text/plain", child.id) : Reply.empty(200);
                }
                if (type != null && !type.equalsIgnoreCase(child.xsiType)) {
                    throw XnatError.conflict("Cannot change the data type of " + kind.word() + " " + child.id + " from "
                            + child.xsiType + " to " + type + ".");
                }
                if (kind == Kind.ASSESSOR) {
                    rename(c, child);
                }
                applyFields(c, child, doc, levelOf(kind));
                return kind == Kind.ASSESSOR ? Reply.text(200, "text/plain", child.id) : Reply.empty(200);
            }
            case "DELETE" -> {
                if (child == null) {
                    throw XnatError.notFound("Unable to find the specified " + kind.word() + ".");
                }
                requireDelete(c, child);
                store.deleteItem(child, c.query.flag("removeFiles"));
                return Reply.empty(200);
            }
            default -> throw new XnatError(405, "Method Not Allowed");
        }
    }

    // ------------------------------------------------------------------ shared

    private void requireDelete(Call c, Item item) {
        if (item == null) {
            throw XnatError.notFound("Unable to find the specified experiment.");
        }
        if (!store.canEdit(c.user, item.project)) {
            throw XnatError.forbidden("Access Denied: you cannot delete " + item.kind.word() + " " + item.label + ".");
        }
    }

    private Reply document(Call c, Item it) {
        String format = c.query.get("format");
        String f = format == null ? "html" : format.toLowerCase(Locale.ROOT);
        return switch (f) {
            case "xml", "text/xml" -> Reply.text(200, "text/xml", Documents.xml(it, c.baseUrl));
            case "json", "application/json" -> Reply.text(200, "application/json", Documents.json(it));
            case "html", "text/html" ->
                Reply.text(
                        200,
                        "text/html",
                        "<html><body><h2>" + Pages.escape(it.xsiType) + " " + Pages.escape(it.label) + "</h2><pre>"
                                + Pages.escape(Documents.xml(it, c.baseUrl)) + "</pre></body></html>");
            default -> throw XnatError.badRequest("Unsupported format: " + format);
        };
    }

    /** {@code label=NEW} on an existing subject, experiment or assessor renames it (contract 4.2). */
    private void rename(Call c, Item it) {
        String label = c.query.get("label");
        if (label != null && !label.equals(it.label)) {
            store.rename(it, label);
        }
    }

    private static void checkXmlLabel(Documents.Parsed doc, Item it) {
        if (doc != null && doc.label() != null && !doc.label().equals(it.label)) {
            throw XnatError.badRequest("Label must be modified through separate URI.");
        }
    }

    private static void checkProjectParam(Call c, Documents.Parsed doc, Item project) {
        String p = c.query.get("project", doc == null ? null : doc.project());
        if (p != null && project != null && !p.equals(project.id) && !project.aliases.contains(p)) {
            throw XnatError.conflict("Project must be modified through separate URI.");
        }
    }

    /** The XML document in the body (raw XML, or a multipart part whose filename ends with .xml), or null. */
    private Documents.Parsed xmlBody(Call c) {
        if (c.body == null) {
            return null;
        }
        try {
            String ct = c.contentType().toLowerCase(Locale.ROOT);
            if (ct.startsWith("multipart/form-data")) {
                for (Multipart.Part part : Multipart.parse(c.body.file(), Multipart.boundary(c.contentType()), store)) {
                    if (part.file() != null) {
                        try {
                            if (part.filename().toLowerCase(Locale.ROOT).endsWith(".xml")) {
                                return Documents.parse(Files.readAllBytes(part.file()));
                            }
                        } finally {
                            Router.deleteQuietly(part.file());
                        }
                    } else if (part.name() != null) {
                        c.query
                                .asMap()
                                .computeIfAbsent(part.name(), k -> new ArrayList<>())
                                .add(part.value());
                    }
                }
                return null;
            }
            if (ct.startsWith("application/x-www-form-urlencoded")) {
                c.query.addAll(Files.readString(c.body.file(), StandardCharsets.UTF_8));
                return null;
            }
            return Documents.parse(Files.readAllBytes(c.body.file()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Applies XML fields, then query parameters (XPaths and the level's short names) on top (contract 4.1). */
    private static void applyFields(Call c, Item it, Documents.Parsed doc, Level level) {
        if (doc != null) {
            for (Map.Entry<String, String> f : doc.fields().entrySet()) {
                setField(it, f.getKey(), f.getValue());
            }
        }
        for (Map.Entry<String, List<String>> e : c.query.asMap().entrySet()) {
            String name = e.getKey();
            if (e.getValue().isEmpty() || NOT_FIELDS.contains(name.toLowerCase(Locale.ROOT))) {
                continue;
            }
            String value = e.getValue().get(e.getValue().size() - 1);
            if (name.indexOf('/') > 0) {
                XPath x = XPath.parse(name);
                if (x.element() != null
                        && x.element().equalsIgnoreCase("xnat:subjectData")
                        && it.kind != Kind.SUBJECT) {
                    continue;
                }
                if (x.key().equals("label")) {
                    if (it.kind != Kind.PROJECT) {
                        throw XnatError.badRequest("Label must be modified through separate URI.");
                    }
                    continue;
                }
                if (x.isPlainField()) {
                    setField(it, x.key(), value);
                }
            } else {
                String key = level.fieldKey(name);
                if (key != null) {
                    setField(it, key, value);
                }
            }
        }
    }

    private static void setField(Item it, String key, String value) {
        if (it.kind == Kind.PROJECT && key.equals("aliases/alias")) {
            if (!it.aliases.contains(value)) {
                it.aliases.add(value);
            }
            return;
        }
        it.fields.put(key, value);
    }
}
