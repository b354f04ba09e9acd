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

/** Resources and files (contract section 5): listings, uploads, downloads, deletes and archives. */
final class FileHandler {
    private static final Set<String> ARCHIVE_FORMATS = Set.of("zip", "tar", "tar.gz", "tgz");

    private final Store store;
    private final Faults faults;

    FileHandler(Store store, Faults faults) {
        this.store = store;
        this.faults = faults;
    }

    Reply handle(Call c, Route r, List<Item> owners) {
        if (r.resourcesCollection) {
            if (!c.isRead()) {
                throw new XnatError(405, "Method Not Allowed");
            }
            return resourceListing(c, owners, r.direction);
        }
        if (r.resourceRef != null && !r.files) {
            return resource(c, r, owners);
        }
        switch (c.method) {
            case "GET", "HEAD" -> {
                List<Resource> resources = resources(c, r, owners);
                String format = c.query.get("format");
                if (format != null && ARCHIVE_FORMATS.contains(format.toLowerCase(Locale.ROOT))) {
                    return archive(c, r, resources, format.toLowerCase(Locale.ROOT));
                }
                if (r.filePath.isEmpty() || r.filePath.endsWith("/")) {
                    return listing(c, r, resources);
                }
                return download(c, r, resources);
            }
            case "PUT", "POST" -> {
                return upload(c, r, owners);
            }
            case "DELETE" -> {
                return delete(c, r, owners);
            }
            default -> throw new XnatError(405, "Method Not Allowed");
        }
    }

    // ------------------------------------------------------------------ resources

    /** Resources named by the route (label, numeric ID or comma list) or all of the owners'. */
    private List<Resource> resources(Call c, Route r, List<Item> owners) {
        List<Resource> out = new ArrayList<>();
        for (Item owner : owners) {
            if (r.resourceRef == null) {
                out.addAll(store.resources(owner, r.direction));
                if (owner.kind == Kind.SESSION && c.query.flag("all")) {
                    for (Item child : owner.children) {
                        out.addAll(child.resources);
                    }
                }
            } else {
                for (String ref : r.resourceRef.split(",")) {
                    Resource res = store.resource(owner, r.direction, ref);
                    if (res != null && !out.contains(res)) {
                        out.add(res);
                    }
                }
            }
        }
        return out;
    }

    private Reply resourceListing(Call c, List<Item> owners, String direction) {
        Table t = new Table(List.of(
                "xnat_abstractresource_id",
                "label",
                "element_name",
                "category",
                "cat_id",
                "cat_desc",
                "file_count",
                "file_size",
                "tags",
                "content",
                "format"));
        for (Item owner : owners) {
            List<Resource> list = new ArrayList<>(store.resources(owner, direction));
            if (owner.kind == Kind.SESSION && c.query.flag("all")) {
                for (Item child : owner.children) {
                    list.addAll(child.resources);
                }
            }
            for (Resource res : list) {
                Map<String, String> row = t.addRow();
                row.put("xnat_abstractresource_id", Long.toString(res.id));
                row.put("label", res.label);
                row.put("element_name", "xnat:resourceCatalog");
                row.put("category", category(res.owner));
                boolean child = res.owner.kind == Kind.SCAN
                        || res.owner.kind == Kind.RECONSTRUCTION
                        || res.owner.kind == Kind.ASSESSOR;
                row.put("cat_id", child ? res.owner.id : "");
                row.put("cat_desc", res.owner.kind == Kind.SCAN ? res.owner.field("type") : "");
                row.put("file_count", Integer.toString(res.files.size()));
                row.put("file_size", Long.toString(res.totalSize()));
                row.put("tags", String.join(",", res.tags));
                row.put("content", res.content);
                row.put("format", res.format);
            }
        }
        t.meta.put("title", "Resources");
        t.meta.put("totalRecords", Integer.toString(t.rows.size()));
        return t.render(c.query.get("format"));
    }

    private static String category(Item owner) {
        return switch (owner.kind) {
            case SCAN -> "scans";
            case RECONSTRUCTION -> "reconstructions";
            case ASSESSOR -> "assessors";
            default -> "resources";
        };
    }

    private Reply resource(Call c, Route r, List<Item> owners) {
        if (owners.size() != 1) {
            throw XnatError.badRequest("A resource URL must name a single object.");
        }
        Item owner = owners.get(0);
        Resource res = store.resource(owner, r.direction, r.resourceRef);
        switch (c.method) {
            case "GET", "HEAD" -> {
                if (res == null) {
                    throw XnatError.notFound("Unable to find the specified catalog.");
                }
                return Reply.text(200, "text/xml", catalogXml(res));
            }
            case "PUT", "POST" -> {
                if (res != null) {
                    throw XnatError.conflict("Specified resource already exists.");
                }
                res = store.createResource(owner, r.direction, r.resourceRef);
                describe(c, res);
                return Reply.empty(200);
            }
            case "DELETE" -> {
                if (res != null) {
                    store.deleteResource(res, true);
                }
                return Reply.empty(200);
            }
            default -> throw new XnatError(405, "Method Not Allowed");
        }
    }

    private static void describe(Call c, Resource res) {
        res.format = c.query.get("format", res.format);
        res.content = c.query.get("content", res.content);
        res.description = c.query.get("description", res.description);
        for (String tag : c.query.all("tags")) {
            if (!tag.isEmpty() && !res.tags.contains(tag)) {
                res.tags.add(tag);
            }
        }
    }

    private static String catalogXml(Resource res) {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<cat:Catalog ID=\"")
                .append(res.id)
                .append("\" label=\"")
                .append(Pages.escape(res.label))
                .append(
                        "\" xmlns:cat=\"http://nrg.wustl.edu/catalog\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n")
                .append("  <cat:entries>\n");
        for (Resource.CatalogFile f : res.files.values()) {
            b.append("    <cat:entry URI=\"")
                    .append(Pages.escape(f.path()))
                    .append("\" ID=\"")
                    .append(Pages.escape(f.path()))
                    .append("\" name=\"")
                    .append(Pages.escape(f.name()))
                    .append("\" digest=\"")
                    .append(f.md5())
                    .append("\" format=\"")
                    .append(Pages.escape(f.format()))
                    .append("\" content=\"")
                    .append(Pages.escape(f.content()))
                    .append("\"/>\n");
        }
        return b.append("  </cat:entries>\n</cat:Catalog>\n").toString();
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

    private Reply listing(Call c, Route r, List<Resource> resources) {
        if (r.resourceRef != null && resources.isEmpty()) {
            throw XnatError.notFound("Unable to find the specified catalog.");
        }
        String prefix = r.filePath;
        boolean recursive = !"false".equalsIgnoreCase(c.query.get("recursive"));
        List<String> formats = c.query.all("file_format");
        List<String> contents = c.query.all("file_content");
        Table t = new Table(List.of(
                "Name", "Size", "URI", "collection", "file_tags", "file_format", "file_content", "cat_ID", "digest"));
        t.jsonColumnsBlock = "[{\"key\":\"URI\",\"serverRoot\":\"\"}]";
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
                Map<String, String> row = t.addRow();
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
        if (!prefix.isEmpty() && t.rows.isEmpty()) {
            throw XnatError.notFound("Unable to find file.");
        }
        t.meta.put("title", "Files");
        String format = c.query.get("format");
        return t.render(format);
    }

    private static boolean matchesAny(List<String> wanted, String value) {
        for (String w : wanted) {
            if (w.equals("NULL") ? value.isEmpty() : w.equals(value)) {
                return true;
            }
        }
        return false;
    }

    private Reply download(Call c, Route r, List<Resource> resources) {
        for (Resource res : resources) {
            Resource.CatalogFile f = res.files.get(r.filePath);
            if (f != null) {
                Path p = store.pathOf(res, f);
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

    private Reply archive(Call c, Route r, List<Resource> resources, String format) {
        if (format.equals("tgz")) {
            format = "tar.gz";
        }
        String prefix = r.filePath;
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
                        entryName(res, f, structure), store.pathOf(res, f), f.size(), f.crc(), f.lastModified()));
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
        Faults.ArchiveFaults hit = faults.archive(c.uri, entries.size());
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

    private Reply upload(Call c, Route r, List<Item> owners) {
        if (owners.size() != 1) {
            throw XnatError.badRequest("Files can be uploaded to a single object only.");
        }
        Item owner = owners.get(0);
        String ct = c.contentType().toLowerCase(Locale.ROOT);
        boolean inbody = c.query.flag("inbody");
        List<Incoming> incoming = new ArrayList<>();
        Path staging = null;
        try {
            if (ct.startsWith("multipart/form-data")) {
                if (inbody) {
                    throw new XnatError(406, "Multipart uploads cannot use inbody=true.");
                }
                if (c.body == null) {
                    throw XnatError.badRequest("Malformed multipart body.");
                }
                List<Multipart.Part> parts = Multipart.parse(c.body.file(), Multipart.boundary(c.contentType()), store);
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
                    if (!r.filePath.isEmpty() && !r.filePath.endsWith("/") && fileParts.size() == 1) {
                        name = r.filePath;
                    } else {
                        String fn = p.filename();
                        int cut = Math.max(fn.lastIndexOf('\\'), fn.lastIndexOf('/'));
                        name = r.filePath + (cut >= 0 ? fn.substring(cut + 1) : fn);
                    }
                    incoming.add(new Incoming(name, p.file(), p.size(), p.md5(), p.crc()));
                }
                if (incoming.isEmpty()) {
                    throw XnatError.badRequest("You tried to PUT to a files URL but didn't provide any data.");
                }
            } else {
                boolean supported = ct.startsWith("text/") || ct.startsWith("application/");
                if (c.body == null) {
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
                String name = r.filePath.isEmpty() || r.filePath.endsWith("/")
                        ? r.filePath + "upload" + extensionFor(ct)
                        : r.filePath;
                // The spooled body is deleted after the request: store a copy by moving it first.
                Path mine = store.newTempFile("raw");
                Files.move(c.body.file(), mine);
                incoming.add(new Incoming(name, mine, c.body.size(), c.body.md5(), c.body.crc()));
            }
            for (Incoming in : incoming) {
                Store.safeRelativePath(in.name);
            }
            boolean overwrite = c.query.flag("overwrite");
            boolean extract = c.query.flag("extract");
            // Archives are unpacked and checked before anything (even the resource) is created, so a bad archive
            // stores nothing.
            List<Incoming> files = new ArrayList<>();
            for (Incoming in : incoming) {
                if (extract && isCompressed(in.name)) {
                    if (staging == null) {
                        staging = store.newTempDir();
                    }
                    files.addAll(stageArchive(in, staging));
                } else {
                    files.add(in);
                }
            }
            Resource res = r.resourceRef != null ? store.resource(owner, r.direction, r.resourceRef) : null;
            if (res == null) {
                if (r.resourceRef == null) {
                    List<Resource> existing = store.resources(owner, r.direction);
                    res = existing.isEmpty() ? store.createResource(owner, r.direction, "") : existing.get(0);
                } else {
                    res = store.createResource(owner, r.direction, r.resourceRef);
                    describe(c, res);
                }
            }
            String format = c.query.get("format", "");
            String content = c.query.get("content", "");
            String tags = String.join(",", c.query.all("tags"));
            List<String> duplicates = new ArrayList<>();
            for (Incoming in : files) {
                if (!store.putFile(res, in.name, in.file, in.size, in.md5, in.crc, overwrite, format, content, tags)) {
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

    private record Incoming(String name, Path file, long size, String md5, long crc) {}

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
    private static List<Incoming> stageArchive(Incoming in, Path staging) throws IOException {
        List<Incoming> staged = new ArrayList<>();
        String prefix = "archive-" + System.identityHashCode(in) + "-";
        try {
            String n = in.name.toLowerCase(Locale.ROOT);
            if (n.endsWith(".zip")) {
                try (ZipInputStream zin = new ZipInputStream(Files.newInputStream(in.file))) {
                    ZipEntry e;
                    while ((e = zin.getNextEntry()) != null) {
                        if (!e.isDirectory()) {
                            staged.add(stage(staging, prefix + staged.size(), e.getName(), zin));
                        }
                    }
                }
            } else if (n.endsWith(".tar") || n.endsWith(".tgz") || n.endsWith(".tar.gz")) {
                InputStream raw = Files.newInputStream(in.file);
                if (!n.endsWith(".tar")) {
                    raw = new GZIPInputStream(raw, 65536);
                }
                try (TarArchiveInputStream tin = new TarArchiveInputStream(raw)) {
                    TarArchiveEntry e;
                    while ((e = tin.getNextEntry()) != null) {
                        if (e.isFile()) {
                            staged.add(stage(staging, prefix + staged.size(), e.getName(), tin));
                        }
                    }
                }
            } else {
                String inner = in.name.substring(0, in.name.length() - 3);
                try (InputStream gin = new GZIPInputStream(Files.newInputStream(in.file), 65536)) {
                    staged.add(stage(staging, prefix + "0", inner, gin));
                }
            }
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new XnatError(400, "Unable to extract " + in.name + ": " + e.getMessage());
        }
        return staged;
    }

    private static Incoming stage(Path staging, String stagedName, String entryName, InputStream in)
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
        Checksums sums = new Checksums();
        long size;
        try (OutputStream out = sums.wrap(Files.newOutputStream(file))) {
            size = in.transferTo(out);
        }
        return new Incoming(name, file, size, sums.md5Hex(), sums.crc());
    }

    // ------------------------------------------------------------------ delete

    private Reply delete(Call c, Route r, List<Item> owners) {
        if (r.resourceRef == null || owners.size() != 1) {
            throw XnatError.badRequest("Deleting files needs a single resource in the URL.");
        }
        Resource res = store.resource(owners.get(0), r.direction, r.resourceRef);
        if (res == null) {
            throw XnatError.badRequest("Unable to find the specified resource.");
        }
        if (r.filePath.isEmpty()) {
            throw XnatError.badRequest("A file or folder path is required.");
        }
        boolean removeFiles = !"false".equalsIgnoreCase(c.query.get("removeFiles"));
        String path = r.filePath.endsWith("/") ? r.filePath.substring(0, r.filePath.length() - 1) : r.filePath;
        if (store.deleteFiles(res, path, removeFiles) == 0) {
            throw XnatError.notFound("No matched files");
        }
        return Reply.empty(200);
    }
}
