package io.github.xnatreactive.core;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * An experiment: an imaging session (or another subject assessor, or an assessor when reached by accession ID).
 *
 * <pre>{@code
 * ExperimentRef mr = xnat.project("P1").subject("S001").experiment("S001_MR1");
 * String id = mr.create("xnat:mrSessionData", Map.of("date", "2024-05-01")).block();
 * mr.scan("1").create("xnat:mrScanData", Map.of("type", "T1w")).block();
 * }</pre>
 */
public final class ExperimentRef extends ArchiveRef {
    private final SubjectRef subject;

    ExperimentRef(XnatClient client, String path, String template, String id, SubjectRef subject) {
        super(client, path, template, id);
        this.subject = subject;
    }

    /** The subject when the ref was made through one, else null. */
    public SubjectRef subject() {
        return subject;
    }

    public Flux<Scan> scans() {
        return scans(ListOptions.of());
    }

    public Flux<Scan> scans(ListOptions options) {
        return list("scans", options).map(Scan::from);
    }

    public ScanRef scan(String id) {
        return new ScanRef(this, id);
    }

    public Flux<Experiment> assessors() {
        return list("assessors", ListOptions.of()).map(Experiment::from);
    }

    public AssessorRef assessor(String label) {
        return new AssessorRef(this, label);
    }

    public Flux<Reconstruction> reconstructions() {
        return list("reconstructions", ListOptions.of()).map(Reconstruction::from);
    }

    public ReconstructionRef reconstruction(String id) {
        return new ReconstructionRef(this, id);
    }

    /** The session's own resources (not its scans'). */
    public Flux<Resource> resources() {
        return list("resources", ListOptions.of()).map(Resource::from);
    }

    public ResourceRef resource(String label) {
        return new ResourceRef(this, null, label);
    }

    public Mono<Experiment> get() {
        return document().map(d -> {
            Map<String, String> f = d.fields();
            return Experiment.from(Map.of(
                    "ID", f.getOrDefault("ID", ""),
                    "label", f.getOrDefault("label", id),
                    "project", f.getOrDefault("project", ""),
                    "xsiType", d.xsiType(),
                    "date", f.getOrDefault("date", ""),
                    "insert_date", "",
                    "URI", "/data/experiments/" + f.getOrDefault("ID", "")));
        });
    }

    /**
     * Creates the experiment with a data type such as {@code xnat:mrSessionData} and fields (short names or
     * XPaths), or updates it if it exists; returns its accession ID. XNAT creates the subject when it does not
     * exist.
     *
     * @throws IllegalStateException when the ref was not made through a subject
     */
    public Mono<String> create(String xsiType, Map<String, String> fields) {
        if (subject == null) {
            return Mono.error(new IllegalStateException(
                    "To create an experiment, name its subject: project(P).subject(S).experiment(E)"));
        }
        return put(with(fields, "xsiType", xsiType)).map(PutReply::body);
    }

    /** As {@link #create(String, Map)}; with {@code createParents} the project is created first when missing. */
    public Mono<String> create(String xsiType, Map<String, String> fields, boolean createParents) {
        if (!createParents || subject == null) {
            return create(xsiType, fields);
        }
        ProjectRef p = subject.project();
        return p.exists()
                .flatMap(exists -> exists ? Mono.<Void>empty() : p.create())
                .then(create(xsiType, fields));
    }

    public Mono<Void> update(Map<String, String> fields) {
        return updateFields(fields);
    }

    public Mono<Void> rename(String newLabel) {
        return put(Map.of("label", newLabel)).then();
    }

    public Mono<Void> delete(boolean removeFiles) {
        return deleteWith(removeFiles);
    }

    /**
     * Downloads the files of this session's scans as one archive and extracts it into {@code dir} while it
     * streams, as XNAT lays it out ({@code {label}/scans/{id}-{type}/resources/{label}/files/...}). Scan types or
     * IDs select scans; none means all. Entries that would land outside {@code dir} fail the download.
     *
     * @return the files written
     */
    public Mono<List<Path>> downloadScans(Path dir, String... scanTypesOrIds) {
        String which = scanTypesOrIds.length == 0 ? "ALL" : String.join(",", scanTypesOrIds);
        return ArchiveDownload.extract(
                client,
                path + "/scans/" + io.github.xnatreactive.core.internal.Uris.segment(which) + "/files",
                template + "/scans/{scans}/files",
                dir);
    }

    /**
     * Has XNAT refresh the catalogs of every resource of this experiment (its own, its scans', its assessors') (its {@code POST /data/services/refresh/catalog}), e.g. after files were written
     * into the archive folder behind XNAT's back. XNAT answers when the refresh is done.
     *
     * <pre>{@code
     * session.refreshCatalog(RefreshOptions.none().append(true).populateStats(true)).block();
     * }</pre>
     */
    public Mono<Void> refreshCatalog(RefreshOptions options) {
        return refresh(java.util.Objects.requireNonNull(options, "options"));
    }
}
