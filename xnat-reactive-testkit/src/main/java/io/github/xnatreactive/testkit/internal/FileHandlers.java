package io.github.xnatreactive.testkit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

/** Files of resources (contract section 5): listings, downloads, archives, uploads and deletes. */
final class FileHandlers {
    private static final Set<String> ARCHIVE_FORMATS = Set.of("zip", "tar", "tar.gz", "tgz");

    private FileHandlers() {}

    /** A listing, one file's bytes, or (with {@code format=zip}, {@code tar}, {@code tar.gz}) an archive. */
    static Reply get(Call c, Target.Files t) {
        List<Resource> resources = resources(c, t);
        String format = c.query.get("format");
        if (format != null && ARCHIVE_FORMATS.contains(format.toLowerCase(Locale.ROOT))) {
            return archive(c, t, resources, format.toLowerCase(Locale.ROOT));
        }
        if (t.path().isEmpty() || t.path().endsWith("/")) {
            return listing(c, t, resources);
        }
        return download(c, t, resources);
    }

    /** Resources named by the route (label, numeric ID or comma list) or all of the owners'. */
    private static List<Resource> resources(Call c, Target.Files t) {
        List<Resource> out = new ArrayList<>();
        String direction = t.owners().direction();
        for (Item owner : t.owners().items()) {
            if (t.resource() == null) {
                out.addAll(c.store.resources(owner, direction));
                if (owner.kind == Kind.SESSION && c.query.flag("all")) {
                    for (Item child : owner.children) {
                        out.addAll(child.resources);
                    }
                }
            } else {
                for (String ref : t.resource().split(",")) {
                    Resource res = c.store.resource(owner, direction, ref);
                    if (res != null && !out.contains(res)) {
                        out.add(res);
                    }
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ URIs and archive paths

    /** The owner's URL with numeric IDs, as XNAT writes file URIs (contract 5.5). */
    static String ownerUri(Item owner) {
        return switch (owner.kind) {
            case PROJECT -> "/data/projects/" + owner.id;
            case SUBJECT -> "/data/projects/" + owner.project.id + "/subjects/" + owner.id;
            case SESSION -> "/data/experiments/" + owner.id;
            case SCAN -> "/data/experiments/" + owner.parent.id + "/scans/" + owner.id;
            case RECONSTRUCTION -> "/data/experiments/" + owner.parent.id + "/reconstructions/" + owner.id;
            case ASSESSOR -> "/data/experiments/" + owner.parent.id + "/assessors/" + owner.id;
        };
    }

    static String fileUri(Resource res, Resource.CatalogFile f) {
        String dir = res.direction == null ? "" : "/" + res.direction;
        return ownerUri(res.owner) + dir + "/resources/" + res.id + "/files/" + f.path();
    }

    /** Top-level folder of an archive entry: the session, subject or project directory name. */
    private static String topName(Item owner) {
        return switch (owner.kind) {
            case PROJECT -> owner.id;
            case SUBJECT -> owner.label;
            case SESSION -> owner.label;
            default -> owner.parent.label;
        };
    }

    /** Entry name per contract 5.8, for structure default, simplified or improved. */
    static String entryName(Resource res, Resource.CatalogFile f, String structure) {
        Item o = res.owner;
        String dir = res.direction == null ? "" : res.direction + "/";
        String label = res.label.isEmpty() ? Long.toString(res.id) : res.label;
        String middle =
                switch (o.kind) {
                    case SCAN -> "scans/" + o.id + "-" + o.field("type").replaceAll("\\W", "_") + "/";
                    case RECONSTRUCTION -> "reconstructions/" + o.id + "/" + dir;
                    case ASSESSOR -> "assessors/" + o.label + "/" + dir;
                    default -> "";
                };
        String s = structure == null ? "" : structure.toLowerCase(Locale.ROOT);
        if (s.equals("improved")) {
            if (o.kind == Kind.SCAN) {
                return "scans/" + o.id + "_" + o.field("type").replaceAll("\\W", "_") + "/" + label + "/" + f.path();
            }
            return middle + "resources/" + label + "/" + f.path();
        }
        if (s.equals("simplified")) {
            return topName(o) + "/" + middle + label + "/" + f.path();
        }
        return topName(o) + "/" + middle + "resources/" + label + "/files/" + f.path();
    }

    // ------------------------------------------------------------------ listing, download, archive

    private static Reply listing(Call c, Target.Files t, List<Resource> resources) {
        if (t.resource() != null && resources.isEmpty()) {
            throw XnatError.notFound("Unable to find the specified catalog.");
        }
        String prefix = t.path();
        boolean recursive = !"false".equalsIgnoreCase(c.query.get("recursive"));
        List<String> formats = c.query.all("file_format");
        List<String> contents = c.query.all("file_content");
        Table table = new Table(List.of(
                "Name", "Size", "URI", "collection", "file_tags", "file_format", "file_content", "cat_ID", "digest"));
        table.jsonColumnsBlock = "[{\"key\":\"URI\",\"serverRoot\":\"\"}]";
        for (Resource res : resources) {
            for (Resource.CatalogFile f : res.files.values()) {
                if (!f.path().startsWith(prefix)) {
                    continue;
                }
                if (!recursive && f.path().substring(prefix.length()).contains("/")) {
                    continue;
                }
                if (!formats.isEmpty() && !matchesAny(formats, f.format())) {
                    continue;
                }
                if (!contents.isEmpty() && !matchesAny(contents, f.content())) {
                    continue;
                }
                Map<String, String> row = table.addRow();
                row.put("Name", f.name());
                row.put("Size", Long.toString(f.size()));
                row.put("URI", fileUri(res, f));
                row.put("collection", res.label);
                row.put("file_tags", f.tags());
                row.put("file_format", f.format());
                row.put("file_content", f.content());
                row.put("cat_ID", Long.toString(res.id));
                row.put("digest", f.md5());
            }
        }
        if (!prefix.isEmpty() && table.rows.isEmpty()) {
            throw XnatError.notFound("Unable to find file.");
        }
        table.meta.put("title", "Files");
        String format = c.query.get("format");
        return table.render(format);
    }

    private static boolean matchesAny(List<String> wanted, String value) {
        for (String w : wanted) {
            if (w.equals("NULL") ? value.isEmpty() : w.equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static Reply download(Call c, Target.Files t, List<Resource> resources) {
        for (Resource res : resources) {
            Resource.CatalogFile f = res.files.get(t.path());
            if (f != null) {
                Path p = c.store.pathOf(res, f);
                return Reply.file(p, f.size(), contentType(f.name()))
                        .header("Content-Disposition", "attachment; filename=\"" + f.name() + "\";")
                        .header("Last-Modified", Router.httpDate(f.lastModified()))
                        .header("Cache-Control", "must-revalidate");
            }
        }
        if (c.query.flag("accept-not-found")) {
            return Reply.empty(204);
        }
        throw XnatError.notFound("Unable to find file.");
    }

    static String contentType(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        String ext = dot < 0 ? "" : n.substring(dot + 1);
        return switch (ext) {
            case "bmp" -> "image/bmp";
            case "gif" -> "image/gif";
            case "html", "htm" -> "text/html";
            case "jpg", "jpeg" -> "image/jpeg";
            case "pdf" -> "application/pdf";
            case "png" -> "image/png";
            case "svg" -> "image/svg+xml";
            case "tif", "tiff" -> "image/tiff";
            case "txt" -> "text/plain";
            case "xml" -> "text/xml";
            default -> "application/octet-stream";
        };
    }

    private static Reply archive(Call c, Target.Files t, List<Resource> resources, String format) {
        if (format.equals("tgz")) {
            format = "tar.gz";
        }
        String prefix = t.path();
        List<Archives.Entry> entries = new ArrayList<>();
        Set<String> tops = new LinkedHashSet<>();
        String structure = c.query.get("structure");
        for (Resource res : resources) {
            for (Resource.CatalogFile f : res.files.values()) {
                if (!prefix.isEmpty()
                        && !(f.path().equals(prefix)
                                || f.path().startsWith(prefix.endsWith("/") ? prefix : prefix + "/"))) {
                    continue;
                }
                entries.add(Archives.Entry.of(
                        entryName(res, f, structure), c.store.pathOf(res, f), f.size(), f.crc(), f.lastModified()));
                tops.add(topName(res.owner));
            }
        }
        if (entries.isEmpty()) {
            throw XnatError.notFound("No matching files to download.");
        }
        int compression = 0;
        String comp = c.query.get("compression");
        if (comp != null) {
            try {
                compression = Integer.parseInt(comp);
            } catch (NumberFormatException e) {
                throw XnatError.badRequest("Invalid compression: " + comp);
            }
        }
        Faults.ArchiveFaults hit = c.faults.archive(c.uri, entries.size());
        applyFaults(hit, entries);
        String name = tops.size() == 1 ? tops.iterator().next() : "various";
        String ext = format.equals("zip") ? ".zip" : format.equals("tar") ? ".tar" : ".tar.gz";
        String type = format.equals("zip")
                ? "application/zip"
                : format.equals("tar") ? "application/x-tar" : "application/x-gzip";
        Reply reply = Reply.stream(type, Archives.stream(format, compression, entries))
                .header("Content-Disposition", "attachment; filename=\"" + name + ext + "\";");
        reply.dropAfter = hit.dropAfter();
        return reply;
    }

    /** Injected archive faults: flip one entry's bytes, leave one out, add one that escapes the destination. */
    private static void applyFaults(Faults.ArchiveFaults hit, List<Archives.Entry> entries) {
        if (hit.corrupt() >= 0) {
            // the chosen entry, or the next one that has bytes to flip
            for (int k = 0; k < entries.size(); k++) {
                int i = (hit.corrupt() + k) % entries.size();
                if (entries.get(i).size() > 0) {
                    try {
                        entries.set(i, entries.get(i).flipped());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    break;
                }
            }
        }
        if (hit.omit() >= 0) {
            entries.remove(hit.omit());
        }
        if (hit.slip() >= 0) {
            entries.add(
                    Math.min(hit.slip(), entries.size()),
                    Archives.Entry.inline("../evil", "outside the destination\n".getBytes(StandardCharsets.UTF_8)));
        }
    }

    // ------------------------------------------------------------------ upload

    /** Stores uploaded files (raw body, multipart, or archives with {@code extract=true}) in one resource. */
    static Reply upload(Call c, Target.Files t) {
        List<Item> owners = t.owners().items();
        String direction = t.owners().direction();
        String filePath = t.path();
        if (owners.size() != 1) {
            throw XnatError.badRequest("Files can be uploaded to a single object only.");
        }
        Item owner = owners.get(0);
        String ct = c.contentType().toLowerCase(Locale.ROOT);
        boolean inbody = c.query.flag("inbody");
        List<Incoming> incoming = new ArrayList<>();
        List<Incoming> prestaged = new ArrayList<>();
        Path staging = null;
        try {
            if (ct.startsWith("multipart/form-data")) {
                if (inbody) {
                    throw new XnatError(406, "Multipart uploads cannot use inbody=true.");
                }
                if (c.body == null) {
                    throw XnatError.badRequest("Malformed multipart body.");
                }
                List<Multipart.Part> parts =
                        Multipart.parse(c.body.file(), Multipart.boundary(c.contentType()), c.store);
                List<Multipart.Part> fileParts = new ArrayList<>();
                for (Multipart.Part p : parts) {
                    if (p.file() == null) {
                        if ("reference".equals(p.name())) {
                            throw XnatError.badRequest("The reference parameter is not supported in a form.");
                        }
                        c.query
                                .asMap()
                                .computeIfAbsent(p.name(), k -> new ArrayList<>())
                                .add(p.value());
                    } else {
                        fileParts.add(p);
                    }
                }
                for (Multipart.Part p : fileParts) {
                    String name;
                    if (!filePath.isEmpty() && !filePath.endsWith("/") && fileParts.size() == 1) {
                        name = filePath;
                    } else {
                        String fn = p.filename();
                        int cut = Math.max(fn.lastIndexOf('\\'), fn.lastIndexOf('/'));
                        name = filePath + (cut >= 0 ? fn.substring(cut + 1) : fn);
                    }
                    incoming.add(new Incoming(name, p.file(), p.size(), p.md5(), p.crc()));
                }
                if (incoming.isEmpty()) {
                    throw XnatError.badRequest("You tried to PUT to a files URL but didn't provide any data.");
                }
            } else {
                boolean supported = ct.startsWith("text/") || ct.startsWith("application/");
                if (c.body == null && c.prepared == null) {
                    if (inbody || supported) {
                        throw new XnatError(
                                500,
                                "In-body File posts must include the file directly as the body of"
                                        + " the message (not as multipart form data).");
                    }
                    throw XnatError.badRequest("You tried to PUT to a files URL but didn't provide any data.");
                }
                if (!inbody && !supported) {
                    throw XnatError.badRequest("You tried to PUT to a files URL but didn't provide any data"
                            + " (unsupported Content-Type " + ct + "; use inbody=true).");
                }
                String name = inBodyName(filePath, ct);
                if (c.prepared instanceof StagedArchive s) {
                    // extracted as it arrived (IN_BODY_ARCHIVES)
                    Store.safeRelativePath(name);
                    prestaged.addAll(s.entries());
                } else {
                    // The spooled body is deleted after the request: store a copy by moving it first.
                    Path mine = c.store.newTempFile("raw");
                    Files.move(c.body.file(), mine);
                    incoming.add(new Incoming(name, mine, c.body.size(), c.body.md5(), c.body.crc()));
                }
            }
            for (Incoming in : incoming) {
                Store.safeRelativePath(in.name);
            }
            boolean overwrite = c.query.flag("overwrite");
            boolean extract = c.query.flag("extract");
            // Archives are unpacked and checked before anything (even the resource) is created, so a bad archive
            // stores nothing.
            List<Incoming> files = new ArrayList<>(prestaged);
            for (Incoming in : incoming) {
                if (extract && isCompressed(in.name)) {
                    if (staging == null) {
                        staging = c.store.newTempDir();
                    }
                    try (InputStream raw = Files.newInputStream(in.file)) {
                        files.addAll(stageArchive(in.name, raw, staging, "archive-" + files.size() + "-"));
                    }
                } else if (in.md5 == null) {
                    // a body spooled without its digest (sent with extract=true, but not an archive)
                    Checksums sums = Checksums.of(in.file);
                    files.add(new Incoming(in.name, in.file, in.size, sums.md5Hex(), sums.crc()));
                } else {
                    files.add(in);
                }
            }
            Resource res = t.resource() != null ? c.store.resource(owner, direction, t.resource()) : null;
            if (res == null) {
                if (t.resource() == null) {
                    List<Resource> existing = c.store.resources(owner, direction);
                    res = existing.isEmpty() ? c.store.createResource(owner, direction, "") : existing.get(0);
                } else {
                    res = c.store.createResource(owner, direction, t.resource());
                    ResourceHandlers.describe(c, res);
                }
            }
            String format = c.query.get("format", "");
            String content = c.query.get("content", "");
            String tags = String.join(",", c.query.all("tags"));
            List<String> duplicates = new ArrayList<>();
            for (Incoming in : files) {
                if (!c.store.putFile(
                        res, in.name, in.file, in.size, in.md5, in.crc, overwrite, format, content, tags)) {
                    duplicates.add(in.name);
                }
            }
            if (!duplicates.isEmpty()) {
                StringBuilder b = new StringBuilder("{\"duplicates\":[");
                for (int i = 0; i < duplicates.size(); i++) {
                    if (i > 0) {
                        b.append(',');
                    }
                    Json.string(b, duplicates.get(i));
                }
                return Reply.text(200, "text/html", b.append("]}").toString());
            }
            return Reply.empty(200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (Incoming in : incoming) {
                Router.deleteQuietly(in.file);
            }
            if (staging != null) {
                Store.deleteTree(staging);
            }
        }
    }

    record Incoming(String name, Path file, long size, String md5, long crc) {}

    /** The name an in-body upload is stored under: the URL's file path, or {@code upload} and an extension. */
    private static String inBodyName(String filePath, String contentType) {
        return filePath.isEmpty() || filePath.endsWith("/")
                ? filePath + "upload" + extensionFor(contentType)
                : filePath;
    }

    /**
     * An in-body archive sent with {@code extract=true} is extracted as it arrives, as XNAT does
     * ({@code CatalogUtils.storeCatalogEntry} unpacks the stream the request's entity gives, with no copy of the
     * archive on disk), into a staging folder outside the store's transaction; {@link #upload} then moves the entries
     * into the resource, so a bad archive still stores nothing. Every other body is spooled to a file first, a
     * multipart one included (XNAT's file items go through a temporary file too).
     */
    static final RouteTable.BodyReader IN_BODY_ARCHIVES = new RouteTable.BodyReader() {
        @Override
        public boolean streams(Call c) {
            String ct = c.contentType().toLowerCase(Locale.ROOT);
            boolean supported = ct.startsWith("text/") || ct.startsWith("application/");
            return c.query.flag("extract")
                    && !ct.startsWith("multipart/")
                    && (supported || c.query.flag("inbody"))
                    && isCompressed(inBodyName(Targets.filePath(c), ct));
        }

        @Override
        public Object read(Call c, Store store, InputStream body) throws IOException {
            String name = inBodyName(Targets.filePath(c), c.contentType().toLowerCase(Locale.ROOT));
            Path staging = store.newTempDir();
            try {
                return new StagedArchive(staging, stageArchive(name, body, staging, "archive-"));
            } catch (IOException | RuntimeException e) {
                Store.deleteTree(staging);
                throw e;
            }
        }
    };

    /** The entries of an archive extracted as it arrived, in {@code dir}; closing deletes what was not moved out. */
    record StagedArchive(Path dir, List<Incoming> entries) implements AutoCloseable {
        @Override
        public void close() {
            Store.deleteTree(dir);
        }
    }

    private static String extensionFor(String ct) {
        if (ct.contains("zip")) {
            return ".zip";
        }
        if (ct.contains("gzip")) {
            return ".gz";
        }
        if (ct.contains("xml")) {
            return ".xml";
        }
        if (ct.contains("dicom")) {
            return ".dcm";
        }
        if (ct.startsWith("text/")) {
            return ".txt";
        }
        return "";
    }

    static boolean isCompressed(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".zip")
                || n.endsWith(".tar")
                || n.endsWith(".tgz")
                || n.endsWith(".tar.gz")
                || n.endsWith(".gz");
    }

    /**
     * Unpacks an archive into {@code staging}, checking every entry path; the caller then stores the entries into
     * the resource root. A bad archive (an entry that climbs out with '..', a corrupt stream) fails with 400 before
     * anything is stored.
     */
    private static List<Incoming> stageArchive(String archiveName, InputStream archive, Path staging, String prefix)
            throws IOException {
        List<Incoming> staged = new ArrayList<>();
        try {
            String n = archiveName.toLowerCase(Locale.ROOT);
            if (n.endsWith(".zip")) {
                try (ZipInputStream zin = new ZipInputStream(new java.io.BufferedInputStream(archive, 1 << 16))) {
                    ZipEntry e;
                    while ((e = zin.getNextEntry()) != null) {
                        if (!e.isDirectory()) {
                            // ZipInputStream checks each entry against its CRC-32: that one is the stored file's
                            Incoming st = stage(staging, prefix + staged.size(), e.getName(), zin, false);
                            staged.add(new Incoming(st.name, st.file, st.size, st.md5, e.getCrc()));
                        }
                    }
                }
            } else if (n.endsWith(".tar") || n.endsWith(".tgz") || n.endsWith(".tar.gz")) {
                InputStream raw = archive;
                if (!n.endsWith(".tar")) {
                    raw = new GZIPInputStream(raw, 65536);
                }
                try (TarArchiveInputStream tin = new TarArchiveInputStream(raw)) {
                    TarArchiveEntry e;
                    while ((e = tin.getNextEntry()) != null) {
                        if (e.isFile()) {
                            staged.add(stage(staging, prefix + staged.size(), e.getName(), tin, true));
                        }
                    }
                }
            } else {
                String inner = archiveName.substring(0, archiveName.length() - 3);
                try (InputStream gin = new GZIPInputStream(archive, 65536)) {
                    staged.add(stage(staging, prefix + "0", inner, gin, true));
                }
            }
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new XnatError(400, "Unable to extract " + archiveName + ": " + e.getMessage());
        }
        return staged;
    }

    private static Incoming stage(Path staging, String stagedName, String entryName, InputStream in, boolean crc)
            throws IOException {
        String name = entryName;
        while (name.startsWith("./")) {
            name = name.substring(2);
        }
        try {
            Store.safeRelativePath(name);
        } catch (XnatError e) {
            throw XnatError.badRequest("Archive entry '" + entryName + "' would be written outside the resource.");
        }
        Path file = staging.resolve(stagedName);
        Checksums sums = new Checksums(crc);
        long size = 0;
        try (OutputStream out = sums.wrap(Files.newOutputStream(file))) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                size += n;
            }
        }
        return new Incoming(name, file, size, sums.md5Hex(), sums.crc());
    }

    // ------------------------------------------------------------------ delete

    /** Removes a file, or a folder of files, from a resource ({@code removeFiles=false} keeps the bytes). */
    static Reply delete(Call c, Target.Files t) {
        List<Item> owners = t.owners().items();
        if (t.resource() == null || owners.size() != 1) {
            throw XnatError.badRequest("Deleting files needs a single resource in the URL.");
        }
        Resource res = c.store.resource(owners.get(0), t.owners().direction(), t.resource());
        if (res == null) {
            throw XnatError.badRequest("Unable to find the specified resource.");
        }
        if (t.path().isEmpty()) {
            throw XnatError.badRequest("A file or folder path is required.");
        }
        boolean removeFiles = !"false".equalsIgnoreCase(c.query.get("removeFiles"));
        String path = t.path().endsWith("/") ? t.path().substring(0, t.path().length() - 1) : t.path();
        if (c.store.deleteFiles(res, path, removeFiles) == 0) {
            throw XnatError.notFound("No matched files");
        }
        return Reply.empty(200);
    }
}
