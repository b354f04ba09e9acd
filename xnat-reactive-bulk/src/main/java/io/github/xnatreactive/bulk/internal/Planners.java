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
 * Turns sessions into plans: one {@link Work} per file, grouped per resource. Download plans read listings; upload
 * and mirror plans also create what is missing on the target (subject, session, scans, assessors, resources) unless
 * it is a dry run.
 */
public final class Planners {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** data_fields that name or place the object rather than describe it. */
    private static final Set<String> NOT_COPIED =
            Set.of("ID", "id", "project", "label", "subject_ID", "imageSession_ID", "session_ID");

    private Planners() {}

    /** A session as the planner needs it: a stable ref (by accession ID) and its names and type. */
    record SessionInfo(
            ExperimentRef ref,
            String id,
            String label,
            String project,
            String subject,
            String xsiType,
            Map<String, String> fields) {}

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
            return subjectLabel.map(sl -> new SessionInfo(client.experiment(id), id, label, project, sl, type, fields));
        });
    }

    // ------------------------------------------------------------------ download

    public static Mono<List<Group>> download(
            XnatClient client, Flux<ExperimentRef> sessions, Path dest, Selection sel, boolean writeMetadata) {
        Path root = dest.toAbsolutePath().normalize();
        var labels = subjectLabels(client);
        return sessions.flatMapSequential(s -> describe(client, s, labels), 8)
                .flatMapSequential(info -> downloadSession(info, root, sel, writeMetadata), 8)
                .flatMapIterable(l -> l)
                .collectList();
    }

    private static Mono<List<Group>> downloadSession(SessionInfo info, Path root, Selection sel, boolean write) {
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
        List<Mono<List<Group>>> parts = new ArrayList<>();
        parts.add(e.scans()
                .filter(s -> sel.includesScan(s.id(), s.type()))
                .concatMap(s -> {
                    String d = SessionMetadata.scanDir(s.id(), s.type());
                    SessionMetadata.Child c = new SessionMetadata.Child(s.id(), null, s.xsiType(), s.type(), d);
                    putIfPresent(c.fields, "quality", s.quality());
                    putIfPresent(c.fields, "series_description", s.seriesDescription());
                    putIfPresent(c.fields, "note", s.note());
                    synchronized (meta) {
                        meta.scans.add(c);
                    }
                    ScanRef ref = e.scan(s.id());
                    return resourceGroups(
                            ref, ref.resources(), null, dir.resolve("scans").resolve(d), sel);
                })
                .collectList()
                .map(Planners::flatten));
        if (sel.includesSessionResources()) {
            parts.add(resourceGroups(e, e.resources(), null, dir, sel)
                    .collectList()
                    .map(Planners::flatten));
        }
        if (sel.includesAssessors()) {
            parts.add(e.assessors()
                    .concatMap(a -> {
                        String d = SessionMetadata.safe(a.label());
                        synchronized (meta) {
                            meta.assessors.add(new SessionMetadata.Child(a.id(), a.label(), a.xsiType(), null, d));
                        }
                        AssessorRef ref = e.assessor(a.id());
                        Path ad = dir.resolve("assessors").resolve(d);
                        return Flux.concat(
                                resourceGroups(ref, ref.resources(), null, ad, sel),
                                resourceGroups(ref, ref.inResources(), "in", ad.resolve("in"), sel),
                                resourceGroups(ref, ref.outResources(), "out", ad.resolve("out"), sel));
                    })
                    .collectList()
                    .map(Planners::flatten));
        }
        if (sel.includesReconstructions()) {
            parts.add(e.reconstructions()
                    .concatMap(r -> {
                        String d = SessionMetadata.safe(r.id());
                        synchronized (meta) {
                            meta.reconstructions.add(new SessionMetadata.Child(
                                    r.id(), null, "xnat:reconstructedImageData", r.type(), d));
                        }
                        ReconstructionRef ref = e.reconstruction(r.id());
                        Path rd = dir.resolve("reconstructions").resolve(d);
                        return Flux.concat(
                                resourceGroups(ref, ref.resources(), null, rd, sel),
                                resourceGroups(ref, ref.inResources(), "in", rd.resolve("in"), sel),
                                resourceGroups(ref, ref.outResources(), "out", rd.resolve("out"), sel));
                    })
                    .collectList()
                    .map(Planners::flatten));
        }
        // the session's listings run at the same time; their groups keep this order
        return Flux.mergeSequential(parts)
                .collectList()
                .map(Planners::flatten)
                .flatMap(groups -> write
                        ? Mono.fromCallable(() -> {
                                    meta.write(dir);
                                    return groups;
                                })
                                .subscribeOn(Schedulers.boundedElastic())
                        : Mono.just(groups));
    }

    private static void putIfPresent(Map<String, String> m, String k, String v) {
        if (v != null && !v.isEmpty()) {
            m.put(k, v);
        }
    }

    private static <T> List<T> flatten(List<List<T>> lists) {
        List<T> out = new ArrayList<>();
        lists.forEach(out::addAll);
        return out;
    }

    /** One group per resource of {@code owner}; files go to {@code base/resources/{label}/files/{path}}. */
    private static Flux<List<Group>> resourceGroups(
            ArchiveRef owner, Flux<Resource> resources, String direction, Path base, Selection sel) {
        return resources
                .filter(r -> sel.includesResource(r.label()))
                .concatMap(r -> {
                    ResourceRef rr = resourceRef(owner, direction, r.label());
                    Path folder = base.resolve("resources")
                            .resolve(SessionMetadata.safe(r.label()))
                            .resolve("files");
                    return rr.files()
                            .map(f -> (Work) new DownloadWork(rr.file(f.path()), f, target(folder, f)))
                            .collectList()
                            .map(works -> new Group(rr.path(), works, null));
                })
                .collectList()
                .flux();
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
        public Mono<Boolean> upToDate() {
            return LocalFiles.matches(target, entry.size(), entry.digest());
        }

        @Override
        public Mono<Void> transfer(LongConsumer bytes) {
            return file.download(target, entry.size(), entry.digest(), bytes).then();
        }
    }

    // ------------------------------------------------------------------ upload

    /** Where an upload goes and what to call things that the folder's metadata does not say. */
    public record UploadTarget(ProjectRef project, String subject, String session, String xsiType) {}

    public static Mono<List<Group>> upload(Path sessionDir, UploadTarget t, Selection sel, boolean create) {
        return Mono.fromCallable(() -> {
                    SessionMetadata m = SessionMetadata.read(sessionDir);
                    return m == null ? new SessionMetadata() : m;
                })
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(meta -> {
                    String subject = first(t.subject(), meta.subject);
                    String label = first(
                            t.session(), meta.label, sessionDir.getFileName().toString());
                    String type = first(t.xsiType(), meta.xsiType, "xnat:mrSessionData");
                    if (subject == null) {
                        return Mono.error(new IllegalArgumentException(
                                "No subject given and " + sessionDir + " has no " + SessionMetadata.FILE));
                    }
                    SubjectRef sr = t.project().subject(subject);
                    ExperimentRef er = sr.experiment(label);
                    Mono<Void> ensure =
                            create ? ensureSubject(sr).then(ensureSession(er, type, meta.fields)) : Mono.empty();
                    return ensure.then(uploadGroups(sessionDir, er, meta, type, sel, create));
                });
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return null;
    }

    static Mono<Void> ensureSubject(SubjectRef s) {
        return s.exists().flatMap(e -> e ? Mono.<Void>empty() : s.create().then());
    }

    /** Creates {@code s} when missing, with the descriptive fields of {@code source} (null: none). */
    static Mono<Void> ensureSubject(SubjectRef s, SubjectRef source) {
        if (source == null) {
            return ensureSubject(s);
        }
        return s.exists()
                .flatMap(e -> e
                        ? Mono.<Void>empty()
                        : source.fields()
                                .flatMap(f -> s.create(subjectXpaths(f)).then()));
    }

    /** Subject fields as XPaths; demographics need their concrete type, as XNAT writes them itself. */
    static Map<String, String> subjectXpaths(Map<String, String> fields) {
        Map<String, String> out = new LinkedHashMap<>();
        xpaths("xnat:subjectData", fields)
                .forEach((k, v) -> out.put(
                        k.replace(
                                "xnat:subjectData/demographics/",
                                "xnat:subjectData/demographics[@xsi:type=xnat:demographicData]/"),
                        v));
        return out;
    }

    static Mono<Void> ensureSession(ExperimentRef e, String type, Map<String, String> fields) {
        return e.exists()
                .flatMap(x -> x
                        ? Mono.<Void>empty()
                        : e.create(type, xpaths(type, fields)).then());
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

    private static Mono<List<Group>> uploadGroups(
            Path dir, ExperimentRef er, SessionMetadata meta, String type, Selection sel, boolean create) {
        List<Mono<List<Group>>> parts = new ArrayList<>();
        if (sel.includesSessionResources()) {
            parts.add(localResources(dir, label -> er.resource(label), sel));
        }
        Path scans = dir.resolve("scans");
        parts.add(listDirs(scans)
                .concatMap(d -> {
                    SessionMetadata.Child c = child(meta.scans, d);
                    String id = c != null ? c.id : d.contains("-") ? d.substring(0, d.indexOf('-')) : d;
                    String scanType = c != null ? c.type : d.contains("-") ? d.substring(d.indexOf('-') + 1) : null;
                    if (!sel.includesScan(id, scanType)) {
                        return Mono.just(List.<Group>of());
                    }
                    ScanRef sr = er.scan(id);
                    String xsi = c != null && c.xsiType != null && !c.xsiType.isEmpty()
                            ? c.xsiType
                            : type.replace("SessionData", "ScanData");
                    Map<String, String> fields = new LinkedHashMap<>();
                    if (scanType != null) {
                        fields.put("type", scanType);
                    }
                    if (c != null) {
                        fields.putAll(c.fields);
                    }
                    Mono<Void> ensure = create
                            ? sr.exists().flatMap(x -> x ? Mono.<Void>empty() : sr.create(xsi, fields))
                            : Mono.empty();
                    return ensure.then(localResources(scans.resolve(d), label -> sr.resource(label), sel));
                })
                .collectList()
                .map(Planners::flatten));
        if (sel.includesAssessors()) {
            Path as = dir.resolve("assessors");
            parts.add(listDirs(as)
                    .concatMap(d -> {
                        SessionMetadata.Child c = child(meta.assessors, d);
                        String label = c != null && c.label != null ? c.label : d;
                        AssessorRef ar = er.assessor(label);
                        String xsi = c != null && c.xsiType != null ? c.xsiType : "xnat:qcAssessmentData";
                        Mono<Void> ensure = create
                                ? ar.exists()
                                        .flatMap(x -> x
                                                ? Mono.<Void>empty()
                                                : ar.create(xsi, Map.of()).then())
                                : Mono.empty();
                        Path ad = as.resolve(d);
                        return ensure.then(Flux.concat(
                                        localResources(ad, l -> ar.resource(l), sel),
                                        localResources(ad.resolve("in"), l -> ar.inResource(l), sel),
                                        localResources(ad.resolve("out"), l -> ar.outResource(l), sel))
                                .collectList()
                                .map(Planners::flatten));
                    })
                    .collectList()
                    .map(Planners::flatten));
        }
        return Flux.concat(parts).collectList().map(Planners::flatten);
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

    /** Groups for {@code base/resources/{label}/files/**}, one per resource label. */
    private static Mono<List<Group>> localResources(
            Path base, java.util.function.Function<String, ResourceRef> ref, Selection sel) {
        Path res = base.resolve("resources");
        return listDirs(res)
                .filter(sel::includesResource)
                .concatMap(label -> files(res.resolve(label).resolve("files"), ref.apply(label)))
                .collectList();
    }

    /** A group uploading every file under {@code folder} into {@code resource}, with paths relative to it. */
    public static Mono<Group> files(Path folder, ResourceRef resource) {
        Mono<List<Path>> local = Mono.fromCallable(() -> {
                    if (!Files.isDirectory(folder)) {
                        return List.<Path>of();
                    }
                    try (Stream<Path> s = Files.walk(folder)) {
                        return s.filter(Files::isRegularFile)
                                .filter(p -> !p.getFileName().toString().endsWith(".part"))
                                .sorted()
                                .toList();
                    }
                })
                .subscribeOn(Schedulers.boundedElastic());
        Mono<Map<String, FileEntry>> remote = listing(resource);
        return Mono.zip(local, remote).map(t -> {
            List<Work> works = new ArrayList<>();
            for (Path p : t.getT1()) {
                String rel = folder.relativize(p).toString().replace('\\', '/');
                works.add(new UploadWork(p, resource.file(rel), rel, t.getT2().get(rel)));
            }
            return new Group(resource.path(), works, digests(resource));
        });
    }

    static Mono<Map<String, FileEntry>> listing(ResourceRef resource) {
        return resource.files()
                .collectMap(FileEntry::path)
                .onErrorResume(XnatNotFoundException.class, e -> Mono.just(Map.of()));
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
        volatile long size = -1;

        UploadWork(Path local, FileRef remote, String rel, FileEntry existing) {
            this.local = local;
            this.remote = remote;
            this.rel = rel;
            this.existing = existing;
        }

        @Override
        public TransferItem item() {
            return new TransferItem(local.toString(), remote.path(), size >= 0 ? size : sizeOf(local), md5);
        }

        private static long sizeOf(Path p) {
            try {
                return Files.size(p);
            } catch (IOException e) {
                return -1;
            }
        }

        @Override
        public Mono<Boolean> upToDate() {
            return LocalFiles.stat(local)
                    .map(st -> {
                        md5 = st.md5();
                        size = st.size();
                        return existing != null
                                && existing.size() == st.size()
                                && st.md5().equalsIgnoreCase(existing.digest());
                    })
                    .defaultIfEmpty(false);
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
        public String expectedDigest() {
            return md5;
        }
    }

    // ------------------------------------------------------------------ mirror

    public static Mono<List<Group>> mirror(
            XnatClient source,
            Flux<ExperimentRef> sessions,
            XnatClient dest,
            String destProject,
            Selection sel,
            boolean create) {
        ProjectRef dp = dest.project(destProject);
        var labels = subjectLabels(source);
        return sessions.flatMapSequential(s -> describe(source, s, labels), 2)
                .concatMap(info -> mirrorSession(info, dp, sel, create))
                .flatMapIterable(l -> l)
                .collectList();
    }

    private static Mono<List<Group>> mirrorSession(SessionInfo info, ProjectRef dp, Selection sel, boolean create) {
        SubjectRef ds = dp.subject(info.subject);
        ExperimentRef de = ds.experiment(info.label);
        ExperimentRef se = info.ref;
        SubjectRef sourceSubject = info.subject.equals("_")
                ? null
                : se.client().project(info.project).subject(info.subject);
        Mono<Void> ensure = create
                ? ensureSubject(ds, sourceSubject).then(ensureSession(de, info.xsiType, info.fields))
                : Mono.empty();
        List<Mono<List<Group>>> parts = new ArrayList<>();
        parts.add(se.scans()
                .filter(s -> sel.includesScan(s.id(), s.type()))
                .concatMap(s -> {
                    ScanRef ss = se.scan(s.id());
                    ScanRef ds2 = de.scan(s.id());
                    Map<String, String> fields = new LinkedHashMap<>();
                    putIfPresent(fields, "type", s.type());
                    putIfPresent(fields, "quality", s.quality());
                    putIfPresent(fields, "series_description", s.seriesDescription());
                    putIfPresent(fields, "note", s.note());
                    Mono<Void> mk = create
                            ? ds2.exists().flatMap(x -> x ? Mono.<Void>empty() : ds2.create(s.xsiType(), fields))
                            : Mono.empty();
                    return mk.then(mirrorResources(ss, ss.resources(), null, ds2, sel, create));
                })
                .collectList()
                .map(Planners::flatten));
        if (sel.includesSessionResources()) {
            parts.add(mirrorResources(se, se.resources(), null, de, sel, create));
        }
        if (sel.includesAssessors()) {
            parts.add(se.assessors()
                    .concatMap(a -> {
                        AssessorRef sa = se.assessor(a.id());
                        AssessorRef da = de.assessor(a.label());
                        Mono<Void> mk = create
                                ? da.exists()
                                        .flatMap(x -> x
                                                ? Mono.<Void>empty()
                                                : da.create(a.xsiType(), Map.of())
                                                        .then())
                                : Mono.empty();
                        return mk.then(Flux.concat(
                                        mirrorResources(sa, sa.resources(), null, da, sel, create),
                                        mirrorResources(sa, sa.inResources(), "in", da, sel, create),
                                        mirrorResources(sa, sa.outResources(), "out", da, sel, create))
                                .collectList()
                                .map(Planners::flatten));
                    })
                    .collectList()
                    .map(Planners::flatten));
        }
        return ensure.then(Flux.concat(parts).collectList().map(Planners::flatten));
    }

    private static Mono<List<Group>> mirrorResources(
            ArchiveRef srcOwner,
            Flux<Resource> resources,
            String direction,
            ArchiveRef dstOwner,
            Selection sel,
            boolean create) {
        return resources
                .filter(r -> sel.includesResource(r.label()))
                .concatMap(r -> {
                    ResourceRef sr = resourceRef(srcOwner, direction, r.label());
                    ResourceRef dr = resourceRef(dstOwner, direction, r.label());
                    Mono<Void> mk = create
                            ? dr.exists().flatMap(x -> x ? Mono.<Void>empty() : dr.create(r.format(), r.content()))
                            : Mono.empty();
                    return mk.then(Mono.zip(sr.files().collectList(), listing(dr)))
                            .map(t -> {
                                List<Work> works = new ArrayList<>();
                                for (FileEntry f : t.getT1()) {
                                    works.add(new MirrorWork(
                                            sr.file(f.path()),
                                            f,
                                            dr.file(f.path()),
                                            t.getT2().get(f.path())));
                                }
                                return new Group(dr.path(), works, digests(dr));
                            });
                })
                .collectList();
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
        public Mono<Boolean> upToDate() {
            return Mono.just(existing != null
                    && !entry.digest().isEmpty()
                    && existing.size() == entry.size()
                    && entry.digest().equalsIgnoreCase(existing.digest()));
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
