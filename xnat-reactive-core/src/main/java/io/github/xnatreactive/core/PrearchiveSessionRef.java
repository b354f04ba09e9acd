package io.github.xnatreactive.core;

import io.github.xnatreactive.core.internal.Request;
import io.github.xnatreactive.core.internal.Uris;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Names one prearchive session ({@code /data/prearchive/projects/{P}/{timestamp}/{folder}}): read its row, browse
 * its scans and files, download it verified, wait for a state, archive, rebuild, move or delete it. Get one from
 * {@link Prearchive#session(String)}. Nothing is sent until a returned publisher is subscribed.
 *
 * <pre>{@code
 * PrearchiveSessionRef s = xnat.prearchive().session(xnat.prearchive().sessions("LAB").blockFirst());
 * Path copy = s.download(dest).block(); // every file checked by size and MD5
 * String uri = s.archive(ImportOptions.toArchive("LAB").subject("SUBJ01").session("SUBJ01_MR2")).block();
 * }</pre>
 */
public final class PrearchiveSessionRef {
    private static final String TEMPLATE = "/data/prearchive/projects/{project}/{timestamp}/{session}";
    /** The first wait between polls of {@link #waitFor}; it doubles up to {@link #MAX_POLL}. */
    static final Duration FIRST_POLL = Duration.ofMillis(500);

    static final Duration MAX_POLL = Duration.ofSeconds(10);

    private final XnatClient client;
    private final String project;
    private final String timestamp;
    private final String folder;
    private final String path;

    PrearchiveSessionRef(XnatClient client, String project, String timestamp, String folder) {
        this.client = client;
        this.project = project;
        this.timestamp = timestamp;
        this.folder = folder;
        this.path = "/data/prearchive/projects/" + Uris.segment(project) + "/" + Uris.segment(timestamp) + "/"
                + Uris.segment(folder);
    }

    /**
     * The project whose prearchive holds the session.
     *
     * @return the project's ID, or {@code Unassigned}
     */
    public String project() {
        return project;
    }

    /**
     * The upload's timestamp folder.
     *
     * @return e.g. {@code 20240102_101530123}
     */
    public String timestamp() {
        return timestamp;
    }

    /**
     * The session's folder.
     *
     * @return the folder name
     */
    public String folder() {
        return folder;
    }

    /**
     * The session's URL path.
     *
     * @return {@code /data/prearchive/projects/{P}/{timestamp}/{folder}}, encoded
     */
    public String path() {
        return path;
    }

    /** The form the batch services take: {@code /prearchive/projects/...}, without {@code /data}. */
    String src() {
        return path.substring("/data".length());
    }

    /**
     * The session's row of the prearchive listing: state, labels, study UID.
     *
     * @return the row; {@link XnatNotFoundException} when the session is not there (archived, deleted, moved)
     */
    public Mono<PrearchiveSession> get() {
        return client.rows(path, TEMPLATE, Map.of())
                .next()
                .map(PrearchiveSession::from)
                .switchIfEmpty(Mono.error(() -> new XnatNotFoundException("GET", path, "no such prearchive session")));
    }

    /**
     * The session's scans: {@code GET .../scans}.
     *
     * @return one per DICOM series
     */
    public Flux<PrearchiveScan> scans() {
        return client.rows(path + "/scans", TEMPLATE + "/scans", Map.of()).map(PrearchiveScan::from);
    }

    /**
     * The {@code DICOM} resource of one scan, to list its files or download one verified.
     *
     * @param scanId the scan's ID, from {@link #scans()}
     * @return a ref to the resource
     */
    public ResourceRef resource(String scanId) {
        return new ResourceRef(new ScanOwner(this, scanId), null, "DICOM");
    }

    /**
     * Downloads every file of the session into {@code dir}, as {@code dir/{scan}/{file}}, each checked against the
     * listing's size and MD5 and moved into place only when it matches (four at a time).
     *
     * @param dir the directory to write into (created when missing)
     * @return {@code dir}; {@link XnatIntegrityException} when a file does not match its listing
     */
    public Mono<Path> download(Path dir) {
        return scans().concatMap(scan -> {
                    ResourceRef r = resource(scan.id());
                    Path into = dir.resolve(scan.id());
                    return r.files()
                            .flatMap(
                                    f -> Mono.fromCallable(() -> Files.createDirectories(into))
                                            .subscribeOn(Schedulers.boundedElastic())
                                            .onErrorMap(IOException.class, e -> new UncheckedIOException(e))
                                            .then(r.file(f.path()).download(into.resolve(f.path()), f)),
                                    4);
                })
                .then(Mono.just(dir));
    }

    /**
     * The DICOM header of the session's first DICOM file, as XNAT's dicomdump service lists it.
     *
     * @return the header's elements
     */
    public Flux<DicomDumpEntry> dicomDump() {
        return DicomDumpEntry.of(client, src());
    }

    /**
     * Waits until the session reaches a state, polling its row with a backoff (half a second, doubling to ten
     * seconds) on the client's scheduler. Cancelling the subscription stops the polling.
     *
     * @param status the state to wait for, e.g. {@link PrearchiveStatus#READY}
     * @param timeout how long to wait at most
     * @return the row once it has that state; {@link XnatConflictException} when the session reaches
     *     {@code CONFLICT} or {@code ERROR} instead, {@link java.util.concurrent.TimeoutException} after
     *     {@code timeout}, {@link XnatNotFoundException} when it leaves the prearchive
     */
    public Mono<PrearchiveSession> waitFor(PrearchiveStatus status, Duration timeout) {
        Objects.requireNonNull(status, "status");
        return Mono.defer(this::get)
                .flatMap(s -> {
                    if (s.status() == status) {
                        return Mono.just(s);
                    }
                    if (s.status() == PrearchiveStatus.CONFLICT || s.status() == PrearchiveStatus.ERROR) {
                        return Mono.error(new XnatConflictException(
                                "GET", path, "the session is " + s.status() + ", not " + status));
                    }
                    return Mono.empty();
                })
                .repeatWhenEmpty(polls -> polls.concatMap(i -> Mono.delay(poll(i), client.scheduler())))
                .timeout(timeout, client.scheduler());
    }

    static Duration poll(long attempt) {
        long ms = FIRST_POLL.toMillis() << Math.min(attempt, 10);
        return Duration.ofMillis(Math.min(ms, MAX_POLL.toMillis()));
    }

    /**
     * Archives the session where its row says (its project, subject and label): {@code POST
     * /data/services/archive?src=...}.
     *
     * @return the archived session's URI, {@code /data/archive/projects/{P}/subjects/{S}/experiments/{E}};
     *     {@link XnatConflictException} when the session exists in the archive (the prearchive marks it CONFLICT)
     */
    public Mono<String> archive() {
        return archive(null);
    }

    /**
     * Archives the session to another place or over an existing session.
     *
     * @param options the project, and the subject and session labels when they should differ from the session's;
     *     the overwrite mode; null for the session's own
     * @return the archived session's URI; {@link XnatConflictException} when the session exists and
     *     {@code overwrite} is {@code NONE}
     */
    public Mono<String> archive(ImportOptions options) {
        Request.Builder b = Request.post("/data/services/archive")
                .template("/data/services/archive")
                .param("src", src())
                .idempotent(false);
        if (options != null) {
            Map<String, String> p = options.toParams();
            String dest = "/archive/projects/" + options.project();
            if (options.subject() != null) {
                dest += "/subjects/" + options.subject();
                if (options.session() != null) {
                    dest += "/experiments/" + options.session();
                }
            }
            b.param("dest", dest);
            if (p.containsKey("overwrite")) {
                b.param("overwrite", p.get("overwrite"));
            }
        }
        return client.transport().text(b.build()).map(body -> ImportResult.parse(body).uris().stream()
                .findFirst()
                .orElseThrow(() -> new XnatProtocolException("The archive service answered no URI for " + path)));
    }

    /**
     * Rebuilds the session from its files (XNAT's {@code rebuild}): a receiving or failed session becomes ready.
     *
     * @return this ref, once the server has rebuilt it
     */
    public Mono<PrearchiveSessionRef> rebuild() {
        return batch("rebuild", null).thenReturn(this);
    }

    /**
     * Moves the session to another project's prearchive.
     *
     * @param newProject the project's ID
     * @return a ref to the session in its new place; {@link XnatConflictException} when that project has it
     */
    public Mono<PrearchiveSessionRef> move(String newProject) {
        Objects.requireNonNull(newProject, "newProject");
        return batch("move", newProject).thenReturn(new PrearchiveSessionRef(client, newProject, timestamp, folder));
    }

    /**
     * Deletes the session and its files from the prearchive.
     *
     * @return completes when it is gone
     */
    public Mono<Void> delete() {
        return client.transport()
                .discard(Request.delete(path).template(TEMPLATE).build());
    }

    private Mono<Void> batch(String op, String newProject) {
        Request.Builder b = Request.post("/data/services/prearchive/" + op)
                .template("/data/services/prearchive/" + op)
                .param("src", src())
                .idempotent(false);
        if (newProject != null) {
            b.param("newProject", newProject).param("async", "false");
        }
        return client.transport().discard(b.build());
    }

    @Override
    public String toString() {
        return "PrearchiveSessionRef[" + path + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PrearchiveSessionRef r && r.client == client && r.path.equals(path);
    }

    @Override
    public int hashCode() {
        return path.hashCode();
    }

    /** A scan of a prearchive session, as the owner of its {@code DICOM} resource. */
    static final class ScanOwner extends ArchiveRef {
        ScanOwner(PrearchiveSessionRef session, String scanId) {
            super(session.client, session.path + "/scans/" + Uris.segment(scanId), TEMPLATE + "/scans/{scan}", scanId);
        }
    }
}
