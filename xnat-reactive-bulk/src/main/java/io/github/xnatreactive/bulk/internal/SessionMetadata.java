package io.github.xnatreactive.bulk.internal;

import io.github.xnatreactive.core.ArchiveRef;
import io.github.xnatreactive.core.ExperimentRef;
import io.github.xnatreactive.core.ResourceRef;
import io.github.xnatreactive.core.SubjectRef;
import io.github.xnatreactive.core.XnatDocument;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.ObjectMapper;

/**
 * What a downloaded session folder says about the session, in {@code xnat-session.json}: labels, data types and
 * fields of the session, its scans, assessors and reconstructions, and which folder holds each. An upload reads it
 * to recreate the hierarchy with the same types. It also holds the session's full XML document ({@code document}:
 * its scans, assessors and reconstructions with their parameters, custom variables and provenance) and its
 * subject's ({@code subjectDocument}), as the server wrote them: an upload or a mirror creates each object from its
 * document (see {@link Documents}).
 */
public final class SessionMetadata {
    public static final String FILE = "xnat-session.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    public String project;
    public String subject;
    public String label;
    public String id;
    public String xsiType;
    public Map<String, String> fields = new LinkedHashMap<>();
    public List<Child> scans = new ArrayList<>();
    public List<Child> assessors = new ArrayList<>();
    public List<Child> reconstructions = new ArrayList<>();
    /** The session's XML document as the server wrote it ({@code format=xml}); null in older downloads. */
    public String document;
    /** The subject's XML document as the server wrote it; null when the session has no subject or none was read. */
    public String subjectDocument;

    /** A scan, assessor or reconstruction and the folder (under scans/, assessors/...) that holds its files. */
    public static final class Child {
        public String id;
        public String label;
        public String xsiType;
        public String type;
        public String dir;
        public Map<String, String> fields = new LinkedHashMap<>();

        public Child() {}

        public Child(String id, String label, String xsiType, String type, String dir) {
            this.id = id;
            this.label = label;
            this.xsiType = xsiType;
            this.type = type;
            this.dir = dir;
        }
    }

    public void write(Path sessionDir) throws IOException {
        Files.createDirectories(sessionDir);
        Path tmp = sessionDir.resolve(FILE + ".part");
        // the temporary file exists only for a write and a rename, which the JVM's exit waits for, and so does
        // BulkClient.awaitLocalWrites (a run cancelled by Ctrl-C leaves none); the guard is taken before the
        // serialization, so that a wait that comes while this serializes waits for the write too; a run that finds
        // a temporary file replaces it
        ShutdownGuard.JVM.run(() -> {
            byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
            try {
                Files.write(tmp, bytes);
                Files.move(
                        tmp,
                        sessionDir.resolve(FILE),
                        StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
        });
    }

    /** The metadata of a session folder, or null when it has none. */
    public static SessionMetadata read(Path sessionDir) throws IOException {
        Path f = sessionDir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            return JSON.readValue(f.toFile(), SessionMetadata.class);
        } catch (RuntimeException e) {
            throw new IOException("Unreadable " + f + ": " + e.getMessage(), e);
        }
    }

    /** A folder name for a scan: {@code {id}-{type}} with unsafe characters replaced, as XNAT names it in zips. */
    public static String scanDir(String id, String type) {
        String t = type == null || type.isEmpty() ? "" : "-" + type.replaceAll("\\W", "_");
        return safe(id) + t;
    }

    /** A name safe as one path segment. */
    public static String safe(String s) {
        String r = s.replaceAll("[/\\\\:\\x00]", "_");
        return r.equals(".") || r.equals("..") || r.isEmpty() ? "_" + r : r;
    }

    /**
     * The download's last step for a session: its metadata file, with the session's XML document and its subject's
     * (null: none).
     */
    public Mono<Void> writeWithDocuments(Path sessionDir, ExperimentRef session, SubjectRef subject) {
        Mono<String> subjectXml = subject == null ? Mono.just("") : subject.xml();
        return Mono.zip(session.xml(), subjectXml)
                .publishOn(Schedulers.boundedElastic())
                .flatMap(t -> Mono.fromCallable(() -> {
                    document = t.getT1();
                    subjectDocument = subject == null ? null : t.getT2();
                    write(sessionDir);
                    return true;
                }))
                .then();
    }

    /**
     * Where a copy of one session takes its documents from: the source server (a mirror) or a downloaded folder (an
     * upload). Each is read once, when the copy first needs it (a dry run reads none), and may be missing (an older
     * download, a plain folder): then objects are created from their names, types and listed fields as before.
     */
    public record Documents(Mono<XnatDocument> session, Mono<XnatDocument> subject) {
        /** Documents from the source server. */
        public static Documents remote(ExperimentRef session, SubjectRef subject) {
            return new Documents(
                    session.document().cache(),
                    subject == null ? Mono.empty() : subject.document().cache());
        }

        /** Documents from a downloaded session folder's metadata. */
        public static Documents local(SessionMetadata meta) {
            return new Documents(parsed(meta.document), parsed(meta.subjectDocument));
        }

        private static Mono<XnatDocument> parsed(String xml) {
            return xml == null || xml.isBlank()
                    ? Mono.empty()
                    : Mono.fromCallable(() -> XnatDocument.parse(xml))
                            .subscribeOn(Schedulers.boundedElastic())
                            .cache();
        }

        /** Creates the subject, known missing: from its document, else with {@code otherwise}. */
        public Mono<Void> createSubject(SubjectRef dest, String project, Mono<Void> otherwise) {
            return subject.flatMap(d -> dest.putDocument(d.copyFor(project, dest.id()), false)
                            .thenReturn(true))
                    .switchIfEmpty(otherwise.thenReturn(true))
                    .then();
        }

        /**
         * Creates the session, known missing: from its document without its parts (each is created from its own when
         * the copy reaches it, so that a selection is kept), else with {@code otherwise}.
         */
        public Mono<Void> createSession(ExperimentRef dest, String project, Mono<Void> otherwise) {
            return session.map(d -> read(d, () -> d.withoutNested().copyFor(project, dest.id())))
                    .flatMap(copy -> dest.putDocument(copy, false).thenReturn(true))
                    .switchIfEmpty(otherwise.thenReturn(true))
                    .then();
        }

        /**
         * Creates a scan, assessor or reconstruction at {@code dest} (known missing) from its part of the session's
         * document (scans and reconstructions found by ID, assessors by label), else with {@code otherwise}.
         */
        public Mono<Void> createPart(
                ArchiveRef dest, Walker.Kind kind, String ref, String project, Mono<Void> otherwise) {
            return session.flatMap(d -> Mono.justOrEmpty(read(d, () -> {
                        for (XnatDocument p : parts(d, kind)) {
                            String name = kind == Walker.Kind.ASSESSOR ? p.label() : p.id();
                            if (ref.equals(name)) {
                                return p.copyFor(project, null);
                            }
                        }
                        return null;
                    })))
                    .flatMap(copy -> dest.putDocument(copy, false).thenReturn(true))
                    .switchIfEmpty(otherwise.thenReturn(true))
                    .then();
        }

        /**
         * Creates a resource (when missing) with the format and content its owner's part of the session document
         * gives it, before its files go: a file upload would create it without them. Nothing when the document is
         * missing or has no such resource. {@code ownerNew}: the owner is one this copy creates, so the resource is
         * known missing and not looked up first.
         */
        public Mono<Void> ensureResource(ResourceRef dest, Walker.Owner owner, String direction, boolean ownerNew) {
            return session.flatMap(d -> Mono.justOrEmpty(read(d, () -> {
                        XnatDocument part = d;
                        if (owner.kind() != Walker.Kind.SESSION) {
                            part = null;
                            String ref = owner.kind() == Walker.Kind.ASSESSOR ? owner.label() : owner.id();
                            for (XnatDocument p : parts(d, owner.kind())) {
                                if (ref != null
                                        && ref.equals(owner.kind() == Walker.Kind.ASSESSOR ? p.label() : p.id())) {
                                    part = p;
                                }
                            }
                        }
                        if (part == null) {
                            return null;
                        }
                        String path = (direction != null
                                        ? direction + "/file"
                                        : owner.kind() == Walker.Kind.SCAN ? "file" : "resources/resource")
                                + "[label=" + dest.id() + "]";
                        String format = part.field(path + "/format").orElse("");
                        String content = part.field(path + "/content").orElse("");
                        return format.isEmpty() && content.isEmpty() ? null : new String[] {format, content};
                    })))
                    .flatMap(fc -> Planners.createMissing(
                            ownerNew, dest, dest.create(fc[0], fc[1]).then()));
        }

        /**
         * Reads the session's document, shared by the session's parts that the engine prepares at the same time: a
         * DOM is not safe for concurrent reads (its node lists cache state: two threads copying scans of one
         * document failed with a NullPointerException inside the JDK's DOM), so its readers take turns.
         */
        private static <T> T read(XnatDocument d, java.util.function.Supplier<T> reading) {
            synchronized (d) {
                return reading.get();
            }
        }

        private static List<XnatDocument> parts(XnatDocument d, Walker.Kind kind) {
            return switch (kind) {
                case SCAN -> d.scans();
                case ASSESSOR -> d.assessors();
                case RECONSTRUCTION -> d.reconstructions();
                case SESSION -> List.of();
            };
        }
    }
}
