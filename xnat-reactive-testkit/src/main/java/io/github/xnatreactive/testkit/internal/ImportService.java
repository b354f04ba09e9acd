package io.github.xnatreactive.testkit.internal;

import io.github.xnatreactive.dicom.DicomFormatException;
import io.github.xnatreactive.dicom.DicomHeader;
import io.github.xnatreactive.dicom.DicomReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * {@code POST /data/services/import} (XNAT's Importer with its DICOM-zip and gradual-DICOM handlers): reads each
 * file's DICOM header, files it into a session per Study Instance UID and a scan per series, in the prearchive or
 * straight into the archive. Unlike XNAT, which writes entries until the first bad one, the testkit reads and checks
 * every entry before it writes anything, so a rejected upload leaves nothing behind.
 */
final class ImportService {
    static final String DICOM_ZIP = "DICOM-zip";
    static final String GRADUAL = "gradual-DICOM";
    private static final Set<String> NOT_MODELLED = Set.of("SI", "XAR", "inbox", "automation");

    private ImportService() {}

    /** One DICOM instance read from the upload and staged on disk. */
    record Staged(String name, Path file, long size, String md5, long crc, DicomHeader header) {}

    /** Where the upload goes: project, subject and session labels (each may be null), archive or prearchive. */
    record Destination(String project, String subject, String label, boolean archive, boolean build) {}

    static Reply handle(Call c) {
        Path staging = c.store.newTempDir();
        List<Path> parts = new ArrayList<>();
        try {
            Path upload = upload(c, parts);
            String handler = c.query.getIgnoreCase("import-handler");
            if (handler == null) {
                handler =
                        c.contentType().toLowerCase(Locale.ROOT).startsWith("application/dicom") ? GRADUAL : DICOM_ZIP;
            }
            if (NOT_MODELLED.contains(handler)) {
                throw new XnatError(501, "The testkit does not implement the " + handler + " import handler");
            }
            if (!handler.equals(DICOM_ZIP) && !handler.equals(GRADUAL)) {
                throw XnatError.notFound("No import handler named " + handler);
            }
            Destination dest = destination(c);
            Item project = project(c, dest.project());
            boolean ignoreUnparsable = c.query.flag("Ignore-Unparsable");
            List<Staged> staged = new ArrayList<>();
            List<String> unparsable = new ArrayList<>();
            if (handler.equals(GRADUAL)) {
                stage(c, nameOf(c), Files.newInputStream(upload), staging, staged, unparsable, false);
            } else {
                entries(c, upload, staging, staged, unparsable, ignoreUnparsable);
            }
            if (staged.isEmpty()) {
                throw XnatError.badRequest(
                        unparsable.isEmpty() ? "The upload holds no DICOM files." : unparsable.get(0));
            }
            List<String> uris = file(c, project, dest, staged);
            return reply(c, uris);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Store.deleteTree(staging);
            parts.forEach(Router::deleteQuietly);
        }
    }

    /** The uploaded file: the raw body, or the one file part of a multipart body (its fields become parameters). */
    private static Path upload(Call c, List<Path> parts) throws IOException {
        if (c.body == null || c.body.size() == 0) {
            throw XnatError.badRequest("Unable to identify upload format.");
        }
        String ct = c.contentType().toLowerCase(Locale.ROOT);
        if (!ct.startsWith("multipart/form-data")) {
            return c.body.file();
        }
        Path file = null;
        int files = 0;
        for (Multipart.Part p : Multipart.parse(c.body.file(), Multipart.boundary(c.contentType()), c.store)) {
            if (p.file() != null) {
                parts.add(p.file());
                files++;
                file = p.file();
            } else if (p.name() != null) {
                c.query
                        .asMap()
                        .computeIfAbsent(p.name(), k -> new ArrayList<>())
                        .add(p.value());
            }
        }
        if (files == 0) {
            throw XnatError.badRequest("Unable to identify upload format.");
        }
        if (files > 1) {
            throw XnatError.badRequest("Importer is limited to one uploaded resource at a time.");
        }
        return file;
    }

    private static String nameOf(Call c) {
        String n = c.query.get("filename");
        return n == null || n.isBlank() ? "upload.dcm" : n;
    }

    /** {@code dest=}, then {@code PROJECT_ID}/{@code SUBJECT_ID}/{@code EXPT_LABEL} and their short names. */
    static Destination destination(Call c) {
        String project = first(c, "PROJECT_ID", "project");
        String subject = first(c, "SUBJECT_ID", "subject");
        String label = first(c, "EXPT_LABEL", "session");
        boolean archive = c.query.flag("auto-archive") || c.query.flag("AA");
        boolean build = false;
        String dest = c.query.get("dest");
        if (dest != null && !dest.isBlank()) {
            String d = dest.startsWith("/data/") ? dest.substring(5) : dest;
            String[] s = d.replaceAll("/+$", "").split("/");
            boolean prearc = s.length == 4 && s[1].equals("prearchive") && s[2].equals("projects");
            boolean arc = s.length >= 4 && s[1].equals("archive") && s[2].equals("projects") && s.length <= 8;
            if (!(prearc || arc) || !s[0].isEmpty()) {
                throw XnatError.badRequest("Parameter dest format error");
            }
            project = s[3];
            if (arc) {
                if (s.length >= 6) {
                    if (!s[4].equals("subjects")) {
                        throw XnatError.badRequest("Parameter dest format error");
                    }
                    subject = s[5];
                }
                if (s.length == 8) {
                    if (!s[6].equals("experiments")) {
                        throw XnatError.badRequest("Parameter dest format error");
                    }
                    label = s[7];
                } else if (s.length != 4 && s.length != 6) {
                    throw XnatError.badRequest("Parameter dest format error");
                }
            }
            archive = arc;
            build = true;
        }
        for (String v : new String[] {project, subject, label}) {
            if (v != null && !v.matches("[A-Za-z0-9_\\-.]+")) {
                throw new XnatError(417, "Invalid character in label or ID: '" + v + "'.");
            }
        }
        return new Destination(project, subject, label, archive, build || archive);
    }

    private static String first(Call c, String... names) {
        for (String n : names) {
            String v = c.query.get(n);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    /** The named project, which the caller must be able to change; null when none is named. */
    private static Item project(Call c, String ref) {
        if (ref == null || ref.equals(Prearchive.UNASSIGNED)) {
            return null;
        }
        Item p = c.store.project(ref);
        if (p == null || !c.store.canSee(c.user, p)) {
            throw XnatError.notFound("No project with ID or alias " + ref);
        }
        if (!c.store.canEdit(c.user, p)) {
            throw XnatError.forbidden("User " + c.user.login() + " cannot import into project " + p.id);
        }
        return p;
    }

    /** Reads the archive's entries (zip, tar or tar.gz, found by their first bytes). */
    private static void entries(
            Call c, Path upload, Path staging, List<Staged> staged, List<String> unparsable, boolean ignore)
            throws IOException {
        byte[] magic = new byte[262];
        int n;
        try (InputStream in = Files.newInputStream(upload)) {
            n = in.readNBytes(magic, 0, magic.length);
        }
        boolean zip = n >= 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
        boolean emptyZip = n >= 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 5 && magic[3] == 6;
        boolean gzip = n >= 2 && (magic[0] & 0xFF) == 0x1F && (magic[1] & 0xFF) == 0x8B;
        boolean tar = n >= 262 && new String(magic, 257, 5, java.nio.charset.StandardCharsets.US_ASCII).equals("ustar");
        if (emptyZip) {
            return;
        }
        if (zip) {
            try (ZipInputStream z = new ZipInputStream(new BufferedInputStream(Files.newInputStream(upload)))) {
                for (ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
                    if (!e.isDirectory()) {
                        stage(c, e.getName(), z, staging, staged, unparsable, ignore);
                    }
                }
            } catch (java.util.zip.ZipException e) {
                throw XnatError.badRequest("unable to read data from file: " + e.getMessage());
            }
            return;
        }
        if (gzip || tar) {
            InputStream raw = new BufferedInputStream(Files.newInputStream(upload));
            try (TarArchiveInputStream t = new TarArchiveInputStream(gzip ? new GZIPInputStream(raw) : raw)) {
                for (TarArchiveEntry e = t.getNextEntry(); e != null; e = t.getNextEntry()) {
                    if (e.isFile()) {
                        stage(c, e.getName(), t, staging, staged, unparsable, ignore);
                    }
                }
            } catch (IOException | IllegalArgumentException e) {
                throw XnatError.badRequest("unable to read data from file: " + e.getMessage());
            }
            return;
        }
        throw XnatError.badRequest("Unsupported format: the upload is not a zip, tar or tar.gz archive");
    }

    /** Copies one entry to the staging folder and reads its header; a file that is not DICOM is refused or noted. */
    private static void stage(
            Call c,
            String entryName,
            InputStream in,
            Path staging,
            List<Staged> staged,
            List<String> unparsable,
            boolean ignore)
            throws IOException {
        String name = entryName.substring(entryName.lastIndexOf('/') + 1);
        Path file = staging.resolve(Integer.toString(staged.size() + unparsable.size()));
        Checksums sums = new Checksums();
        try (OutputStream out = sums.wrap(Files.newOutputStream(file))) {
            in.transferTo(out);
        }
        String problem;
        try (InputStream header = Files.newInputStream(file)) {
            DicomHeader h = DicomReader.read(header);
            problem = missing(h, name);
            if (problem == null) {
                staged.add(new Staged(name, file, sums.size(), sums.md5Hex(), sums.crc(), h));
                return;
            }
        } catch (DicomFormatException e) {
            problem = "Unable to parse " + entryName + " as DICOM: " + e.getMessage();
        }
        Files.deleteIfExists(file);
        if (!ignore) {
            throw XnatError.badRequest(problem);
        }
        unparsable.add(problem);
    }

    private static String missing(DicomHeader h, String name) {
        if (blank(h.string(DicomHeader.SOP_CLASS_UID))) {
            return "object " + name + " contains no SOP Class UID";
        }
        if (blank(h.string(DicomHeader.SOP_INSTANCE_UID))) {
            return "object " + name + " contains no SOP Instance UID";
        }
        if (blank(h.string(DicomHeader.STUDY_INSTANCE_UID))) {
            return "object " + name + " contains no Study Instance UID";
        }
        return null;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** A label as XNAT makes one of a header value: characters it does not allow become underscores. */
    static String label(String value) {
        if (value == null) {
            return null;
        }
        String v = value.strip().replaceAll("[^A-Za-z0-9_\\-]", "_");
        return v.isEmpty() ? null : v;
    }

    /** Files the staged instances into sessions (one per study) and answers the URIs of the sessions. */
    private static List<String> file(Call c, Item project, Destination dest, List<Staged> staged) {
        Map<String, List<Staged>> studies = new LinkedHashMap<>();
        for (Staged s : staged) {
            studies.computeIfAbsent(s.header().string(DicomHeader.STUDY_INSTANCE_UID), k -> new ArrayList<>())
                    .add(s);
        }
        if (dest.label() != null && studies.size() > 1) {
            throw XnatError.badRequest("EXPT_LABEL names one session, but the upload holds " + studies.size()
                    + " studies (Study Instance UIDs)");
        }
        String projectId = project == null ? Prearchive.UNASSIGNED : project.id;
        boolean archive = dest.archive() || (project != null && project.prearchiveCode == 4 && !dest.build());
        if (archive && project == null) {
            throw XnatError.badRequest("A project is required to archive an imported session.");
        }
        Archiver.Overwrite overwrite = Archiver.overwrite(c.query.get("overwrite"));
        // every check before the first write
        List<String[]> names = new ArrayList<>();
        List<Archiver.Plan> plans = new ArrayList<>();
        for (List<Staged> study : studies.values()) {
            DicomHeader first = study.get(0).header();
            String label = dest.label() != null ? dest.label() : label(first.string(DicomHeader.PATIENT_ID));
            label = label == null ? "dicom_upload" : label;
            String subject = dest.subject() != null ? dest.subject() : label(first.string(DicomHeader.PATIENT_NAME));
            names.add(new String[] {label, subject});
            plans.add(archive ? Archiver.plan(c.store, project, subject, label, overwrite, c.user) : null);
        }
        Prearchive pa = c.store.prearchive();
        String timestamp = pa.newTimestamp();
        List<String> uris = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, List<Staged>> study : studies.entrySet()) {
            Archiver.Plan plan = plans.get(i);
            String label = names.get(i)[0];
            String subject = names.get(i)[1];
            i++;
            Prearchive.Session s = archive ? null : pa.receiving(projectId, study.getKey(), label);
            if (s == null) {
                // two studies of one upload with the same label get folders of their own
                String ts = pa.find(projectId, timestamp, label) == null ? timestamp : pa.newTimestamp();
                s = pa.create(projectId, ts, label, study.getKey());
            }
            s.subject = subject;
            s.autoArchive = archive;
            s.source = c.user.login();
            fill(s, study.getValue().get(0).header());
            for (Staged f : study.getValue()) {
                add(pa, s, f);
            }
            s.lastmod = Store.now();
            s.status = dest.build() || archive ? Prearchive.Status.READY : Prearchive.Status.RECEIVING;
            if (archive) {
                uris.add(Archiver.uri(Archiver.archive(c.store, s, plan)));
            } else {
                uris.add("/data" + s.url());
            }
        }
        return new ArrayList<>(new LinkedHashSet<>(uris));
    }

    private static void fill(Prearchive.Session s, DicomHeader h) {
        String date = h.string(DicomHeader.STUDY_DATE);
        if (date != null && date.length() == 8) {
            s.scanDate = date.substring(0, 4) + "-" + date.substring(4, 6) + "-" + date.substring(6);
        }
        String time = h.string(DicomHeader.STUDY_TIME);
        if (time != null && time.length() >= 6) {
            s.scanTime = time.substring(0, 2) + ":" + time.substring(2, 4) + ":" + time.substring(4, 6);
        }
        String modality = h.string(DicomHeader.MODALITY);
        if (modality != null && !modality.isBlank() && s.modality.isEmpty()) {
            s.modality = modality;
        }
    }

    /** Adds one instance to its scan (by series), moving the staged file into the session folder. */
    private static void add(Prearchive pa, Prearchive.Session s, Staged f) {
        DicomHeader h = f.header();
        String seriesUid = h.string(DicomHeader.SERIES_INSTANCE_UID);
        String key = seriesUid == null || seriesUid.isBlank() ? "" : seriesUid;
        Prearchive.Scan scan = null;
        for (Prearchive.Scan sc : s.scans.values()) {
            if (sc.seriesUid.equals(key)) {
                scan = sc;
            }
        }
        if (scan == null) {
            String id = h.integer(DicomHeader.SERIES_NUMBER)
                    .map(n -> Long.toString(n))
                    .orElse(key.isEmpty() ? "1" : Integer.toHexString(key.hashCode()));
            String unique = id;
            for (int k = 1; s.scans.containsKey(unique); k++) {
                unique = id + "-" + k;
            }
            scan = new Prearchive.Scan(unique, key);
            scan.description = h.string(DicomHeader.SERIES_DESCRIPTION);
            scan.modality = h.string(DicomHeader.MODALITY);
            s.scans.put(unique, scan);
        }
        String sop = h.string(DicomHeader.SOP_INSTANCE_UID);
        String name = f.name().isEmpty() ? sop + ".dcm" : f.name();
        Prearchive.FileInfo existing = scan.files.get(name);
        if (existing != null && !existing.sopInstanceUid().equals(sop)) {
            name = sop + ".dcm";
        }
        try {
            Path dir = pa.dir(s, scan);
            Files.createDirectories(dir);
            Files.move(f.file(), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        scan.files.put(name, new Prearchive.FileInfo(name, f.size(), f.md5(), f.crc(), sop));
    }

    /** XNAT's reply: text/uri-list, one URI a line ending CRLF; {@code format=txt} plain text; html a page. */
    static Reply reply(Call c, List<String> uris) {
        String format = c.query.get("format");
        if ("txt".equalsIgnoreCase(format)) {
            return Reply.text(200, "text/plain", uris.size() == 1 ? uris.get(0) : uriList(uris));
        }
        if ("html".equalsIgnoreCase(format)) {
            StringBuilder b = new StringBuilder("<html><body>The following sessions have been uploaded:<br>");
            uris.forEach(u -> b.append("<br>").append(u));
            return Reply.text(200, "text/html", b.append("</body></html>").toString());
        }
        return Reply.text(200, "text/uri-list", uriList(uris));
    }

    static String uriList(List<String> uris) {
        StringBuilder b = new StringBuilder();
        uris.forEach(u -> b.append(u).append("\r\n"));
        return b.toString();
    }
}
