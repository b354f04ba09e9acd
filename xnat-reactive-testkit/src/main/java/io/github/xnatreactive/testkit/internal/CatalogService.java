package io.github.xnatreactive.testkit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code POST /data/services/refresh/catalog?resource=<archive path>&options=...} (XNAT's RefreshCatalog service):
 * brings resource catalogs in line with the files on disk. {@code resource} repeats; it is an archive path such as
 * {@code /archive/experiments/E1/resources/R} (one resource) or {@code /archive/experiments/E1/scans/1} (every
 * resource of the object). {@code options} repeats or is comma-separated, among {@code append} (add files on disk
 * that the catalog lacks), {@code checksum} (recompute each entry's digest), {@code delete} (drop entries whose file
 * is gone) and {@code populateStats} (counts and sizes, always current here); as in XNAT, no option means all of
 * them, and {@code append=true}-style flags are accepted too.
 */
final class CatalogService {
    private static final List<String> OPERATIONS = List.of("append", "checksum", "delete", "populatestats");

    /** The archive paths a {@code resource} parameter may take, in their {@code /data} form. */
    private static final RouteTable PATHS = new RouteTable();

    static {
        for (String owner : Api.owners()) {
            PATHS.route("*", owner + "/resources/{resource}", c -> null);
            PATHS.route("*", owner, c -> null);
            PATHS.route("*", owner + "/resources/{resource}/files/{path...}", c -> {
                throw XnatError.badRequest("This operation cannot be performed directly on a file URL");
            });
        }
    }

    private CatalogService() {}

    static Reply refresh(Call c) {
        List<String> paths = c.query.all("resource");
        if (paths.isEmpty()) {
            throw XnatError.badRequest("You must specify at least one resource to refresh: resource=/archive/...");
        }
        Set<String> ops = operations(c);
        List<Resource> resources = new ArrayList<>();
        for (String p : paths) {
            resources.addAll(resolve(c, p));
        }
        for (Resource r : resources) {
            if (ops.contains("append")) {
                append(c.store, r);
            }
            if (ops.contains("delete")) {
                dropMissing(c.store, r);
            }
            if (ops.contains("checksum")) {
                checksum(c.store, r);
            }
        }
        return Reply.empty(200);
    }

    private static Set<String> operations(Call c) {
        Set<String> ops = new LinkedHashSet<>();
        for (String o : c.query.all("options")) {
            for (String one : o.split(",")) {
                String op = one.trim().toLowerCase(Locale.ROOT);
                if (op.isEmpty()) {
                    continue;
                }
                if (op.equals("all")) {
                    ops.addAll(OPERATIONS);
                } else if (!OPERATIONS.contains(op)) {
                    throw XnatError.badRequest("Unknown refresh option: " + one.trim()
                            + " (known: append, checksum, delete, populateStats)");
                } else {
                    ops.add(op);
                }
            }
        }
        for (String flag : List.of("append", "checksum", "delete", "populateStats")) {
            if (c.query.flag(flag)) {
                ops.add(flag.toLowerCase(Locale.ROOT));
            }
        }
        return ops.isEmpty() ? new LinkedHashSet<>(OPERATIONS) : ops;
    }

    /** The resources an archive path names, checking that the caller may edit them (403) and that they exist. */
    private static List<Resource> resolve(Call c, String archivePath) {
        String p = archivePath.startsWith("/") ? archivePath : "/" + archivePath;
        if (!(p.startsWith("/archive/") || p.startsWith("/data/") || p.startsWith("/REST/"))) {
            throw XnatError.badRequest("Invalid Resource URI:" + archivePath);
        }
        List<String> segs = new ArrayList<>();
        segs.add("data");
        for (String s :
                PathPattern.normalize(p.replaceFirst("^/archive/", "/data/")).split("/")) {
            if (!s.isEmpty() && !s.equals("data")) {
                segs.add(s);
            }
        }
        RouteTable.Match m;
        try {
            m = PATHS.match("POST", segs);
        } catch (XnatError notAnArchivePath) {
            throw XnatError.badRequest("Invalid Resource URI:" + archivePath);
        }
        Map<String, String> saved = c.vars;
        c.vars = m.vars();
        try {
            m.row().handler().handle(c);
            Target.Owners owners = Targets.owners(c);
            String ref = c.var("resource");
            List<Resource> out = new ArrayList<>();
            for (Item owner : owners.items()) {
                if (ref == null) {
                    out.addAll(c.store.resources(owner, owners.direction()));
                } else {
                    Resource r = c.store.resource(owner, owners.direction(), ref);
                    if (r != null) {
                        out.add(r);
                    }
                }
            }
            if (ref != null && out.isEmpty()) {
                throw XnatError.notFound("Unable to find the specified catalog: " + archivePath);
            }
            return out;
        } finally {
            c.vars = saved;
        }
    }

    /** Adds the files in the resource's directory that its catalog does not list. */
    private static void append(Store store, Resource r) {
        if (!Files.isDirectory(r.dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(r.dir)) {
            for (Path f : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                String rel = r.dir.relativize(f).toString().replace('\\', '/');
                if (!r.files.containsKey(rel)) {
                    store.putEntry(r, entry(rel, f, "", "", ""));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Drops the entries whose file is gone from disk. */
    private static void dropMissing(Store store, Resource r) {
        for (Resource.CatalogFile f : new ArrayList<>(r.files.values())) {
            if (!Files.isRegularFile(store.pathOf(r, f))) {
                store.removeEntry(r, f.path());
            }
        }
    }

    /** Recomputes the size, MD5 and CRC-32 of every entry from its file. */
    private static void checksum(Store store, Resource r) {
        for (Resource.CatalogFile f : new ArrayList<>(r.files.values())) {
            Path file = store.pathOf(r, f);
            if (Files.isRegularFile(file)) {
                store.putEntry(r, entry(f.path(), file, f.format(), f.content(), f.tags()));
            }
        }
    }

    private static Resource.CatalogFile entry(String rel, Path file, String format, String content, String tags) {
        try {
            Checksums sums = Checksums.of(file);
            long mtime = Files.getLastModifiedTime(file).toMillis();
            return new Resource.CatalogFile(rel, sums.size(), sums.md5Hex(), sums.crc(), format, content, tags, mtime);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
