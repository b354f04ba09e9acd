package io.github.xnatreactive.testkit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The prearchive (XNAT's PrearcSessionListResource, PrearcSessionResource and the batch services): listings, a
 * session's info, XML, scans, resources, files and zip, its actions (build, commit, move, reset and set status),
 * DELETE, {@code /data/services/archive} and {@code /data/services/prearchive/{move,delete,rebuild}}. A project's
 * prearchive is open to those who can change the project; the {@code Unassigned} one to administrators.
 */
final class PrearchiveHandlers {
    private static final List<String> COLUMNS = List.of(
            "project",
            "timestamp",
            "lastmod",
            "uploaded",
            "scan_date",
            "scan_time",
            "subject",
            "folderName",
            "name",
            "tag",
            "status",
            "url",
            "autoarchive",
            "prevent_anon",
            "prevent_auto_commit",
            "SOURCE",
            "VISIT",
            "PROTOCOL",
            "TIMEZONE");

    private PrearchiveHandlers() {}

    // ------------------------------------------------------------------ listings

    /** {@code GET /data/prearchive/projects[/{project}]}: the sessions the caller may see, oldest first. */
    static Reply list(Call c) {
        String project = c.var("project");
        if (project != null) {
            access(c, project);
        }
        Table t = new Table(COLUMNS);
        for (Prearchive.Session s : c.store.prearchive().sessions()) {
            if ((project == null && mayUse(c, s.project)) || s.project.equals(project)) {
                row(t, s);
            }
        }
        return t.render(c.query.get("format"));
    }

    private static void row(Table t, Prearchive.Session s) {
        Map<String, String> r = t.addRow();
        r.put("project", s.project);
        r.put("timestamp", s.timestamp);
        r.put("lastmod", s.lastmod);
        r.put("uploaded", s.uploaded);
        r.put("scan_date", s.scanDate);
        r.put("scan_time", s.scanTime);
        r.put("subject", s.subject == null ? "" : s.subject);
        r.put("folderName", s.folderName);
        r.put("name", s.name);
        r.put("tag", s.tag);
        r.put("status", s.status.name());
        r.put("url", s.url());
        r.put("autoarchive", s.autoArchive ? "AutoArchive" : "Manual");
        r.put("prevent_anon", "false");
        r.put("prevent_auto_commit", "false");
        r.put("SOURCE", s.source);
        r.put("VISIT", "");
        r.put("PROTOCOL", "");
        r.put("TIMEZONE", "");
    }

    // ------------------------------------------------------------------ one session

    /** {@code GET .../{timestamp}/{session}}: {@code format=json} its row, {@code zip} its folder, else its XML. */
    static Reply get(Call c) {
        Prearchive.Session s = session(c);
        String format = c.query.get("format", "xml").toLowerCase(Locale.ROOT);
        switch (format) {
            case "json", "csv", "html" -> {
                Table t = new Table(COLUMNS);
                row(t, s);
                return t.render(format);
            }
            case "zip" -> {
                List<Archives.Entry> entries = new ArrayList<>();
                for (Prearchive.Scan sc : s.scans.values()) {
                    for (Prearchive.FileInfo f : sc.files.values()) {
                        Path p = c.store.prearchive().dir(s, sc).resolve(f.name());
                        entries.add(Archives.Entry.of(
                                s.folderName + "/SCANS/" + sc.id + "/DICOM/" + f.name(),
                                p,
                                f.size(),
                                f.crc(),
                                lastModified(p)));
                    }
                }
                return Reply.stream("application/zip", Archives.stream("zip", 0, entries))
                        .header("Content-Disposition", "attachment; filename=\"" + s.folderName + ".zip\";");
            }
            case "xml" -> {
                return Reply.text(200, "text/xml", xml(s));
            }
            default -> throw XnatError.badRequest("Unsupported format: " + format);
        }
    }

    private static long lastModified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The session document the build writes: label, subject, date, UID and each scan with its file count. */
    private static String xml(Prearchive.Session s) {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        b.append("<xnat:").append(type(s.modality)).append("Session xmlns:xnat=\"http://nrg.wustl.edu/xnat\"");
        b.append(" label=\"").append(Pages.escape(s.name)).append("\" project=\"");
        b.append(Pages.escape(s.project))
                .append("\" UID=\"")
                .append(Pages.escape(s.tag))
                .append("\">\n");
        if (!s.scanDate.isEmpty()) {
            b.append("  <xnat:date>").append(s.scanDate).append("</xnat:date>\n");
        }
        b.append("  <xnat:dcmPatientName>")
                .append(Pages.escape(s.subject == null ? "" : s.subject))
                .append("</xnat:dcmPatientName>\n  <xnat:scans>\n");
        for (Prearchive.Scan sc : s.scans.values()) {
            b.append("    <xnat:scan ID=\"").append(Pages.escape(sc.id)).append("\" UID=\"");
            b.append(Pages.escape(sc.seriesUid)).append("\" xsi:type=\"xnat:").append(type(sc.modality));
            b.append("ScanData\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n");
            b.append("      <xnat:type>")
                    .append(Pages.escape(nz(sc.description)))
                    .append("</xnat:type>\n");
            b.append("      <xnat:series_description>").append(Pages.escape(nz(sc.description)));
            b.append("</xnat:series_description>\n      <xnat:frames>").append(sc.files.size());
            b.append("</xnat:frames>\n    </xnat:scan>\n");
        }
        return b.append("  </xnat:scans>\n</xnat:")
                .append(type(s.modality))
                .append("Session>\n")
                .toString();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String type(String modality) {
        return switch (modality == null ? "" : modality) {
            case "MR" -> "MR";
            case "CT" -> "CT";
            case "PT" -> "PET";
            default -> "OtherDicom";
        };
    }

    /** {@code GET .../scans}: ID, type, description, file count and size of each scan. */
    static Reply scans(Call c) {
        Prearchive.Session s = session(c);
        Table t = new Table(List.of("ID", "xsiType", "type", "series_description", "file_count", "file_size", "UID"));
        for (Prearchive.Scan sc : s.scans.values()) {
            Map<String, String> r = t.addRow();
            r.put("ID", sc.id);
            r.put("xsiType", "xnat:" + type(sc.modality).toLowerCase(Locale.ROOT) + "ScanData");
            r.put("type", nz(sc.description));
            r.put("series_description", nz(sc.description));
            r.put("file_count", Integer.toString(sc.files.size()));
            r.put("file_size", Long.toString(sc.size()));
            r.put("UID", sc.seriesUid);
        }
        return t.render(c.query.get("format"));
    }

    /** {@code GET .../scans/{scan}/resources}: the scan's one resource, {@code DICOM}. */
    static Reply resources(Call c) {
        Prearchive.Scan sc = scan(c, session(c));
        Table t = new Table(List.of("label", "format", "content", "file_count", "file_size"));
        Map<String, String> r = t.addRow();
        r.put("label", "DICOM");
        r.put("format", "DICOM");
        r.put("content", "RAW");
        r.put("file_count", Integer.toString(sc.files.size()));
        r.put("file_size", Long.toString(sc.size()));
        return t.render(c.query.get("format"));
    }

    /** {@code GET .../resources/DICOM/files}: Name, Size, URI and MD5 digest; {@code format=zip} the files. */
    static Reply files(Call c) {
        Prearchive.Session s = session(c);
        Prearchive.Scan sc = scan(c, s);
        resource(c);
        String base = "/data" + s.url() + "/scans/" + sc.id + "/resources/DICOM/files/";
        if ("zip".equalsIgnoreCase(c.query.get("format"))) {
            List<Archives.Entry> entries = new ArrayList<>();
            for (Prearchive.FileInfo f : sc.files.values()) {
                Path p = c.store.prearchive().dir(s, sc).resolve(f.name());
                entries.add(Archives.Entry.of(f.name(), p, f.size(), f.crc(), lastModified(p)));
            }
            return Reply.stream("application/zip", Archives.stream("zip", 0, entries))
                    .header("Content-Disposition", "attachment; filename=\"" + sc.id + ".zip\";");
        }
        Table t = new Table(List.of("Name", "Size", "URI", "collection", "file_format", "file_content", "digest"));
        for (Prearchive.FileInfo f : sc.files.values()) {
            Map<String, String> r = t.addRow();
            r.put("Name", f.name());
            r.put("Size", Long.toString(f.size()));
            r.put("URI", base + f.name());
            r.put("collection", "DICOM");
            r.put("file_format", "DICOM");
            r.put("file_content", "RAW");
            r.put("digest", f.md5());
        }
        return t.render(c.query.get("format"));
    }

    /** {@code GET .../resources/DICOM/files/{name}}: the file's bytes. */
    static Reply file(Call c) {
        Prearchive.Session s = session(c);
        Prearchive.Scan sc = scan(c, s);
        resource(c);
        Prearchive.FileInfo f = sc.files.get(c.var("path"));
        if (f == null) {
            throw XnatError.notFound("No file " + c.var("path") + " in scan " + sc.id);
        }
        return Reply.file(c.store.prearchive().dir(s, sc).resolve(f.name()), f.size(), "application/dicom")
                .header("Content-Disposition", "attachment; filename=\"" + f.name() + "\"");
    }

    /** {@code GET .../logs}: what happened to the session, one line each. */
    static Reply logs(Call c) {
        Prearchive.Session s = session(c);
        return Reply.text(200, "text/plain", String.join("\n", s.log) + (s.log.isEmpty() ? "" : "\n"));
    }

    // ------------------------------------------------------------------ changes

    /** {@code POST ...?action=build|commit|move|reset-status|set-status}. */
    static Reply action(Call c) {
        form(c);
        Prearchive.Session s = session(c);
        String action = c.query.get("action");
        if (action == null) {
            throw XnatError.badRequest("An action is required: build, commit, move, reset-status or set-status.");
        }
        switch (action) {
            case "build" -> {
                build(s);
                return Reply.text(200, "text/uri-list", ImportService.uriList(List.of("/data" + s.url())));
            }
            case "commit" -> {
                String uri = archive(c, s, c.query.get("dest"));
                return Reply.text(301, "text/uri-list", ImportService.uriList(List.of(uri)));
            }
            case "move" -> {
                move(c, s, c.query.get("newProject"));
                return Reply.text(301, "text/uri-list", ImportService.uriList(List.of("/data" + s.url())));
            }
            case "reset-status" -> {
                unlocked(s);
                s.status = Prearchive.Status.READY;
                return Reply.empty(200);
            }
            case "set-status" -> {
                String status = c.query.get("status");
                try {
                    s.status = Prearchive.Status.valueOf(status == null ? "" : status.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw XnatError.badRequest("Unknown prearchive status: " + status);
                }
                return Reply.empty(200);
            }
            default -> throw XnatError.badRequest("Unknown action: " + action);
        }
    }

    /** {@code DELETE .../{timestamp}/{session}}. */
    static Reply delete(Call c) {
        Prearchive.Session s = session(c);
        unlocked(s);
        c.store.prearchive().remove(s);
        return Reply.empty(200);
    }

    /** {@code POST /data/services/archive?src=...[&dest=...][&overwrite=...]}: 200, the archive URI. */
    static Reply archiveService(Call c) {
        form(c);
        List<String> srcs = c.query.all("src");
        if (srcs.isEmpty()) {
            throw XnatError.badRequest("The src parameter is required: src=/prearchive/projects/{P}/{ts}/{s}");
        }
        List<String> uris = new ArrayList<>();
        List<Prearchive.Session> sessions = new ArrayList<>();
        for (String src : srcs) {
            sessions.add(source(c, src));
        }
        for (Prearchive.Session s : sessions) {
            uris.add(archive(c, s, c.query.get("dest")));
        }
        return Reply.text(200, "text/uri-list", ImportService.uriList(uris));
    }

    /** {@code POST /data/services/prearchive/{move,delete,rebuild}?src=...}: each source, all checked first. */
    static Reply batch(Call c) {
        form(c);
        List<String> srcs = c.query.all("src");
        if (srcs.isEmpty()) {
            throw XnatError.badRequest("The src parameter is required: src=/prearchive/projects/{P}/{ts}/{s}");
        }
        List<Prearchive.Session> sessions = new ArrayList<>();
        for (String src : srcs) {
            Prearchive.Session s = source(c, src);
            unlocked(s);
            sessions.add(s);
        }
        String op = c.var("op");
        String newProject = c.query.get("newProject");
        if (op.equals("move")) {
            for (Prearchive.Session s : sessions) {
                checkMove(c, s, newProject);
            }
        }
        Table t = new Table(COLUMNS);
        for (Prearchive.Session s : sessions) {
            switch (op) {
                case "move" -> move(c, s, newProject);
                case "delete" -> c.store.prearchive().remove(s);
                default -> build(s);
            }
            row(t, s);
        }
        return t.render(c.query.get("format"));
    }

    // ------------------------------------------------------------------ helpers

    private static void build(Prearchive.Session s) {
        unlocked(s);
        s.status = Prearchive.Status.READY;
        s.lastmod = Store.now();
        s.log.add(Store.now() + " built: " + s.scans.size() + " scans, " + s.fileCount() + " files");
    }

    /** Archives (after a build if the session is still receiving); a conflict marks the session CONFLICT. */
    private static String archive(Call c, Prearchive.Session s, String dest) {
        if (s.project.equals(Prearchive.UNASSIGNED)) {
            throw XnatError.forbidden("Sessions in the Unassigned prearchive must be moved to a project first.");
        }
        unlocked(s);
        String project = s.project;
        String subject = s.subject;
        String label = s.name;
        if (dest != null && !dest.isBlank()) {
            String[] d = (dest.startsWith("/data/") ? dest.substring(5) : dest).split("/");
            if (d.length < 4 || !d[1].equals("archive") || !d[2].equals("projects")) {
                throw XnatError.badRequest("Parameter dest format error: " + dest);
            }
            project = d[3];
            subject = d.length >= 6 ? d[5] : subject;
            label = d.length >= 8 ? d[7] : label;
        }
        Item p = c.store.project(project);
        if (p == null) {
            throw XnatError.notFound("No project with ID or alias " + project);
        }
        Archiver.Plan plan;
        try {
            plan = Archiver.plan(c.store, p, subject, label, Archiver.overwrite(c.query.get("overwrite")), c.user);
        } catch (XnatError e) {
            if (e.status == 409) {
                s.status = Prearchive.Status.CONFLICT;
                s.log.add(Store.now() + " conflict: " + e.getMessage());
            }
            throw e;
        }
        return Archiver.uri(Archiver.archive(c.store, s, plan));
    }

    private static void checkMove(Call c, Prearchive.Session s, String newProject) {
        if (newProject == null || newProject.isBlank()) {
            throw XnatError.badRequest("The newProject parameter is required.");
        }
        access(c, newProject);
        if (c.store.prearchive().find(newProject, s.timestamp, s.folderName) != null) {
            throw XnatError.conflict("Project " + newProject + " already has " + s.timestamp + "/" + s.folderName);
        }
    }

    private static void move(Call c, Prearchive.Session s, String newProject) {
        unlocked(s);
        checkMove(c, s, newProject);
        Item p = c.store.project(newProject);
        c.store.prearchive().move(s, p == null ? newProject : p.id);
        s.log.add(Store.now() + " moved to " + s.project);
    }

    private static void unlocked(Prearchive.Session s) {
        switch (s.status) {
            case ARCHIVING, BUILDING, MOVING, DELETING ->
                throw XnatError.conflict("The session is locked: it is " + s.status + ".");
            default -> {
                // free to change
            }
        }
    }

    /** The session of a {@code src=/prearchive/projects/{P}/{ts}/{s}} parameter. */
    private static Prearchive.Session source(Call c, String src) {
        String[] p = (src.startsWith("/data/") ? src.substring(5) : src).split("/");
        if (p.length != 6 || !p[1].equals("prearchive") || !p[2].equals("projects")) {
            throw XnatError.badRequest("Invalid src: " + src + " (expected /prearchive/projects/{P}/{ts}/{s})");
        }
        access(c, p[3]);
        Prearchive.Session s = c.store.prearchive().find(p[3], p[4], p[5]);
        if (s == null) {
            throw XnatError.notFound("No prearchive session " + src);
        }
        return s;
    }

    private static Prearchive.Session session(Call c) {
        String project = c.var("project");
        access(c, project);
        Prearchive.Session s = c.store.prearchive().find(project, c.var("timestamp"), c.var("session"));
        if (s == null) {
            throw XnatError.notFound("No prearchive session /prearchive/projects/" + project + "/" + c.var("timestamp")
                    + "/" + c.var("session"));
        }
        return s;
    }

    private static Prearchive.Scan scan(Call c, Prearchive.Session s) {
        Prearchive.Scan sc = s.scans.get(c.var("scan"));
        if (sc == null) {
            throw XnatError.notFound("No scan " + c.var("scan") + " in " + s.url());
        }
        return sc;
    }

    private static void resource(Call c) {
        if (!"DICOM".equals(c.var("resource"))) {
            throw XnatError.notFound("No resource " + c.var("resource") + ": prearchive scans hold DICOM");
        }
    }

    /** The caller may use this project's prearchive (404 for a project they cannot see, 403 to not change). */
    static void access(Call c, String project) {
        if (project.equals(Prearchive.UNASSIGNED)) {
            if (!c.user.admin()) {
                throw XnatError.forbidden("Only administrators may use the Unassigned prearchive.");
            }
            return;
        }
        Item p = c.store.project(project);
        if (p == null || !c.store.canSee(c.user, p)) {
            throw XnatError.notFound("No project with ID or alias " + project);
        }
        if (!c.store.canEdit(c.user, p)) {
            throw XnatError.forbidden("User " + c.user.login() + " cannot use the prearchive of " + project);
        }
    }

    private static boolean mayUse(Call c, String project) {
        if (project.equals(Prearchive.UNASSIGNED)) {
            return c.user.admin();
        }
        Item p = c.store.project(project);
        return p != null && c.store.canEdit(c.user, p);
    }

    /** Parameters sent as a form body join the query ones (pyxnat posts {@code src=...} that way). */
    private static void form(Call c) {
        if (c.body != null
                && c.contentType().toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            try {
                c.query.addAll(Files.readString(c.body.file(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
