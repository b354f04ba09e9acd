package io.github.xnatreactive.bulk;

import io.github.xnatreactive.bulk.internal.Engine;
import io.github.xnatreactive.bulk.internal.Group;
import io.github.xnatreactive.bulk.internal.Planners;
import io.github.xnatreactive.core.Experiment;
import io.github.xnatreactive.core.ExperimentRef;
import io.github.xnatreactive.core.ProjectRef;
import io.github.xnatreactive.core.ResourceRef;
import io.github.xnatreactive.core.SubjectRef;
import io.github.xnatreactive.core.XnatClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;

/**
 * Moves whole imaging sessions: download to a local folder, upload from one, mirror between servers. Files move in
 * parallel (bounded by the client's connection pool), each retried on its own and verified by size and MD5; files
 * already in place are skipped, so a rerun resumes.
 *
 * <pre>{@code
 * BulkClient bulk = BulkClient.of(xnat, TransferOptions.defaults().concurrency(8));
 * TransferReport r = bulk.downloadProject(xnat.project("P1"), dest, Selection.all()).run().block();
 * System.out.println(r.summary()); // 20 files (0.1 MB) moved, 0 already in place, 0 retries, 0 failed...
 * }</pre>
 *
 * Local layout, one folder per session:
 * {@code {dest}/{project}/{subject}/{session}/scans/{id}-{type}/resources/{label}/files/...},
 * {@code .../{session}/resources/{label}/files/...}, {@code .../assessors/{label}/[in|out/]resources/...},
 * {@code .../reconstructions/{id}/[in|out/]resources/...}, and {@code xnat-session.json} with the types and fields
 * an upload needs to recreate the session.
 *
 * <p>Immutable and thread-safe. Each method only describes a job: nothing moves until the {@link Transfer}'s
 * {@link Transfer#run()} or {@link Transfer#events()} is subscribed.
 */
public final class BulkClient {
    private final XnatClient client;
    private final TransferOptions options;

    private BulkClient(XnatClient client, TransferOptions options) {
        this.client = Objects.requireNonNull(client);
        this.options = Objects.requireNonNull(options);
    }

    /**
     * Waits, for at most {@code timeout}, for the engine's short local writes in progress to end: a session's
     * metadata file, written under a temporary name ({@code xnat-session.json.part}) and renamed into place. A
     * cancelled transfer does not wait for a write already running on a worker thread, so a program that cancels a
     * transfer and then looks at the destination (or says it is settled, as the CLI's daemon does after Ctrl-C)
     * calls this first. A JVM's exit waits for them too (for a second at most).
     *
     * @param timeout the longest wait
     * @return whether no such write was left in progress in time
     * @throws InterruptedException when interrupted while waiting
     */
    public static boolean awaitLocalWrites(java.time.Duration timeout) throws InterruptedException {
        return io.github.xnatreactive.bulk.internal.Engine.awaitLocalWrites(timeout.toMillis());
    }

    /**
     * A bulk client with {@link TransferOptions#defaults()}.
     *
     * @param client the client whose server, session and connection pool the transfers use
     * @return the bulk client
     */
    public static BulkClient of(XnatClient client) {
        return new BulkClient(client, TransferOptions.defaults());
    }

    /**
     * A bulk client with the given options.
     *
     * @param client the client whose server, session and connection pool the transfers use
     * @param options concurrency, attempts per file, fail-fast
     * @return the bulk client
     */
    public static BulkClient of(XnatClient client, TransferOptions options) {
        return new BulkClient(client, options);
    }

    /**
     * A bulk client on the same client with other options.
     *
     * @param options the options of the new bulk client
     * @return a new bulk client; this one is unchanged
     */
    public BulkClient withOptions(TransferOptions options) {
        return new BulkClient(client, options);
    }

    /**
     * The options transfers made by this bulk client run with.
     *
     * @return the options
     */
    public TransferOptions options() {
        return options;
    }

    private Transfer transfer(Supplier<Flux<Group>> planner) {
        return new Transfer(
                new Engine(options, client.maxConnections(), client.scheduler()), planner, options.instrumentation());
    }

    // ------------------------------------------------------------------ download

    /**
     * Downloads any stream of sessions into {@code dest}, one folder per session in the layout above.
     *
     * @param sessions the sessions, subscribed when the transfer runs (a listing can feed it)
     * @param dest the local root folder; created when missing
     * @param selection which scans, resources, assessors and reconstructions to download
     * @return the transfer, not started yet
     */
    public Transfer download(Flux<ExperimentRef> sessions, Path dest, Selection selection) {
        return transfer(() -> Planners.download(client, sessions, dest, selection));
    }

    /**
     * Downloads one session into {@code dest}.
     *
     * @param session the session
     * @param dest the local root folder; created when missing
     * @param selection which parts of the session to download
     * @return the transfer, not started yet
     */
    public Transfer download(ExperimentRef session, Path dest, Selection selection) {
        return download(Flux.just(session), dest, selection);
    }

    /**
     * Downloads a list of sessions into {@code dest}.
     *
     * @param sessions the sessions
     * @param dest the local root folder; created when missing
     * @param selection which parts of each session to download
     * @return the transfer, not started yet
     */
    public Transfer download(List<ExperimentRef> sessions, Path dest, Selection selection) {
        return download(Flux.fromIterable(sessions), dest, selection);
    }

    /**
     * Downloads every session of a subject, listed when the transfer runs.
     *
     * @param subject the subject
     * @param dest the local root folder; created when missing
     * @param selection which parts of each session to download
     * @return the transfer, not started yet
     */
    public Transfer downloadSubject(SubjectRef subject, Path dest, Selection selection) {
        return download(subject.experiments().map(e -> client.experiment(e.id())), dest, selection);
    }

    /**
     * Downloads every session of a project, listed when the transfer runs.
     *
     * @param project the project
     * @param dest the local root folder; created when missing
     * @param selection which parts of each session to download
     * @return the transfer, not started yet
     */
    public Transfer downloadProject(ProjectRef project, Path dest, Selection selection) {
        return download(project.experiments().map(Experiment::id).map(client::experiment), dest, selection);
    }

    // ------------------------------------------------------------------ upload

    /**
     * Uploads a session folder in the layout {@code download} writes. Subject, session label and data type come
     * from the arguments when given (non-null), else from the folder's {@code xnat-session.json}, else the session
     * label is the folder name and the type {@code xnat:mrSessionData}. What is missing on the server (subject,
     * session, scans, assessors, reconstructions, resources) is created when the transfer runs (a dry run creates
     * nothing); files already there with the same MD5 are skipped.
     *
     * @param sessionDir the session's folder ({@code {dest}/{project}/{subject}/{session}} of a download)
     * @param project the project to upload into; it must exist
     * @param subject the subject label, or null to take it from the folder
     * @param session the session label, or null to take it from the folder
     * @param xsiType the session's data type, or null to take it from the folder
     * @param selection which parts of the folder to upload
     * @return the transfer, not started yet
     */
    public Transfer upload(
            Path sessionDir, ProjectRef project, String subject, String session, String xsiType, Selection selection) {
        Planners.UploadTarget t = new Planners.UploadTarget(project, subject, session, xsiType);
        return transfer(() -> Planners.upload(sessionDir, t, selection));
    }

    /**
     * Uploads every session folder under {@code dir} as one job: the folders that hold an {@code xnat-session.json}
     * (as {@link #downloadProject} writes them, {@code {project}/{subject}/{session}}), each into the subject and
     * session its metadata names. Several sessions move at once, as in a download, and each subject is created once.
     * Session folders without the metadata file upload one at a time with
     * {@link #upload(Path, ProjectRef, String, String, String, Selection)}.
     *
     * @param dir a download's root folder, a project's folder in it, or any folder above session folders
     * @param project the project to upload into; it must exist
     * @param selection which parts of each session to upload
     * @return the transfer, not started yet; its run fails with {@link java.io.FileNotFoundException} when
     *     {@code dir} is not a folder, and with {@link IllegalArgumentException} when it holds no session folder
     */
    public Transfer uploadAll(Path dir, ProjectRef project, Selection selection) {
        return transfer(() -> Planners.uploadAll(dir, project, selection));
    }

    /**
     * Uploads every file under {@code dir} into a resource (created if missing), paths relative to {@code dir}.
     *
     * @param dir the local folder
     * @param resource the resource to upload into
     * @return the transfer, not started yet
     */
    public Transfer uploadFiles(Path dir, ResourceRef resource) {
        return transfer(() -> Planners.files(dir, resource).flux());
    }

    // ------------------------------------------------------------------ mirror

    /**
     * Copies sessions to another server (or project): same subject and session labels, types and fields, scans,
     * session resources, assessors and reconstructions, bytes streamed from source to destination without a disk copy, MD5 checked
     * while reading and against the destination's listing after writing.
     *
     * @param sessions the sessions to copy, read through this bulk client's client
     * @param destination the client of the server to copy to (may be the same server)
     * @param destinationProject the project to copy into; it must exist
     * @param selection which parts of each session to copy
     * @return the transfer, not started yet
     */
    public Transfer mirror(
            Flux<ExperimentRef> sessions, XnatClient destination, String destinationProject, Selection selection) {
        return transfer(() -> Planners.mirror(client, sessions, destination, destinationProject, selection));
    }

    /**
     * Copies every session of a project to another server (or project), as {@link #mirror}.
     *
     * @param project the source project, listed when the transfer runs
     * @param destination the client of the server to copy to
     * @param destinationProject the project to copy into; it must exist
     * @param selection which parts of each session to copy
     * @return the transfer, not started yet
     */
    public Transfer mirrorProject(
            ProjectRef project, XnatClient destination, String destinationProject, Selection selection) {
        return mirror(
                project.experiments().map(Experiment::id).map(client::experiment),
                destination,
                destinationProject,
                selection);
    }

    /**
     * Ingests a directory tree of DICOM files through XNAT's import service, one import per study, as many at once
     * as this client's {@link TransferOptions#concurrency()}.
     *
     * @param dir the tree's root
     * @param options where the sessions go and how they are labelled
     * @return the ingest; nothing is read or sent before {@link Ingest#run()} or {@link Ingest#plan()} is subscribed
     */
    public Ingest ingest(Path dir, io.github.xnatreactive.core.ImportOptions options) {
        return new Ingest(client, dir, options, options().concurrency());
    }
}
