package io.github.xnatreactive.bulk.internal;

import io.github.xnatreactive.bulk.Selection;
import io.github.xnatreactive.bulk.TransferItem;
import io.github.xnatreactive.core.ArchiveRef;
import io.github.xnatreactive.core.AssessorRef;
import io.github.xnatreactive.core.DerivedRef;
import io.github.xnatreactive.core.ExperimentRef;
import io.github.xnatreactive.core.FileEntry;
import io.github.xnatreactive.core.FileRef;
import io.github.xnatreactive.core.ProjectRef;
import io.github.xnatreactive.core.ReconstructionRef;
import io.github.xnatreactive.core.Resource;
import io.github.xnatreactive.core.ResourceRef;
import io.github.xnatreactive.core.ScanRef;
import io.github.xnatreactive.core.SubjectRef;
import io.github.xnatreactive.core.UploadOptions;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.core.XnatIntegrityException;
import io.github.xnatreactive.core.XnatNotFoundException;
import io.github.xnatreactive.core.XnatProtocolException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Turns sessions into plans: streams of groups (one per resource, one {@link Work} per file), mapped from the
 * nodes of one {@link Walker} over the session's tree. Planning only reads; creating what is missing at the target
 * (subject, session, scans, assessors, reconstructions, resources) or writing a session's metadata file is a
 * {@link Group#prepare()} step that only the execution runs.
 */
public final class Planners {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** data_fields that name or place the object rather than describe it. */
    private static final Set<String> NOT_COPIED =
            Set.of("ID", "id", "project", "label", "subject_ID", "imageSession_ID", "session_ID");

    /**
     * Sessions listed at once. Their groups still reach the engine in order, each as soon as it is planned; a
     * session ahead holds at most one planned group until the engine asks for it, so memory stays bounded.
     */
    static final int SESSIONS_AHEAD = 8;

    private Planners() {}

    /** A session as the planner needs it: a stable ref (by accession ID) and its names and type. */
    record SessionInfo(
            ExperimentRef ref,
            String id,
            String label,
            String project,
            String subject,
            String xsiType,
            Map<String, String> fields,
            JsonNode document) {}

    /**
     * Subject labels by accession ID, one listing per project for a whole planning run (instead of one request per
     * session).
     */
    static java.util.function.Function<String, Mono<Map<String, String>>> subjectLabels(XnatClient client) {
        Map<String, Mono<Map<String, String>>> cache = new java.util.concurrent.ConcurrentHashMap<>();
        return project -> cache.computeIfAbsent(project, p -> client.project(p)
                .subjects()
                .collectMap(s -> s.id(), s -> s.label())
                .cache());
    }

    static Mono<SessionInfo> describe(
            XnatClient client,
            ExperimentRef session,
            java.util.function.Function<String, Mono<Map<String, String>>> labels) {
        return session.json().flatMap(text -> {
            JsonNode item = JSON.readTree(text).path("items").path(0);
            JsonNode data = item.path("data_fields");
            String id = data.path("ID").asString("");
            if (id.isEmpty()) {
                return Mono.error(new XnatProtocolException("No ID in the document of " + session.path()));
            }
            String project = data.path("project").asString("");
            String subjectId = data.path("subject_ID").asString("");
            Map<String, String> fields = new LinkedHashMap<>();
            for (var e : data.properties()) {
                if (!NOT_COPIED.contains(e.getKey()) && e.getValue().isValueNode()) {
                    fields.put(e.getKey(), e.getValue().asString());
                }
            }
            String type = item.path("meta").path("xsi:type").asString("");
            String label = data.path("label").asString(id);
            Mono<String> subjectLabel = subjectId.isEmpty()
                    ? Mono.just("_")
                    : labels.apply(project).map(m -> m.getOrDefault(subjectId, subjectId));
            return subjectLabel.map(
                    sl -> new SessionInfo(client.experiment(id), id, label, project, sl, type, fields, item));
        });
    }

    // ------------------------------------------------------------------ the tree, as the walker sees it

    /**
     * A session described, with the tree its walk reads: from its document and one listing of all its files when
     * the two agree (two requests for the whole session), else from the listings of each part.
     */
    record Described(SessionInfo info, Walker.Tree tree) {
        /** The files of a resource node, from the session's listing when there is one. */
        Flux<FileEntry> files(Walker.Node node, ResourceRef ref) {
            return tree instanceof DocumentTree d
                    ? d.files(node.owner(), node.direction(), node.resource(), ref)
                    : ref.files();
        }
    }

    static Mono<Described> describeWithTree(
            XnatClient client,
            ExperimentRef session,
            java.util.function.Function<String, Mono<Map<String, String>>> labels) {
        // both requests at once; a server that cannot list a whole session is walked listing by listing
        Mono<java.util.Optional<List<FileEntry>>> all = session.files()
                .collectList()
                .map(java.util.Optional::of)
                .onErrorResume(
                        io.github.xnatreactive.core.XnatException.class, e -> Mono.just(java.util.Optional.empty()));
        return Mono.zip(describe(client, session, labels), all).map(t -> {
            SessionInfo info = t.getT1();
            DocumentTree doc = t.getT2()
                    .map(files -> DocumentTree.of(info.document(), files))
                    .orElse(null);
            return new Described(info, doc != null ? doc : new RemoteTree(info.ref()));
        });
    }

    /** A session's tree from the server's listings. */
    record RemoteTree(ExperimentRef e) implements Walker.Tree {
        @Override
        public Flux<Walker.Owner> children(Walker.Kind kind) {
            return switch (kind) {
                case SCAN ->
                    e.scans().map(s -> {
                        Map<String, String> fields = new LinkedHashMap<>();
                        putIfPresent(fields, "quality", s.quality());
                        putIfPresent(fields, "series_description", s.seriesDescription());
                        putIfPresent(fields, "note", s.note());
                        return new Walker.Owner(
                                kind,
                                s.id(),
                                null,
                                s.xsiType(),
                                s.type(),
                                fields,
                                SessionMetadata.scanDir(s.id(), s.type()));
                    });
                case ASSESSOR ->
                    e.assessors()
                            .map(a -> new Walker.Owner(
                                    kind,
                                    a.id(),
                                    a.label(),
                                    a.xsiType(),
                                    null,
                                    Map.of(),
                                    SessionMetadata.safe(a.label())));
                case RECONSTRUCTION ->
                    e.reconstructions()
                            .map(r -> new Walker.Owner(
                                    kind,
                                    r.id(),
                                    null,
                                    "xnat:reconstructedImageData",
                                    r.type(),
                                    Map.of(),
                                    SessionMetadata.safe(r.id())));
                case SESSION -> Flux.empty();
            };
        }

        @Override
        public Flux<Walker.Res> resources(Walker.Owner owner, String direction) {
            ArchiveRef ref = sourceRef(e, owner);
            Flux<Resource> listed;
            if (ref instanceof DerivedRef d) {
                listed =
                        direction == null ? d.resources() : direction.equals("in") ? d.inResources() : d.outResources();
            } else if (ref instanceof ScanRef sr) {
                listed = sr.resources();
            } else {
                listed = e.resources();
            }
            return listed.map(r -> new Walker.Res(r.label(), r.format(), r.content()));
        }
    }

    static Walker.Owner sessionOwner(String id, String xsiType, Map<String, String> fields) {
        return new Walker.Owner(Walker.Kind.SESSION, id, null, xsiType, null, fields, "");
    }

    /** The owner on a source server (assessors by ID). */
    static ArchiveRef sourceRef(ExperimentRef e, Walker.Owner o) {
        return switch (o.kind()) {
            case SESSION -> e;
            case SCAN -> e.scan(o.id());
            case ASSESSOR -> e.assessor(o.id());
            case RECONSTRUCTION -> e.reconstruction(o.id());
        };
    }

    /** The owner at a destination (assessors by label, which is what stays the same across servers). */
    static ArchiveRef destRef(ExperimentRef e, Walker.Owner o) {
        return switch (o.kind()) {
            case SESSION -> e;
            case SCAN -> e.scan(o.id());
            case ASSESSOR -> e.assessor(o.label() != null ? o.label() : o.id());
            case RECONSTRUCTION -> e.reconstruction(o.id());
        };
    }

    /** The folder of an owner in a session folder ({@code scans/1-T1w}, {@code assessors/QC/out}, ...). */
    static Path localDir(Path sessionDir, Walker.Owner o, String direction) {
        Path d =
                switch (o.kind()) {
                    case SESSION -> sessionDir;
                    case SCAN -> sessionDir.resolve("scans").resolve(o.dir());
                    case ASSESSOR -> sessionDir.resolve("assessors").resolve(o.dir());
                    case RECONSTRUCTION -> sessionDir.resolve("reconstructions").resolve(o.dir());
                };
        return direction == null ? d : d.resolve(direction);
    }

    /**
     * Creates an owner at the destination when it is missing (after its session, through {@code session}), once:
     * the returned Mono is cached. Not a part of planning: the engine runs it before the owner's files move.
     * {@code sessionNew}: the session is one this job creates (it was missing when planned), so its owners are known
     * missing and are not looked up first.
     */
    static Mono<Void> ensureOwner(
            ExperimentRef de, Walker.Owner o, Mono<Void> session, SessionMetadata.Documents docs, boolean sessionNew) {
        ArchiveRef ref = destRef(de, o);
        String project = de.subject().project().id();
        Mono<Void> create =
                switch (o.kind()) {
                    case SESSION -> null;
                    case SCAN -> {
                        Map<String, String> fields = new LinkedHashMap<>();
                        putIfPresent(fields, "type", o.type());
                        fields.putAll(o.fields());
                        ScanRef s = (ScanRef) ref;
                        yield docs.createPart(
                                s,
                                o.kind(),
                                o.id(),
                                project,
                                s.create(o.xsiType(), fields).then());
                    }
                    case ASSESSOR -> {
                        AssessorRef a = (AssessorRef) ref;
                        yield docs.createPart(
                                a,
                                o.kind(),
                                a.id(),
                                project,
                                a.create(o.xsiType(), Map.of()).then());
                    }
                    case RECONSTRUCTION -> {
                        Map<String, String> fields = new LinkedHashMap<>();
                        putIfPresent(fields, "type", o.type());
                        ReconstructionRef r = (ReconstructionRef) ref;
                        yield docs.createPart(
                                r,
                                o.kind(),
                                o.id(),
                                project,
                                r.create(o.xsiType(), fields).then());
                    }
                };
        Mono<Void> own = create == null ? Mono.empty() : createMissing(sessionNew, ref, create);
        return session.then(own).cache();
    }

    /**
     * {@code create}, unless {@code ref} exists: looked up first, except when {@code knownMissing} (its parent is one
     * the job creates).
     */
    static Mono<Void> createMissing(boolean knownMissing, ArchiveRef ref, Mono<Void> create) {
        return knownMissing ? create : ref.exists().flatMap(x -> x ? Mono.<Void>empty() : create);
    }

    // ------------------------------------------------------------------ download

    /** The download of sessions as a stream of groups (one per resource), each planned as its listing arrives. */
    public static Flux<Group> download(XnatClient client, Flux<ExperimentRef> sessions, Path dest, Selection sel) {
        Path root = dest.toAbsolutePath().normalize();
        var labels = subjectLabels(client);
        return sessions.flatMapSequential(
                s -> describeWithTree(client, s, labels).flatMapMany(d -> downloadSession(d, root, sel)),
                SESSIONS_AHEAD,
                1);
    }

    private static Flux<Group> downloadSession(Described described, Path root, Selection sel) {
        SessionInfo info = described.info();
        Path dir = root.resolve(SessionMetadata.safe(info.project))
                .resolve(SessionMetadata.safe(info.subject))
                .resolve(SessionMetadata.safe(info.label));
        SessionMetadata meta = new SessionMetadata();
        meta.project = info.project;
        meta.subject = info.subject;
        meta.label = info.label;
        meta.id = info.id;
        meta.xsiType = info.xsiType;
        meta.fields.putAll(info.fields);
        ExperimentRef e = info.ref;
        Flux<Group> groups = Walker.walk(described.tree(), sessionOwner(info.id, info.xsiType, info.fields), sel)
                .flatMapSequential(
                        node -> {
                            if (node.resource() == null) {
                                record(meta, node.owner());
                                return Mono.<Group>empty();
                            }
                            ResourceRef rr = resourceRef(
                                    sourceRef(e, node.owner()),
                                    node.direction(),
                                    node.resource().label());
                            Path folder = localDir(dir, node.owner(), node.direction())
                                    .resolve("resources")
                                    .resolve(
                                            SessionMetadata.safe(node.resource().label()))
                                    .resolve("files");
                            return described.files(node, rr).collectList().map(listed -> {
                                List<Work> works = works(
                                        listed,
                                        rr.path(),
                                        folder.toString(),
                                        f -> new DownloadWork(rr.file(f.path()), f, target(folder, f)));
                                return new Group(
                                        rr.path(),
                                        works,
                                        LocalFiles.removeStaleTemporaries(works),
                                        null,
                                        Archives.download(rr, folder));
                            });
                        },
                        4,
                        1);
        // the metadata file, once the walk has seen every child: an explicit step of the execution
        SubjectRef subject = info.subject.equals("_")
                ? null
                : e.client().project(info.project).subject(info.subject);
        return groups.concatWith(Mono.fromSupplier(() ->
                Group.step(dir.resolve(SessionMetadata.FILE).toString(), meta.writeWithDocuments(dir, e, subject))));
    }

    /** Adds a scan, assessor or reconstruction to the session's metadata. */
    private static void record(SessionMetadata meta, Walker.Owner o) {
        SessionMetadata.Child c =
                switch (o.kind()) {
                    case SESSION -> null;
                    case SCAN -> new SessionMetadata.Child(o.id(), null, o.xsiType(), o.type(), o.dir());
                    case ASSESSOR -> new SessionMetadata.Child(o.id(), o.label(), o.xsiType(), null, o.dir());
                    case RECONSTRUCTION -> new SessionMetadata.Child(o.id(), null, o.xsiType(), o.type(), o.dir());
                };
        if (c == null) {
            return;
        }
        c.fields.putAll(o.fields());
        synchronized (meta) {
            switch (o.kind()) {
                case SCAN -> meta.scans.add(c);
                case ASSESSOR -> meta.assessors.add(c);
                default -> meta.reconstructions.add(c);
            }
        }
    }

    private static void putIfPresent(Map<String, String> m, String k, String v) {
        if (v != null && !v.isEmpty()) {
            m.put(k, v);
        }
    }

    static ResourceRef resourceRef(ArchiveRef owner, String direction, String label) {
        if (owner instanceof DerivedRef d) {
            return direction == null
                    ? d.resource(label)
                    : direction.equals("in") ? d.inResource(label) : d.outResource(label);
        }
        if (owner instanceof ScanRef s) {
            return s.resource(label);
        }
        if (owner instanceof ExperimentRef e) {
            return e.resource(label);
        }
        if (owner instanceof SubjectRef s) {
            return s.resource(label);
        }
        return ((ProjectRef) owner).resource(label);
    }

    /**
     * The works of one resource's listing. A file listed twice moves once (a second row with another size or digest
     * is refused); a row whose path could leave the resource ({@code ..}, {@code .}, an absolute path) is refused.
     * A refused row is a work that fails with its reason, naming the resource, when the job runs: the other files
     * still move, and nothing is lost without being named.
     */
    static List<Work> works(
            List<FileEntry> listed, String resource, String target, java.util.function.Function<FileEntry, Work> make) {
        Map<String, FileEntry> seen = new java.util.HashMap<>();
        List<Work> out = new ArrayList<>(listed.size());
        for (FileEntry f : listed) {
            FileEntry before = seen.putIfAbsent(f.path(), f);
            if (before != null) {
                if (before.size() != f.size() || !before.digest().equalsIgnoreCase(f.digest())) {
                    out.add(new RefusedWork(
                            refusedItem(f, resource, target),
                            new XnatProtocolException("The listing of " + resource + " names " + f.path()
                                    + " twice, with different sizes or digests: refusing the second row")));
                }
                continue; // the same file listed twice moves once
            }
            String unsafe = unsafePath(f.path());
            if (unsafe != null) {
                out.add(new RefusedWork(
                        refusedItem(f, resource, target),
                        new XnatProtocolException(
                                "Refusing the row " + f.path() + " of the listing of " + resource + ": " + unsafe)));
                continue;
            }
            out.add(make.apply(f));
        }
        return out;
    }

    private static TransferItem refusedItem(FileEntry f, String resource, String target) {
        return new TransferItem(resource + "/files/" + f.path(), target + "/" + f.path(), f.size(), f.digest());
    }

    /** Why a listed path cannot be used (absolute, or with an empty, {@code .} or {@code ..} segment), or null. */
    static String unsafePath(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.indexOf('\\') >= 0) {
            return "not a relative path with / between folders";
        }
        String seg = io.github.xnatreactive.core.internal.Uris.badSegment(path);
        return seg == null ? null : "the path segment '" + seg + "' would leave or confuse the resource's folder";
    }

    /** A listed file that is not moved: the job reports it as failed with {@code error}, never retried. */
    record RefusedWork(TransferItem item, Throwable error) implements Work {
        @Override
        public boolean upToDate() {
            return false;
        }

        @Override
        public Mono<Void> transfer(LongConsumer bytes) {
            return Mono.error(error);
        }

        @Override
        public boolean reportsProgress() {
            return false;
        }
    }

    /** The local path of a listed file; a path that would leave {@code folder} is refused. */
    static Path target(Path folder, FileEntry f) {
        Path t = folder.resolve(f.path()).normalize();
        if (f.path().startsWith("/") || !t.startsWith(folder)) {
            throw new XnatProtocolException(
                    "Refusing server file path that would leave the download folder: " + f.path());
        }
        return t;
    }

    /** Download of one listed file to a local path, verified by size and MD5. */
    record DownloadWork(FileRef file, FileEntry entry, Path target) implements Work {
        @Override
        public TransferItem item() {
            return new TransferItem(file.path(), target.toString(), entry.size(), entry.digest());
        }

        @Override
        public boolean upToDate() throws IOException {
            return LocalFiles.matchesNow(target, entry.size(), entry.digest());
        }

        /** Whether a file lies at the target that may be this one (its size is the listed one): to hash. */
        boolean candidate() throws IOException {
            return LocalFiles.candidateNow(target, entry.size(), entry.digest());
        }

        /** Whether the target's figures ({@link LocalFiles#statAll}) are the listed file's. */
        boolean matches(LocalFiles.Stat st) {
            return st != null && st.size() == entry.size() && st.md5().equalsIgnoreCase(entry.digest());
        }

        @Override
        public Mono<Void> transfer(LongConsumer bytes) {
            return file.download(target, entry.size(), entry.digest(), bytes).then();
        }
    }

    // ------------------------------------------------------------------ upload

    /** Where an upload goes and what to call things that the folder's metadata does not say. */
    public record UploadTarget(ProjectRef project, String subject, String session, String xsiType) {}

    /**
     * The upload of a session folder as a stream of groups. Creating the subject, session, scans, assessors and
     * reconstructions that are missing is a step of each group that the execution runs (a dry run creates nothing).
     */
    public static Flux<Group> upload(Path sessionDir, UploadTarget t, Selection sel) {
        return upload(sessionDir, t, sel, Destination.lookingUp());
    }

    /**
     * The upload of every session folder under {@code root} (the folders holding {@code xnat-session.json}, at most
     * {@link #SESSION_DEPTH} levels down, as a download writes them) as one stream of groups: several sessions are
     * planned at once, as a download does, and each subject is created once for all its sessions.
     */
    public static Flux<Group> uploadAll(Path root, ProjectRef project, Selection sel) {
        Destination dest = Destination.of(project);
        UploadTarget t = new UploadTarget(project, null, null, null);
        return sessionFolders(root).flatMapSequential(dir -> upload(dir, t, sel, dest), SESSIONS_AHEAD, 1);
    }

    /** How deep below an upload's root a session's metadata file may be ({@code {project}/{subject}/{session}/}). */
    static final int SESSION_DEPTH = 4;

    static Flux<Path> sessionFolders(Path root) {
        return Mono.fromCallable(() -> {
                    if (!Files.isDirectory(root)) {
                        throw new java.io.FileNotFoundException("No such folder: " + root);
                    }
                    try (Stream<Path> s = Files.find(
                            root,
                            SESSION_DEPTH,
                            (p, a) -> a.isRegularFile()
                                    && p.getFileName().toString().equals(SessionMetadata.FILE))) {
                        List<Path> found = s.map(Path::getParent).sorted().toList();
                        if (found.isEmpty()) {
                            // an upload of nothing would look like success: say what was expected instead
                            throw new IllegalArgumentException("No session folders (folders with "
                                    + SessionMetadata.FILE + ") under " + root
                                    + "; upload a folder without one as a single session, naming its subject and"
                                    + " session");
                        }
                        return found;
                    }
                })
                .subscribeOn(Schedulers.boundedElastic())
                .flatMapIterable(l -> l);
    }

    /**
     * What an upload or a mirror knows of its destination project: the subjects it creates (each once for the job,
     * however many of its sessions move at once), and whether the project was empty when the job began. A project
     * whose listings of subjects and of experiments are both empty (shared objects are listed too) holds nothing the
     * job could meet, so no subject or session is looked up before it is created: two requests for the job instead of
     * two per session. Otherwise each is looked up at its own path.
     */
    private record Destination(Map<String, Subject> subjects, Mono<Boolean> empty) {
        /** A destination whose objects are each looked up (a single session's upload: no listing for one). */
        static Destination lookingUp() {
            return new Destination(new java.util.concurrent.ConcurrentHashMap<>(), Mono.just(false));
        }

        /**
         * A destination whose emptiness is read once, when planning first needs it (a project that cannot be listed
         * is not known empty: its objects are looked up, and fail as they would). The experiments are listed only
         * when there is no subject, after the subjects' listing: read side by side, a failure of one (a project that
         * does not exist answers 404) cancelled the other in mid-response, and each such cancellation closes a
         * connection.
         */
        static Destination of(ProjectRef project) {
            Mono<Boolean> empty = project.subjects()
                    .hasElements()
                    .flatMap(subjects -> subjects
                            ? Mono.just(false)
                            : project.experiments().hasElements().map(experiments -> !experiments))
                    .onErrorReturn(XnatNotFoundException.class, false)
                    .cache();
            return new Destination(new java.util.concurrent.ConcurrentHashMap<>(), empty);
        }

        /** Whether the object exists at its path (false without a request when the project was empty). */
        Mono<Boolean> exists(ArchiveRef ref) {
            return empty.flatMap(e -> e ? Mono.just(false) : ref.exists());
        }

        Subject subject(SubjectRef sr, SessionMetadata.Documents docs, String project) {
            return subjects.computeIfAbsent(
                    sr.id(),
                    k -> new Subject(exists(sr)
                            .flatMap(x -> x
                                    ? Mono.<Void>empty()
                                    : docs.createSubject(
                                            sr, project, sr.create().then()))
                            .cache()));
        }
    }

    /**
     * A subject of an upload or a mirror, shared by the job's sessions: its creation when it is missing, looked up and
     * run once (by the execution, not the planning), from the first session's documents.
     */
    private record Subject(Mono<Void> ensured) {
        /**
         * The step that makes a session ready at the destination: the subject, then the session when it is new
         * (missing when planned), from its document, else with its type and fields; run once (cached).
         */
        Mono<Void> withSession(
                boolean sessionNew,
                ExperimentRef er,
                SessionMetadata.Documents docs,
                String project,
                String type,
                Map<String, String> fields) {
            Mono<Void> create = sessionNew
                    ? docs.createSession(
                            er, project, er.create(type, xpaths(type, fields)).then())
                    : Mono.empty();
            return ensured.then(create).cache();
        }
    }

    private static Flux<Group> upload(Path sessionDir, UploadTarget t, Selection sel, Destination dest) {
        return Mono.fromCallable(() -> {
                    SessionMetadata m = SessionMetadata.read(sessionDir);
                    return m == null ? new SessionMetadata() : m;
                })
                .subscribeOn(Schedulers.boundedElastic())
                .flatMapMany(meta -> {
                    String subject = first(t.subject(), meta.subject);
                    String label = first(
                            t.session(), meta.label, sessionDir.getFileName().toString());
                    String type = first(t.xsiType(), meta.xsiType, "xnat:mrSessionData");
                    if (subject == null) {
                        return Flux.error(new IllegalArgumentException(
                                "No subject given and " + sessionDir + " has no " + SessionMetadata.FILE));
                    }
                    SubjectRef sr = t.project().subject(subject);
                    ExperimentRef er = sr.experiment(label);
                    // each object from its document when the folder has them, else from names, type and fields
                    SessionMetadata.Documents docs = SessionMetadata.Documents.local(meta);
                    String project = t.project().id();
                    Subject s = dest.subject(sr, docs, project);
                    // whether the session exists is read while planning (at its own path, even under a subject the
                    // job creates: a label may be taken in the project under another subject). A session missing
                    // then is one the job creates, and so are its scans, assessors, reconstructions and resources:
                    // none is looked up again and no listing of its resources is read (a rerun finds the session,
                    // and checks each part)
                    return dest.exists(er).flatMapMany(existed -> {
                        boolean sessionNew = !existed;
                        Mono<Void> session = s.withSession(sessionNew, er, docs, project, type, meta.fields);
                        Walker.Owner top = sessionOwner(label, type, meta.fields);
                        return Walker.walk(new LocalTree(sessionDir, meta, type), top, sel)
                                .concatMap(new Prepared(er, session, docs, sessionNew, (node, ready) -> {
                                    ResourceRef ref = resourceRef(
                                            destRef(er, node.owner()),
                                            node.direction(),
                                            node.resource().label());
                                    return files(
                                                    localDir(sessionDir, node.owner(), node.direction())
                                                            .resolve("resources")
                                                            .resolve(node.resource()
                                                                    .label())
                                                            .resolve("files"),
                                                    ref,
                                                    sessionNew)
                                            // the resource's format and content from the session's
                                            // document, before its files
                                            .map(g -> new Group(
                                                    g.name(),
                                                    g.works(),
                                                    ready.then(docs.ensureResource(
                                                            ref, node.owner(), node.direction(), sessionNew)),
                                                    g.verify(),
                                                    g.archive()));
                                })::group);
                    });
                });
    }

    /**
     * Maps a walk's nodes to groups whose execution first creates the node's owner at the destination (once per
     * owner, shared by its resources), after the session.
     */
    private record Prepared(
            ExperimentRef dest,
            Mono<Void> session,
            SessionMetadata.Documents docs,
            boolean sessionNew,
            java.util.function.BiFunction<Walker.Node, Mono<Void>, Mono<Group>> resourceGroup,
            Map<Walker.Owner, Mono<Void>> owners) {
        Prepared(
                ExperimentRef dest,
                Mono<Void> session,
                SessionMetadata.Documents docs,
                boolean sessionNew,
                java.util.function.BiFunction<Walker.Node, Mono<Void>, Mono<Group>> resourceGroup) {
            this(dest, session, docs, sessionNew, resourceGroup, new java.util.concurrent.ConcurrentHashMap<>());
        }

        Mono<Group> group(Walker.Node node) {
            Mono<Void> ready =
                    owners.computeIfAbsent(node.owner(), o -> ensureOwner(dest, o, session, docs, sessionNew));
            if (node.resource() == null) {
                return Mono.just(Group.step(destRef(dest, node.owner()).path(), ready));
            }
            return resourceGroup.apply(node, ready);
        }
    }

    /** A downloaded session folder as the walker sees it (with its metadata file, when it has one). */
    record LocalTree(Path dir, SessionMetadata meta, String sessionType) implements Walker.Tree {
        @Override
        public Flux<Walker.Owner> children(Walker.Kind kind) {
            return switch (kind) {
                case SCAN ->
                    listDirs(dir.resolve("scans")).map(d -> {
                        SessionMetadata.Child c = child(meta.scans, d);
                        String id = c != null ? c.id : d.contains("-") ? d.substring(0, d.indexOf('-')) : d;
                        String scanType = c != null ? c.type : d.contains("-") ? d.substring(d.indexOf('-') + 1) : null;
                        String xsi = c != null && c.xsiType != null && !c.xsiType.isEmpty()
                                ? c.xsiType
                                : sessionType.replace("SessionData", "ScanData");
                        return new Walker.Owner(kind, id, null, xsi, scanType, c != null ? c.fields : Map.of(), d);
                    });
                case ASSESSOR ->
                    listDirs(dir.resolve("assessors")).map(d -> {
                        SessionMetadata.Child c = child(meta.assessors, d);
                        String label = c != null && c.label != null ? c.label : d;
                        String xsi = c != null && c.xsiType != null ? c.xsiType : "xnat:qcAssessmentData";
                        return new Walker.Owner(kind, c != null ? c.id : label, label, xsi, null, Map.of(), d);
                    });
                case RECONSTRUCTION ->
                    listDirs(dir.resolve("reconstructions")).map(d -> {
                        SessionMetadata.Child c = child(meta.reconstructions, d);
                        String xsi = c != null && c.xsiType != null ? c.xsiType : "xnat:reconstructedImageData";
                        return new Walker.Owner(
                                kind,
                                c != null && c.id != null ? c.id : d,
                                null,
                                xsi,
                                c != null ? c.type : null,
                                Map.of(),
                                d);
                    });
                case SESSION -> Flux.empty();
            };
        }

        @Override
        public Flux<Walker.Res> resources(Walker.Owner owner, String direction) {
            return listDirs(localDir(dir, owner, direction).resolve("resources"))
                    .map(label -> new Walker.Res(label, null, null));
        }
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return null;
    }

    /** Fields as XPaths of the type ({@code xnat:mrSessionData/fieldStrength}) so that any XNAT accepts them. */
    static Map<String, String> xpaths(String type, Map<String, String> fields) {
        Map<String, String> out = new LinkedHashMap<>();
        fields.forEach((k, v) -> {
            if (!NOT_COPIED.contains(k) && v != null && !v.isEmpty()) {
                out.put(k.contains(":") ? k : type + "/" + k, v);
            }
        });
        return out;
    }

    private static SessionMetadata.Child child(List<SessionMetadata.Child> list, String dir) {
        for (SessionMetadata.Child c : list) {
            if (dir.equals(c.dir)) {
                return c;
            }
        }
        return null;
    }

    static Flux<String> listDirs(Path parent) {
        return Mono.fromCallable(() -> {
                    if (!Files.isDirectory(parent)) {
                        return List.<String>of();
                    }
                    try (Stream<Path> s = Files.list(parent)) {
                        return s.filter(Files::isDirectory)
                                .map(p -> p.getFileName().toString())
                                .sorted()
                                .toList();
                    }
                })
                .subscribeOn(Schedulers.boundedElastic())
                .flatMapIterable(l -> l);
    }

    /** A group uploading every file under {@code folder} into {@code resource}, with paths relative to it. */
    public static Mono<Group> files(Path folder, ResourceRef resource) {
        return files(folder, resource, false);
    }

    /**
     * As {@link #files(Path, ResourceRef)}; {@code resourceNew}: the resource's owner is one the job creates, so the
     * resource holds nothing and its listing is not read.
     */
    static Mono<Group> files(Path folder, ResourceRef resource, boolean resourceNew) {
        Mono<java.util.SortedMap<Path, Long>> local =
                Mono.fromCallable(() -> localFiles(folder)).subscribeOn(Schedulers.boundedElastic());
        Mono<Map<String, FileEntry>> remote = resourceNew ? Mono.just(Map.of()) : listing(resource);
        return Mono.zip(local, remote).map(t -> {
            List<Work> works = new ArrayList<>();
            for (Map.Entry<Path, Long> f : t.getT1().entrySet()) {
                Path p = f.getKey();
                String rel = folder.relativize(p).toString().replace('\\', '/');
                works.add(new UploadWork(p, resource.file(rel), rel, t.getT2().get(rel), f.getValue()));
            }
            return new Group(resource.path(), works, Mono.empty(), digests(resource), Archives.upload(resource));
        });
    }

    /**
     * The regular files under {@code folder} (a link to one counts; a download's {@code .part} temporaries do not),
     * in path order, with the sizes the walk read for them: one stat per file, not three.
     */
    static java.util.SortedMap<Path, Long> localFiles(Path folder) throws java.io.IOException {
        java.util.SortedMap<Path, Long> out = new java.util.TreeMap<>();
        if (!Files.isDirectory(folder)) {
            return out;
        }
        Files.walkFileTree(folder, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path p, java.nio.file.attribute.BasicFileAttributes a) {
                if (p.getFileName().toString().endsWith(".part")) {
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
                if (a.isRegularFile()) {
                    out.put(p, a.size());
                } else if (a.isSymbolicLink() && Files.isRegularFile(p)) {
                    out.put(p, -1L); // its size is the target's: read when needed
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
        return out;
    }

    static Mono<Map<String, FileEntry>> listing(ResourceRef resource) {
        return resource.files()
                .collectMap(FileEntry::path)
                .onErrorResume(XnatNotFoundException.class, e -> Mono.just(Map.of()));
    }

    /** Why {@code w} does not verify against a target listing ({@code path -> MD5}), or null when it does. */
    static Throwable mismatch(Work w, Map<String, String> digests) {
        String expected = w.expectedDigest();
        String actual = digests.get(w.targetPath());
        if (actual == null) {
            return new XnatIntegrityException(
                    "Not listed at the target after the transfer: " + w.targetPath(), expected, "missing");
        }
        if (expected != null && !expected.isEmpty() && !actual.isEmpty() && !expected.equalsIgnoreCase(actual)) {
            return new XnatIntegrityException("MD5 mismatch at the target for " + w.targetPath(), expected, actual);
        }
        return null;
    }

    static Mono<Map<String, String>> digests(ResourceRef resource) {
        return resource.files().collectMap(FileEntry::path, FileEntry::digest);
    }

    /** Upload of a local file; in place when the remote has the same size and MD5. */
    static final class UploadWork implements Work {
        final Path local;
        final FileRef remote;
        final String rel;
        final FileEntry existing;
        volatile String md5 = "";
        volatile long crc;
        volatile long size = -1;

        /**
         * The file's bytes as the check read and hashed them, while the job keeps them for an archive to send (taken
         * from the job's {@link LocalFiles.Budget}; {@link #dropHeld} gives them back), else null.
         */
        volatile byte[] held;

        /** The size the planner's walk saw, or -1: what {@link #item()} tells before the check has read the file. */
        final long walked;

        UploadWork(Path local, FileRef remote, String rel, FileEntry existing, long walked) {
            this.local = local;
            this.remote = remote;
            this.rel = rel;
            this.existing = existing;
            this.walked = walked;
        }

        @Override
        public TransferItem item() {
            long n = size >= 0 ? size : walked >= 0 ? walked : sizeOf(local);
            return new TransferItem(local.toString(), remote.path(), n, md5);
        }

        private static long sizeOf(Path p) {
            try {
                return Files.size(p);
            } catch (IOException e) {
                return -1;
            }
        }

        /** Reads the local file once for its size, MD5 and CRC-32 (the CRC is what an archive upload needs). */
        @Override
        public boolean upToDate() throws IOException {
            return upToDate(LocalFiles.statNow(local));
        }

        /** As {@link #upToDate()}, with the local file's figures already read ({@link LocalFiles#statAll}). */
        boolean upToDate(LocalFiles.Stat st) {
            if (st == null) {
                return false;
            }
            md5 = st.md5();
            crc = st.crc();
            size = st.size();
            held = st.bytes();
            return existing != null && existing.size() == st.size() && st.md5().equalsIgnoreCase(existing.digest());
        }

        /** Drops the bytes the check kept, giving them back to {@code budget}. */
        void dropHeld(LocalFiles.Budget budget) {
            byte[] b = held;
            if (b != null) {
                held = null;
                budget.give(b.length);
            }
        }

        @Override
        public Mono<Void> transfer(LongConsumer bytes) {
            return remote.upload(local, UploadOptions.defaults().overwrite(true))
                    .flatMap(r -> r.stored()
                            ? Mono.<Void>empty()
                            : Mono.error(new XnatProtocolException("The server did not store " + rel)))
                    .doOnSuccess(v -> bytes.accept(Math.max(0, size)));
        }

        @Override
        public String targetPath() {
            return rel;
        }

        @Override
        public String method() {
            return "PUT";
        }

        @Override
        public String expectedDigest() {
            return md5;
        }
    }

    // ------------------------------------------------------------------ mirror

    /**
     * The mirror of sessions as a stream of groups, one per resource. Creating what is missing at the destination
     * (subject, session, scans, assessors, reconstructions, resources) is a step the execution runs.
     */
    public static Flux<Group> mirror(
            XnatClient source, Flux<ExperimentRef> sessions, XnatClient dest, String destProject, Selection sel) {
        ProjectRef dp = dest.project(destProject);
        var labels = subjectLabels(source);
        Destination known = Destination.of(dp);
        return sessions.flatMapSequential(
                s -> describeWithTree(source, s, labels).flatMapMany(d -> mirrorSession(d, dp, sel, known)),
                SESSIONS_AHEAD,
                1);
    }

    private static Flux<Group> mirrorSession(Described described, ProjectRef dp, Selection sel, Destination known) {
        SessionInfo info = described.info();
        SubjectRef ds = dp.subject(info.subject);
        ExperimentRef de = ds.experiment(info.label);
        ExperimentRef se = info.ref;
        SubjectRef sourceSubject = info.subject.equals("_")
                ? null
                : se.client().project(info.project).subject(info.subject);
        // each object from its source document: all its fields, custom variables, parameters and provenance
        SessionMetadata.Documents docs = SessionMetadata.Documents.remote(se, sourceSubject);
        Subject s = known.subject(ds, docs, dp.id());
        // as an upload does: a session missing when planned is created with all its parts, none looked up again
        return known.exists(de).flatMapMany(existed -> {
            boolean sessionNew = !existed;
            Mono<Void> session = s.withSession(sessionNew, de, docs, dp.id(), info.xsiType, info.fields);
            return mirrorParts(described, de, session, docs, sessionNew, sel);
        });
    }

    private static Flux<Group> mirrorParts(
            Described described,
            ExperimentRef de,
            Mono<Void> session,
            SessionMetadata.Documents docs,
            boolean sessionNew,
            Selection sel) {
        SessionInfo info = described.info();
        ExperimentRef se = info.ref;
        return Walker.walk(described.tree(), sessionOwner(info.id, info.xsiType, info.fields), sel)
                .concatMap(new Prepared(de, session, docs, sessionNew, (node, ready) -> {
                    Walker.Res r = node.resource();
                    ResourceRef sr = resourceRef(sourceRef(se, node.owner()), node.direction(), r.label());
                    ResourceRef dr = resourceRef(destRef(de, node.owner()), node.direction(), r.label());
                    Mono<Void> prepare = ready.then(createMissing(
                            sessionNew, dr, dr.create(r.format(), r.content()).then()));
                    Mono<Map<String, FileEntry>> existing = sessionNew ? Mono.just(Map.of()) : listing(dr);
                    return Mono.zip(described.files(node, sr).collectList(), existing)
                            .map(t -> {
                                List<Work> works = works(
                                        t.getT1(),
                                        sr.path(),
                                        dr.path(),
                                        f -> new MirrorWork(
                                                sr.file(f.path()),
                                                f,
                                                dr.file(f.path()),
                                                t.getT2().get(f.path())));
                                return new Group(dr.path(), works, prepare, digests(dr), Archives.mirror(sr, dr));
                            });
                })::group);
    }

    /** Source file streamed straight into the destination upload, MD5 checked on the way. */
    record MirrorWork(FileRef source, FileEntry entry, FileRef dest, FileEntry existing) implements Work {
        @Override
        public TransferItem item() {
            return new TransferItem(
                    source.client().serverUrl() + source.path(),
                    dest.client().serverUrl() + dest.path(),
                    entry.size(),
                    entry.digest());
        }

        @Override
        public boolean upToDate() {
            return existing != null
                    && !entry.digest().isEmpty()
                    && existing.size() == entry.size()
                    && entry.digest().equalsIgnoreCase(existing.digest());
        }

        @Override
        public Mono<Void> transfer(LongConsumer bytes) {
            return Mono.defer(() -> {
                // the upload subscribes the body once per attempt (a 401 replays it): each one hashes anew
                AtomicReference<MessageDigest> digest = new AtomicReference<>();
                Flux<ByteBuffer> body = Flux.defer(() -> {
                    MessageDigest md = LocalFiles.newMd5();
                    digest.set(md);
                    return source.content().doOnNext(b -> {
                        md.update(b.duplicate());
                        bytes.accept(b.remaining());
                    });
                });
                return dest.upload(body, entry.size(), UploadOptions.defaults().overwrite(true))
                        .flatMap(r -> {
                            String got = HexFormat.of().formatHex(digest.get().digest());
                            if (!entry.digest().isEmpty() && !entry.digest().equalsIgnoreCase(got)) {
                                return Mono.error(new XnatIntegrityException(
                                        "MD5 mismatch reading " + source.path(), entry.digest(), got));
                            }
                            return r.stored()
                                    ? Mono.<Void>empty()
                                    : Mono.error(
                                            new XnatProtocolException("The destination did not store " + dest.path()));
                        });
            });
        }

        @Override
        public String targetPath() {
            return entry.path();
        }
    }
}
