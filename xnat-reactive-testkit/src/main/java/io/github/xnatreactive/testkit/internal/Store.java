package io.github.xnatreactive.testkit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The archive: metadata in memory, file bytes on disk under the data directory. Every method that reads or changes
 * metadata synchronises on this object, so the store is safe under concurrent requests; callers that walk items
 * themselves hold the monitor too ({@code synchronized (store) {...}}).
 */
public final class Store {
    private static final DateTimeFormatter INSERT_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9_\\-]+");
    private static final Pattern VALID_LABEL = Pattern.compile("[A-Za-z0-9_\\-.]+");

    private final String siteId;
    private final Path dataDir;
    private final Path filesDir;
    private final Path tmpDir;

    private final Map<String, User> users = new LinkedHashMap<>();
    private final Map<String, Item> projects = new LinkedHashMap<>();
    private final Map<String, Item> subjectsById = new LinkedHashMap<>();
    private final Map<String, Item> experimentsById = new LinkedHashMap<>();
    private final Set<String> deletedProjects = new HashSet<>();
    private long subjectCounter;
    private long experimentCounter;
    private long scanPk = 1000;
    private long resourcePk = 1000;
    private final AtomicLong tmpCounter = new AtomicLong();

    /** A user of the server. The first user given is a site administrator. */
    public record User(String login, String password, boolean admin) {
        @Override
        public String toString() {
            return "User[" + login + (admin ? ", admin" : "") + "]";
        }
    }

    public Store(String siteId, Path dataDir) {
        this.siteId = siteId;
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.filesDir = this.dataDir.resolve("archive");
        this.tmpDir = this.dataDir.resolve("tmp");
        try {
            Files.createDirectories(filesDir);
            Files.createDirectories(tmpDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the data directory " + this.dataDir, e);
        }
    }

    public Path dataDir() {
        return dataDir;
    }

    public String siteId() {
        return siteId;
    }

    // ------------------------------------------------------------------ users

    public synchronized void addUser(String login, String password) {
        users.put(login, new User(login, password, users.isEmpty()));
    }

    public synchronized User authenticate(String login, String password) {
        User u = users.get(login);
        return u != null && u.password().equals(password) ? u : null;
    }

    public synchronized List<User> users() {
        return new ArrayList<>(users.values());
    }

    // ------------------------------------------------------------------ access

    public boolean canRead(User u, Item project) {
        return u.admin() || u.login().equals(project.owner) || "public".equals(project.accessibility);
    }

    /** The project record itself is visible to everyone on protected and public projects. */
    public boolean canSee(User u, Item project) {
        return canRead(u, project) || "protected".equals(project.accessibility);
    }

    public boolean canEdit(User u, Item project) {
        return u.admin() || u.login().equals(project.owner);
    }

    // ------------------------------------------------------------------ projects

    public synchronized List<Item> projects() {
        return new ArrayList<>(projects.values());
    }

    /** A project by ID or alias, or null. */
    public synchronized Item project(String idOrAlias) {
        Item p = projects.get(idOrAlias);
        if (p != null) {
            return p;
        }
        for (Item q : projects.values()) {
            if (q.aliases.contains(idOrAlias)) {
                return q;
            }
        }
        return null;
    }

    public synchronized Item createProject(String id, User creator) {
        if (!VALID_ID.matcher(id).matches()) {
            throw new XnatError(417, "Invalid character in project ID.");
        }
        if (deletedProjects.contains(id)) {
            throw XnatError.forbidden("Project '" + id + "' was deleted and its ID cannot be reused.");
        }
        Item p = new Item(Kind.PROJECT, id, id, "xnat:projectData", now(), creator.login());
        p.owner = creator.login();
        p.fields.put("name", id);
        p.fields.put("secondary_id", id);
        projects.put(id, p);
        return p;
    }

    public synchronized void deleteProject(Item p) {
        for (Item s : new ArrayList<>(p.children)) {
            deleteItem(s, true);
        }
        for (Resource r : new ArrayList<>(p.resources)) {
            deleteResource(r, true);
        }
        projects.remove(p.id);
        deletedProjects.add(p.id);
    }

    // ------------------------------------------------------------------ subjects and experiments

    public synchronized Item subjectById(String id) {
        return subjectsById.get(id);
    }

    public synchronized Item experimentById(String id) {
        return experimentsById.get(id);
    }

    public synchronized List<Item> allSubjects() {
        return new ArrayList<>(subjectsById.values());
    }

    public synchronized List<Item> allExperiments() {
        return new ArrayList<>(experimentsById.values());
    }

    /** Subject within a project: by label first, then by accession ID if it belongs to the project. */
    public synchronized Item subject(Item project, String labelOrId) {
        for (Item s : project.children) {
            if (s.label.equals(labelOrId)) {
                return s;
            }
        }
        Item s = subjectsById.get(labelOrId);
        return s != null && s.project == project ? s : null;
    }

    /** Session within a project (optionally under a subject): label first, then accession ID. */
    public synchronized Item session(Item project, Item subject, String labelOrId) {
        for (Item s : sessionsOf(project)) {
            if (s.label.equals(labelOrId) && (subject == null || s.parent == subject)) {
                return s;
            }
        }
        Item e = experimentsById.get(labelOrId);
        if (e != null && e.kind == Kind.SESSION && e.project == project && (subject == null || e.parent == subject)) {
            return e;
        }
        return null;
    }

    public synchronized List<Item> sessionsOf(Item project) {
        List<Item> out = new ArrayList<>();
        for (Item s : project.children) {
            out.addAll(s.children);
        }
        return out;
    }

    /** A scan, assessor or reconstruction of a session: by ID, or (assessors) by label. */
    public synchronized Item child(Item session, Kind kind, String ref) {
        for (Item c : session.children) {
            if (c.kind == kind && c.id.equals(ref)) {
                return c;
            }
        }
        if (kind == Kind.ASSESSOR) {
            for (Item c : session.children) {
                if (c.kind == kind && c.label.equals(ref)) {
                    return c;
                }
            }
        }
        return null;
    }

    public synchronized Item createSubject(Item project, String label, User creator) {
        checkLabel(label);
        requireFreeLabel(project.children, label);
        String id = String.format(Locale.ROOT, "%s_S%05d", siteId, ++subjectCounter);
        Item s = new Item(Kind.SUBJECT, id, label, "xnat:subjectData", now(), creator.login());
        s.project = project;
        project.children.add(s);
        subjectsById.put(id, s);
        return s;
    }

    public synchronized Item createSession(Item subject, String label, String xsiType, User creator) {
        checkLabel(label);
        requireFreeLabel(sessionsOf(subject.project), label);
        String id = String.format(Locale.ROOT, "%s_E%05d", siteId, ++experimentCounter);
        Item e = new Item(Kind.SESSION, id, label, xsiType, now(), creator.login());
        e.project = subject.project;
        e.parent = subject;
        subject.children.add(e);
        experimentsById.put(id, e);
        return e;
    }

    public synchronized Item createAssessor(Item session, String label, String xsiType, User creator) {
        checkLabel(label);
        requireFreeLabel(session.children(Kind.ASSESSOR), label);
        String id = String.format(Locale.ROOT, "%s_E%05d", siteId, ++experimentCounter);
        Item a = new Item(Kind.ASSESSOR, id, label, xsiType, now(), creator.login());
        a.project = session.project;
        a.parent = session;
        session.children.add(a);
        experimentsById.put(id, a);
        return a;
    }

    /** Scans and reconstructions: the ID is given by the client and is the label too. */
    public synchronized Item createSessionChild(Item session, Kind kind, String id, String xsiType, User creator) {
        checkLabel(id);
        Item c = new Item(kind, id, id, xsiType, now(), creator.login());
        c.project = session.project;
        c.parent = session;
        c.pk = ++scanPk;
        session.children.add(c);
        return c;
    }

    private static void checkLabel(String label) {
        if (label == null || !VALID_LABEL.matcher(label).matches()) {
            throw new XnatError(417, "Invalid character in label or ID: '" + label + "'.");
        }
    }

    private static void requireFreeLabel(List<Item> siblings, String label) {
        for (Item s : siblings) {
            if (s.label.equals(label)) {
                throw XnatError.conflict("Specified label is already in use.");
            }
        }
    }

    public synchronized void rename(Item item, String newLabel) {
        if (item.label.equals(newLabel)) {
            return;
        }
        checkLabel(newLabel);
        List<Item> siblings =
                switch (item.kind) {
                    case SUBJECT -> item.project.children;
                    case SESSION -> sessionsOf(item.project);
                    default -> item.parent.children(item.kind);
                };
        requireFreeLabel(siblings, newLabel);
        item.label = newLabel;
    }

    /** Deletes a subject, session, assessor, scan or reconstruction with everything under it. */
    public synchronized void deleteItem(Item item, boolean removeFiles) {
        for (Item c : new ArrayList<>(item.children)) {
            deleteItem(c, removeFiles);
        }
        for (Resource r : new ArrayList<>(item.resources)) {
            deleteResource(r, removeFiles);
        }
        switch (item.kind) {
            case SUBJECT -> {
                item.project.children.remove(item);
                subjectsById.remove(item.id);
            }
            case SESSION, ASSESSOR -> {
                item.parent.children.remove(item);
                experimentsById.remove(item.id);
            }
            default -> item.parent.children.remove(item);
        }
    }

    // ------------------------------------------------------------------ resources

    /** Resource of an owner by label, or by numeric ID; {@code direction} null for plain resources. */
    public synchronized Resource resource(Item owner, String direction, String labelOrId) {
        for (Resource r : owner.resources) {
            if (sameDirection(r, direction) && labelOrIdMatches(r, labelOrId)) {
                return r;
            }
        }
        return null;
    }

    private static boolean labelOrIdMatches(Resource r, String ref) {
        if ("NULL".equals(ref)) {
            return r.label.isEmpty();
        }
        return r.label.equals(ref) || Long.toString(r.id).equals(ref);
    }

    private static boolean sameDirection(Resource r, String direction) {
        return direction == null ? r.direction == null : direction.equals(r.direction);
    }

    public synchronized List<Resource> resources(Item owner, String direction) {
        List<Resource> out = new ArrayList<>();
        for (Resource r : owner.resources) {
            if (sameDirection(r, direction)) {
                out.add(r);
            }
        }
        return out;
    }

    public synchronized Resource createResource(Item owner, String direction, String label) {
        long id = ++resourcePk;
        Path dir = filesDir.resolve(Long.toString(id));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Resource r = new Resource(id, label == null ? "" : label, owner, direction, dir);
        owner.resources.add(r);
        return r;
    }

    public synchronized void deleteResource(Resource r, boolean removeFiles) {
        r.owner.resources.remove(r);
        r.files.clear();
        if (removeFiles) {
            deleteTree(r.dir);
        }
    }

    // ------------------------------------------------------------------ files

    /**
     * Validates and normalises a file path inside a resource: no empty, {@code .} or {@code ..} segments, no
     * absolute path, no backslash. Throws 400 on anything that could climb out of the resource directory.
     */
    public static String safeRelativePath(String path) {
        if (path == null || path.isEmpty()) {
            throw XnatError.badRequest("A file path is required.");
        }
        if (path.startsWith("/") || path.contains("\\") || path.indexOf('\0') >= 0) {
            throw XnatError.badRequest("Invalid file path: " + path);
        }
        for (String seg : path.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
                throw XnatError.badRequest("Invalid file path: " + path);
            }
        }
        return path;
    }

    /** A fresh temporary file inside the data directory (same file system as the archive, so moves are atomic). */
    public Path newTempFile(String hint) {
        return tmpDir.resolve("upload-" + tmpCounter.incrementAndGet() + "-" + hint.replaceAll("[^A-Za-z0-9_.-]", "_"));
    }

    public Path newTempDir() {
        Path d = tmpDir.resolve("staging-" + tmpCounter.incrementAndGet());
        try {
            Files.createDirectories(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return d;
    }

    /**
     * Stores a file: moves {@code source} into the resource at {@code relPath}. Returns false (and deletes the
     * source) when the file exists and {@code overwrite} is false: the caller reports it as a duplicate.
     */
    public synchronized boolean putFile(
            Resource r,
            String relPath,
            Path source,
            long size,
            String md5,
            long crc,
            boolean overwrite,
            String format,
            String content,
            String tags) {
        safeRelativePath(relPath);
        Path target = r.dir.resolve(relPath).normalize();
        if (!target.startsWith(r.dir)) {
            throw XnatError.badRequest("Invalid file path: " + relPath);
        }
        try {
            if (!overwrite && (r.files.containsKey(relPath) || Files.exists(target))) {
                Files.deleteIfExists(source);
                return false;
            }
            Files.createDirectories(target.getParent());
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            long mtime = Files.getLastModifiedTime(target).toMillis();
            r.files.put(relPath, new Resource.CatalogFile(relPath, size, md5, crc, format, content, tags, mtime));
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes the entries at {@code relPath} or under it (a folder prefix). Returns how many were removed. */
    public synchronized int deleteFiles(Resource r, String relPath, boolean removeFiles) {
        String prefix = relPath.endsWith("/") ? relPath : relPath + "/";
        List<String> matched = new ArrayList<>();
        for (String p : r.files.keySet()) {
            if (p.equals(relPath) || p.startsWith(prefix)) {
                matched.add(p);
            }
        }
        for (String p : matched) {
            r.files.remove(p);
            if (removeFiles) {
                try {
                    Files.deleteIfExists(r.dir.resolve(p));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return matched.size();
    }

    public Path pathOf(Resource r, Resource.CatalogFile f) {
        return r.dir.resolve(f.path());
    }

    // ------------------------------------------------------------------ helpers

    public static String now() {
        return LocalDateTime.now().format(INSERT_DATE);
    }

    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException ignored) {
            // already gone
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
