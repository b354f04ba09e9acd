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
 * TransferReport r = bulk.downloadProject(xnat.project("P1"), Path.of("data"), Selection.all()).run().block();
 * System.out.println(r.summary());
 * }</pre>
 *
 * Local layout, one folder per session:
 * {@code {dest}/{project}/{subject}/{session}/scans/{id}-{type}/resources/{label}/files/...},
 * {@code .../{session}/resources/{label}/files/...}, {@code .../assessors/{label}/[in|out/]resources/...},
 * {@code .../reconstructions/{id}/[in|out/]resources/...}, and {@code xnat-session.json} with the types and fields
 * an upload needs to recreate the session.
 */
public final class BulkClient {
    private final XnatClient client;
    private final TransferOptions options;

    private BulkClient(XnatClient client, TransferOptions options) {
        this.client = Objects.requireNonNull(client);
        this.options = Objects.requireNonNull(options);
    }

    public static BulkClient of(XnatClient client) {
        return new BulkClient(client, TransferOptions.defaults());
    }

    public static BulkClient of(XnatClient client, TransferOptions options) {
        return new BulkClient(client, options);
    }

    public BulkClient withOptions(TransferOptions options) {
        return new BulkClient(client, options);
    }

    public TransferOptions options() {
        return options;
    }

    private Transfer transfer(Supplier<Flux<Group>> planner) {
        return new Transfer(new Engine(options, client.maxConnections()), planner);
    }

    // ------------------------------------------------------------------ download

    /** Downloads any stream of sessions into {@code dest}. */
    public Transfer download(Flux<ExperimentRef> sessions, Path dest, Selection selection) {
        return transfer(() -> Planners.download(client, sessions, dest, selection));
    }

    public Transfer download(ExperimentRef session, Path dest, Selection selection) {
        return download(Flux.just(session), dest, selection);
    }

    public Transfer download(List<ExperimentRef> sessions, Path dest, Selection selection) {
        return download(Flux.fromIterable(sessions), dest, selection);
    }

    /** Every session of a subject. */
    public Transfer downloadSubject(SubjectRef subject, Path dest, Selection selection) {
        return download(subject.experiments().map(e -> client.experiment(e.id())), dest, selection);
    }

    /** Every session of a project. */
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
     */
    public Transfer upload(
            Path sessionDir, ProjectRef project, String subject, String session, String xsiType, Selection selection) {
        Planners.UploadTarget t = new Planners.UploadTarget(project, subject, session, xsiType);
        return transfer(() -> Planners.upload(sessionDir, t, selection));
    }

    /** Uploads every file under {@code dir} into a resource (created if missing), paths relative to {@code dir}. */
    public Transfer uploadFiles(Path dir, ResourceRef resource) {
        return transfer(() -> Planners.files(dir, resource).flux());
    }

    // ------------------------------------------------------------------ mirror

    /**
     * Copies sessions to another server (or project): same subject and session labels, types and fields, scans,
     * session resources, assessors and reconstructions, bytes streamed from source to destination without a disk copy, MD5 checked
     * while reading and against the destination's listing after writing.
     */
    public Transfer mirror(
            Flux<ExperimentRef> sessions, XnatClient destination, String destinationProject, Selection selection) {
        return transfer(() -> Planners.mirror(client, sessions, destination, destinationProject, selection));
    }

    public Transfer mirrorProject(
            ProjectRef project, XnatClient destination, String destinationProject, Selection selection) {
        return mirror(
                project.experiments().map(Experiment::id).map(client::experiment),
                destination,
                destinationProject,
                selection);
    }
}
