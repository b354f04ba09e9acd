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
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The archive: metadata in memory, file bytes on disk under the data directory. Metadata is read and changed only
 * inside a transaction: {@link #read} (shared with other readers) or {@link #write} (exclusive), both on one
 * read-write lock; a store method called outside one throws {@link IllegalStateException}, so no handler can
 * forget the lock. Items and resources reached through the store follow the same rule.
 *
 * <pre>{@code
 * List<Item> projects = store.read(tx -> tx.projects());
 * store.write(tx -> tx.createProject("P1", admin));
 * }</pre>
 */
public final class Store {
    private static final DateTimeFormatter INSERT_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9_\\-]+");
    private static final Pattern VALID_LABEL = Pattern.compile("[A-Za-z0-9_\\-.]+");

    private final String siteId;
    private final Path dataDir;
    private final Path filesDir;
    private final Path tmpDir;

    private final Directory directory;
    private final Map<String, Item> projects = new LinkedHashMap<>();
    private final Map<String, Item> subjectsById = new LinkedHashMap<>();
    private final Map<String, Item> experimentsById = new LinkedHashMap<>();
    private final Set<String> deletedProjects = new HashSet<>();
    private long subjectCounter;
    private long experimentCounter;
    private long scanPk = 1000;
    private long resourcePk = 1000;
    private final AtomicLong tmpCounter = new AtomicLong();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** The processing requests that arrived (pipelines, fix scan types, pull data from headers), in order. */
    private final List<io.github.xnatreactive.testkit.Trigger> triggers =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    private final Prearchive prearchive;

    /**
     * A user of the server: login, names, e-mail, numeric ID ({@code xdat_user_id}), enabled and verified flags and
     * site roles ({@code Administrator} makes a site administrator). The names and flags change through the user
     * API; the permission decisions are all in {@link Access}.
     */
    public static final class User {
        private final String login;
        private final String password;
        private final int id;
        public volatile String firstname;
        public volatile String lastname;
        public volatile String email;
        public volatile boolean enabled = true;
        public volatile boolean verified = true;
        private final Set<String> roles = java.util.concurrent.ConcurrentHashMap.newKeySet();

        public User(String login, String password, int id, boolean admin) {
            this.login = login;
            this.password = password;
            this.id = id;
            this.firstname = login;
            this.lastname = login;
            this.email = login + "@localhost";
            if (admin) {
                roles.add(Access.ADMIN_ROLE);
            }
        }

        public String login() {
            return login;
        }

        public String password() {
            return password;
        }

        public int id() {
            return id;
        }

        public boolean admin() {
            return roles.contains(Access.ADMIN_ROLE);
        }

        /** The site roles, a live set. */
        public Set<String> roles() {
            return roles;
        }

        @Override
        public String toString() {
            return "User[" + login + (admin() ? ", admin" : "") + "]";
        }
    }

    public Store(String siteId, Path dataDir) {
        this(siteId, dataDir, System::currentTimeMillis);
    }

    /** A store whose alias tokens expire by {@code clock} (milliseconds). */
    public Store(String siteId, Path dataDir, java.util.function.LongSupplier clock) {
        this.siteId = siteId;
        this.directory = new Directory(clock);
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.filesDir = this.dataDir.resolve("archive");
        this.tmpDir = this.dataDir.resolve("tmp");
        this.prearchive = new Prearchive(this.dataDir.resolve("prearchive"));
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

    // ------------------------------------------------------------------ transactions

    /** Runs {@code work} with shared access to the metadata: other readers run at the same time, writers wait. */
    public <T> T read(Function<Store, T> work) {
        lock.readLock().lock();
        try {
            return work.apply(this);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Runs {@code work} with exclusive access to the metadata; inside it, reads are allowed too. */
    public <T> T write(Function<Store, T> work) {
        lock.writeLock().lock();
        try {
            return work.apply(this);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void reading() {
        if (lock.getReadHoldCount() == 0 && !lock.isWriteLockedByCurrentThread()) {
            throw new IllegalStateException("store read outside a transaction: use store.read(tx -> ...)");
        }
    }

    private void writing() {
        if (!lock.isWriteLockedByCurrentThread()) {
            throw new IllegalStateException("store change outside a write transaction: use store.write(tx -> ...)");
        }
    }

    /** The prearchive (import service), inside a transaction like the rest of the store. */
    public Prearchive prearchive() {
        reading();
        return prearchive;
    }

    // ------------------------------------------------------------------ triggers

    /** Records a processing request that arrived (see {@link TriggerHandlers}). */
    public void recordTrigger(io.github.xnatreactive.testkit.Trigger t) {
        writing();
        triggers.add(t);
    }

    /** The processing requests that arrived, in order; readable outside a transaction. */
    public List<io.github.xnatreactive.testkit.Trigger> triggers() {
        return List.copyOf(triggers);
    }

    // ------------------------------------------------------------------ users

    /** Adds a user; the first one added is a site administrator. */
    public void addUser(String login, String password) {
        directory.add(login, password, null);
    }

    /** The user a login and password (or an alias token's alias and secret) name, when enabled; else null. */
    public User authenticate(String login, String password) {
        return directory.authenticate(login, password);
    }

    public List<User> users() {
        return directory.users();
    }

    /** The users and alias tokens of the site. */
    public Directory directory() {
        return directory;
    }

    // ------------------------------------------------------------------ access (all decisions are in Access)

    public boolean canRead(User u, Item project) {
        return Access.canRead(u, project);
    }

    /** The project record itself is visible to everyone on protected and public projects. */
    public boolean canSee(User u, Item project) {
        return Access.canSee(u, project);
    }

    /** Create and edit data in the project (owners and members). */
    public boolean canEdit(User u, Item project) {
        return Access.canEdit(u, project);
    }

    // ------------------------------------------------------------------ projects

    public List<Item> projects() {
        reading();
        return new ArrayList<>(projects.values());
    }

    /** A project by ID or alias, or null. */
    public Item project(String idOrAlias) {
        reading();
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

    public Item createProject(String id, User creator) {
        writing();
        if (Access.isGuest(creator)) {
            throw XnatError.forbidden("The guest user cannot create projects.");
        }
        if (!VALID_ID.matcher(id).matches()) {
            throw new XnatError(417, "Invalid character in project ID.");
        }
        if (deletedProjects.contains(id)) {
            throw XnatError.forbidden("Project '" + id + "' was deleted and its ID cannot be reused.");
        }
        Item p = new Item(Kind.PROJECT, id, id, "xnat:projectData", now(), creator.login());
        p.owner = creator.login();
        p.groups.put(creator.login(), Access.Group.OWNER);
        p.fields.put("name", id);
        p.fields.put("secondary_id", id);
        projects.put(id, p);
        return p;
    }

    public void deleteProject(Item p) {
        writing();
        for (Item s : new ArrayList<>(p.children)) {
            deleteItem(s, true);
        }
        for (Resource r : new ArrayList<>(p.resources)) {
            deleteResource(r, true);
        }
        for (Item shared : new ArrayList<>(p.sharedIn)) {
            shared.shares.remove(p);
        }
        p.sharedIn.clear();
        projects.remove(p.id);
        deletedProjects.add(p.id);
    }

    // ------------------------------------------------------------------ subjects and experiments

    public Item subjectById(String id) {
        reading();
        return subjectsById.get(id);
    }

    public Item experimentById(String id) {
        reading();
        return experimentsById.get(id);
    }

    public List<Item> allSubjects() {
        reading();
        return new ArrayList<>(subjectsById.values());
    }

    public List<Item> allExperiments() {
        reading();
        return new ArrayList<>(experimentsById.values());
    }

    /** Subject within a project: by label first, then by accession ID if it belongs to the project. */
    public Item subject(Item project, String labelOrId) {
        reading();
        for (Item s : project.children) {
            if (s.label.equals(labelOrId)) {
                return s;
            }
        }
        Item s = subjectsById.get(labelOrId);
        if (s != null && s.project == project) {
            return s;
        }
        return shared(project, Kind.SUBJECT, labelOrId, null);
    }

    /** An item of {@code kind} shared into {@code project}, by its label there or its accession ID; or null. */
    private static Item shared(Item project, Kind kind, String labelOrId, Item subject) {
        for (Item it : project.sharedIn) {
            if (it.kind == kind
                    && (labelOrId.equals(it.shares.get(project)) || it.id.equals(labelOrId))
                    && (subject == null || it.parent == subject)) {
                return it;
            }
        }
        return null;
    }

    /** Session within a project (optionally under a subject): label first, then accession ID. */
    public Item session(Item project, Item subject, String labelOrId) {
        reading();
        for (Item s : sessionsOf(project)) {
            if (s.label.equals(labelOrId) && (subject == null || s.parent == subject)) {
                return s;
            }
        }
        Item e = experimentsById.get(labelOrId);
        if (e != null && e.kind == Kind.SESSION && e.project == project && (subject == null || e.parent == subject)) {
            return e;
        }
        return shared(project, Kind.SESSION, labelOrId, subject);
    }

    /** The sessions the project owns: under its own subjects, and under subjects shared into it. */
    public List<Item> sessionsOf(Item project) {
        reading();
        List<Item> out = new ArrayList<>();
        for (Item s : project.children) {
            for (Item e : s.children) {
                if (e.project == project) {
                    out.add(e);
                }
            }
        }
        for (Item s : project.sharedIn) {
            if (s.kind == Kind.SUBJECT) {
                for (Item e : s.children) {
                    if (e.project == project) {
                        out.add(e);
                    }
                }
            }
        }
        return out;
    }

    /** A scan, assessor or reconstruction of a session: by ID, or (assessors) by label. */
    public Item child(Item session, Kind kind, String ref) {
        reading();
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

    /**
     * A scan, assessor or reconstruction of a session as a URL through {@code viaProject} names it. Through a
     * project an assessor is shared into (not its own), XNAT looks it up by its label there, then by accession ID
     * ({@code GetExptByProjectIdentifier}); its label in its own project does not name it there. Otherwise, and
     * without a project, as {@link #child(Item, Kind, String)}.
     */
    public Item child(Item session, Kind kind, String ref, Item viaProject) {
        reading();
        if (kind != Kind.ASSESSOR || viaProject == null) {
            return child(session, kind, ref);
        }
        for (Item c : session.children) {
            if (c.kind == kind && c.project != viaProject && ref.equals(c.shares.get(viaProject))) {
                return c;
            }
        }
        for (Item c : session.children) {
            if (c.kind == kind && (c.id.equals(ref) || c.project == viaProject && c.label.equals(ref))) {
                return c;
            }
        }
        return null;
    }

    public Item createSubject(Item project, String label, User creator) {
        writing();
        checkLabel(label);
        requireFreeLabel(project.children, label);
        String id = String.format(Locale.ROOT, "%s_S%05d", siteId, ++subjectCounter);
        Item s = new Item(Kind.SUBJECT, id, label, "xnat:subjectData", now(), creator.login());
        s.project = project;
        project.children.add(s);
        subjectsById.put(id, s);
        return s;
    }

    public Item createSession(Item subject, String label, String xsiType, User creator) {
        writing();
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

    public Item createAssessor(Item session, String label, String xsiType, User creator) {
        writing();
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
    public Item createSessionChild(Item session, Kind kind, String id, String xsiType, User creator) {
        writing();
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

    public void rename(Item item, String newLabel) {
        writing();
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
    public void deleteItem(Item item, boolean removeFiles) {
        writing();
        for (Item c : new ArrayList<>(item.children)) {
            deleteItem(c, removeFiles);
        }
        for (Resource r : new ArrayList<>(item.resources)) {
            deleteResource(r, removeFiles);
        }
        for (Item p : item.shares.keySet()) {
            p.sharedIn.remove(item);
        }
        item.shares.clear();
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
    public Resource resource(Item owner, String direction, String labelOrId) {
        reading();
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

    public List<Resource> resources(Item owner, String direction) {
        reading();
        List<Resource> out = new ArrayList<>();
        for (Resource r : owner.resources) {
            if (sameDirection(r, direction)) {
                out.add(r);
            }
        }
        return out;
    }

    public Resource createResource(Item owner, String direction, String label) {
        writing();
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

    public void deleteResource(Resource r, boolean removeFiles) {
        writing();
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
    public boolean putFile(
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
        writing();
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
    public int deleteFiles(Resource r, String relPath, boolean removeFiles) {
        writing();
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

    /** Adds or replaces a catalog entry whose file is already in the resource's directory. */
    public void putEntry(Resource r, Resource.CatalogFile f) {
        writing();
        r.files.put(f.path(), f);
    }

    /** Drops a catalog entry, leaving its file (if any) alone. */
    public void removeEntry(Resource r, String relPath) {
        writing();
        r.files.remove(relPath);
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
