package io.github.xnatreactive.core;

import io.github.xnatreactive.core.internal.Request;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * An experiment: an imaging session (or another subject assessor, or an assessor when reached by accession ID).
 * Made with {@link SubjectRef#experiment(String)}, {@link ProjectRef#experiment(String)} or
 * {@link XnatClient#experiment(String)}; no I/O until a method's result is subscribed.
 *
 * <pre>{@code
 * ExperimentRef mr = xnat.project("LAB").subject("S003").experiment("S003_MR1");
 * String id = mr.create("xnat:mrSessionData", Map.of("date", "2024-05-01")).block();
 * mr.scan("1").create("xnat:mrScanData", Map.of("type", "T1w")).block();
 * List<Path> files = xnat.experiment(sessionId).downloadScans(dir, "T1w").block();
 * }</pre>
 */
public final class ExperimentRef extends ArchiveRef implements Shareable {
    private final SubjectRef subject;

    ExperimentRef(XnatClient client, String path, String template, String id, SubjectRef subject) {
        super(client, path, template, id);
        this.subject = subject;
    }

    /**
     * The subject this ref was made through.
     *
     * @return the subject, or null when the ref was made from a project or an accession ID
     */
    public SubjectRef subject() {
        return subject;
    }

    /**
     * Lists the session's scans.
     *
     * @return the scans, with type, quality and data type
     */
    public Flux<Scan> scans() {
        return scans(ListOptions.of());
    }

    /**
     * Lists the session's scans with server-side columns, filters or sorting.
     *
     * @param options the listing options; {@link ListOptions#of()} for none
     * @return the matching scans
     */
    public Flux<Scan> scans(ListOptions options) {
        return list("scans", options).map(Scan::from);
    }

    /**
     * Names a scan of the session. No I/O.
     *
     * @param id the scan's ID, e.g. {@code 1}
     * @return a ref to the scan
     */
    public ScanRef scan(String id) {
        return new ScanRef(this, id);
    }

    /**
     * Lists the session's assessors (QC, derived data...).
     *
     * @return the assessors as experiment records
     */
    public Flux<Experiment> assessors() {
        return list("assessors", ListOptions.of()).map(Experiment::from);
    }

    /**
     * Names an assessor of the session. No I/O.
     *
     * @param label the assessor's label, or its accession ID
     * @return a ref to the assessor
     */
    public AssessorRef assessor(String label) {
        return new AssessorRef(this, label);
    }

    /**
     * Lists the session's reconstructions.
     *
     * @return the reconstructions
     */
    public Flux<Reconstruction> reconstructions() {
        return list("reconstructions", ListOptions.of()).map(Reconstruction::from);
    }

    /**
     * Names a reconstruction of the session. No I/O.
     *
     * @param id the reconstruction's ID
     * @return a ref to the reconstruction
     */
    public ReconstructionRef reconstruction(String id) {
        return new ReconstructionRef(this, id);
    }

    /**
     * Lists the session's own resources (not its scans').
     *
     * @return the resources, with file counts and sizes
     */
    public Flux<Resource> resources() {
        return list("resources", ListOptions.of()).map(Resource::from);
    }

    /**
     * Lists every file of the session in one request: its own resources' files and those of its scans,
     * reconstructions and assessors ({@code files?all=true}). Each entry's {@link FileEntry#uri()} names the object
     * and the numeric resource ID it is in ({@code .../scans/1/resources/1234/files/1.dcm}) and its
     * {@link FileEntry#collection()} the resource's label; {@link FileEntry#path()} is the path inside that resource.
     *
     * @return the files with size and MD5 digest; {@link XnatNotFoundException} when the session does not exist
     */
    public Flux<FileEntry> files() {
        return client.rows(path + "/files", template + "/files", Map.of("all", "true"))
                .map(FileEntry::from);
    }

    /**
     * Names a resource of the session itself. No I/O.
     *
     * @param label the resource's label
     * @return a ref to the resource
     */
    public ResourceRef resource(String label) {
        return new ResourceRef(this, null, label);
    }

    /**
     * Reads the experiment's record, data type included.
     *
     * @return the experiment; {@link XnatNotFoundException} when it does not exist. Its {@code insertDate} is ""
     *     (list the project's experiments for it)
     */
    public Mono<Experiment> get() {
        return jsonDocument().map(d -> {
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
     * @param xsiType the data type, e.g. {@code xnat:mrSessionData}
     * @param fields e.g. {@code date}, {@code xnat:mrSessionData/fieldStrength}; may be empty
     * @return the experiment's accession ID; an {@link IllegalStateException} error signal when the ref was not
     *     made through a subject
     */
    public Mono<String> create(String xsiType, Map<String, String> fields) {
        if (subject == null) {
            return Mono.error(new IllegalStateException(
                    "To create an experiment, name its subject: project(P).subject(S).experiment(E)"));
        }
        return put(with(fields, "xsiType", xsiType)).map(PutReply::body);
    }

    /**
     * As {@link #create(String, Map)}; with {@code createParents} the project is created first when missing (the
     * subject is created by XNAT either way).
     *
     * @param xsiType the data type, e.g. {@code xnat:mrSessionData}
     * @param fields the experiment's fields; may be empty
     * @param createParents true to create the project when it does not exist
     * @return the experiment's accession ID
     */
    public Mono<String> create(String xsiType, Map<String, String> fields, boolean createParents) {
        if (!createParents || subject == null) {
            return create(xsiType, fields);
        }
        ProjectRef p = subject.project();
        return p.exists()
                .flatMap(exists -> exists ? Mono.<Void>empty() : p.create())
                .then(create(xsiType, fields));
    }

    /**
     * Sets fields of the experiment.
     *
     * @param fields short names or XPaths and their new values; an empty map sends nothing
     * @return completes when the server has stored them
     */
    public Mono<Void> update(Map<String, String> fields) {
        return updateFields(fields);
    }

    /**
     * Reads the experiment's custom variables ({@code fields/field} of its document).
     *
     * @return each variable's name and value; {@link XnatNotFoundException} when the experiment does not exist
     */
    public Mono<Map<String, String>> customFields() {
        return customFieldsOf();
    }

    /**
     * Sets custom variables of the experiment ({@code {xsiType}/fields/field[name=K]/field=V}, its data type read
     * from its document); the others are kept.
     *
     * @param values names and values; an empty map sends nothing
     * @return completes when the server has stored them
     */
    public Mono<Void> setCustomFields(Map<String, String> values) {
        return setNamed(null, "fields/field", "field", values);
    }

    /**
     * Gives the experiment a new label. This ref keeps the old label: make a new ref to reach it afterwards.
     *
     * @param newLabel the new label
     * @return completes when the server has renamed it
     */
    public Mono<Void> rename(String newLabel) {
        return put(Map.of("label", newLabel)).then();
    }

    /**
     * Reads the experiment's workflow status: XNAT answers {@code GET {experiment}/status} with its
     * {@code meta/status} as plain text.
     *
     * @return the status, e.g. {@code active} or {@code quarantine} (XNAT also knows {@code locked} and
     *     {@code obsolete}); {@link XnatNotFoundException} when there is no such experiment
     */
    public Mono<String> status() {
        Request req =
                Request.get(path + "/status").template(template + "/status").build();
        return client.transport().text(req).map(String::strip);
    }

    /**
     * Makes the experiment active (out of quarantine): {@code PUT {experiment}?activate=true}, as pyxnat users send
     * by hand. Needs edit rights in the experiment's project.
     *
     * @return completes when the server has stored the new status; {@link XnatForbiddenException} without edit
     *     rights
     */
    public Mono<Void> activate() {
        return put(Map.of("activate", "true")).then();
    }

    /**
     * Puts the experiment in quarantine: {@code PUT {experiment}?quarantine=true}. Needs edit rights in the
     * experiment's project.
     *
     * @return completes when the server has stored the new status; {@link XnatForbiddenException} without edit
     *     rights
     */
    public Mono<Void> quarantine() {
        return put(Map.of("quarantine", "true")).then();
    }

    /**
     * Has XNAT launch the project's auto-run pipelines for this session: {@code PUT {experiment}?triggerPipelines=true}
     * (pyxnat's {@code trigger_pipelines()}). Needs edit rights in the experiment's project.
     *
     * @return completes when the server has accepted the request; {@link XnatForbiddenException} without edit
     *     rights, {@link XnatNotFoundException} when there is no such experiment
     */
    public Mono<Void> triggerPipelines() {
        return trigger(false, false, true);
    }

    /**
     * Has XNAT set the scan types of this image session from their series descriptions:
     * {@code PUT {experiment}?fixScanTypes=true} (pyxnat's {@code fix_scan_types()}). XNAT ignores it for
     * experiments that are not image sessions.
     *
     * @return completes when the server has accepted the request; {@link XnatForbiddenException} without edit
     *     rights, {@link XnatNotFoundException} when there is no such experiment
     */
    public Mono<Void> fixScanTypes() {
        return trigger(true, false, false);
    }

    /**
     * Has XNAT read this image session's fields again from its DICOM headers:
     * {@code PUT {experiment}?pullDataFromHeaders=true} (pyxnat's {@code pull_data_from_headers()}). XNAT ignores it
     * for experiments that are not image sessions.
     *
     * @return completes when the server has accepted the request; {@link XnatForbiddenException} without edit
     *     rights, {@link XnatNotFoundException} when there is no such experiment
     */
    public Mono<Void> pullDataFromHeaders() {
        return trigger(false, true, false);
    }

    /**
     * Sends several of the triggers in one {@code PUT} (pyxnat's {@code trigger(fix_types, scan_headers,
     * pipelines)}); XNAT runs them in this order: fix scan types, pull data from headers, launch pipelines.
     *
     * @param fixScanTypes send {@code fixScanTypes=true}
     * @param pullDataFromHeaders send {@code pullDataFromHeaders=true}
     * @param triggerPipelines send {@code triggerPipelines=true}
     * @return completes when the server has accepted the request; nothing is sent when all three are false
     */
    public Mono<Void> trigger(boolean fixScanTypes, boolean pullDataFromHeaders, boolean triggerPipelines) {
        Map<String, String> params = new java.util.LinkedHashMap<>();
        if (fixScanTypes) {
            params.put("fixScanTypes", "true");
        }
        if (pullDataFromHeaders) {
            params.put("pullDataFromHeaders", "true");
        }
        if (triggerPipelines) {
            params.put("triggerPipelines", "true");
        }
        return params.isEmpty() ? Mono.empty() : put(params).then();
    }

    /**
     * Deletes the experiment with its scans, assessors and reconstructions.
     *
     * @param removeFiles true to remove its files from the server's disk too
     * @return completes when the server has deleted it
     */
    public Mono<Void> delete(boolean removeFiles) {
        return deleteWith(removeFiles);
    }

    /**
     * Downloads the files of this session's scans as one archive and extracts it into {@code dir} while it
     * streams, as XNAT lays it out ({@code {label}/scans/{id}-{type}/resources/{label}/files/...}). Scan types or
     * IDs select scans; none means all. Entries that would land outside {@code dir} fail the download.
     *
     * @param dir the folder to extract into; created when missing
     * @param scanTypesOrIds scan types ({@code T1w}) or IDs ({@code 1}); none for every scan
     * @return the files written, in archive order; {@link XnatProtocolException} for an unsafe entry or an empty
     *     archive
     */
    public Mono<List<Path>> downloadScans(Path dir, String... scanTypesOrIds) {
        return extractCollection("scans", dir, scanTypesOrIds);
    }

    /**
     * Downloads the files of this session's scans as one zip file at {@code target}, not extracted (pyxnat's
     * {@code scans().download(dest, type, extract=False)}): XNAT's {@code scans/{types}/files?format=zip}. Before it
     * takes the target's place the archive is checked against its {@code Content-Length} and each entry against its
     * recorded size and CRC; nothing is left at the target when a check fails.
     *
     * @param target the zip file to write (missing folders are created); an existing file is replaced
     * @param scanTypesOrIds scan types ({@code T1w}) or IDs ({@code 1}); none for every scan
     * @return the target path; {@link XnatIntegrityException} when the archive is cut or damaged,
     *     {@link XnatNotFoundException} when the session or the scans do not exist
     */
    public Mono<Path> downloadScansZip(Path target, String... scanTypesOrIds) {
        return keepCollectionZip("scans", target, scanTypesOrIds);
    }

    /**
     * Downloads the files of this session's assessors as one archive and extracts it into {@code dir} while it
     * streams (pyxnat's {@code assessors().download(dest, extract=True)}): XNAT's
     * {@code assessors/{ids}/files?format=zip}, which XNAT reads as the files of their out resources (reach in
     * resources through {@link AssessorRef#inResource}). Entries that would land outside {@code dir} fail the
     * download.
     *
     * @param dir the folder to extract into; created when missing
     * @param idsOrLabels assessor accession IDs or labels; none for every assessor
     * @return the files written, in archive order; {@link XnatNotFoundException} when no assessor matches or none
     *     has files
     */
    public Mono<List<Path>> downloadAssessors(Path dir, String... idsOrLabels) {
        return extractCollection("assessors", dir, idsOrLabels);
    }

    /**
     * Downloads the files of this session's assessors as one zip file at {@code target}, not extracted (pyxnat's
     * {@code assessors().download(dest, extract=False)}), checked as {@link #downloadScansZip} checks its zip.
     *
     * @param target the zip file to write (missing folders are created); an existing file is replaced
     * @param idsOrLabels assessor accession IDs or labels; none for every assessor
     * @return the target path; {@link XnatIntegrityException} when the archive is cut or damaged,
     *     {@link XnatNotFoundException} when no assessor matches or none has files
     */
    public Mono<Path> downloadAssessorsZip(Path target, String... idsOrLabels) {
        return keepCollectionZip("assessors", target, idsOrLabels);
    }

    /**
     * Downloads the files of this session's reconstructions as one archive and extracts it into {@code dir} while
     * it streams (pyxnat's {@code reconstructions().download(dest, extract=True)}): XNAT's
     * {@code reconstructions/{ids}/files?format=zip}, the files of their out resources.
     *
     * @param dir the folder to extract into; created when missing
     * @param ids reconstruction IDs; none for every reconstruction
     * @return the files written, in archive order; {@link XnatNotFoundException} when none matches or none has files
     */
    public Mono<List<Path>> downloadReconstructions(Path dir, String... ids) {
        return extractCollection("reconstructions", dir, ids);
    }

    /**
     * Downloads the files of this session's reconstructions as one zip file at {@code target}, not extracted,
     * checked as {@link #downloadScansZip} checks its zip.
     *
     * @param target the zip file to write (missing folders are created); an existing file is replaced
     * @param ids reconstruction IDs; none for every reconstruction
     * @return the target path; {@link XnatIntegrityException} when the archive is cut or damaged,
     *     {@link XnatNotFoundException} when none matches or none has files
     */
    public Mono<Path> downloadReconstructionsZip(Path target, String... ids) {
        return keepCollectionZip("reconstructions", target, ids);
    }

    /** {@code {collection}/{which}/files}: the files of the scans, assessors or reconstructions {@code which} names. */
    private String collectionFiles(String collection, String... which) {
        String joined = which.length == 0 ? "ALL" : String.join(",", which);
        return path + "/" + collection + "/" + io.github.xnatreactive.core.internal.Uris.segment(joined) + "/files";
    }

    private Mono<List<Path>> extractCollection(String collection, Path dir, String... which) {
        return ArchiveDownload.extract(
                client, collectionFiles(collection, which), template + "/" + collection + "/{ids}/files", dir);
    }

    private Mono<Path> keepCollectionZip(String collection, Path target, String... which) {
        String p = collectionFiles(collection, which);
        Request req = Request.get(p)
                .template(template + "/" + collection + "/{ids}/files")
                .param("format", "zip")
                .build();
        return ArchiveDownload.keepZip(client, req, p + "?format=zip", target, Mono.just(List.of()));
    }

    /**
     * Downloads the whole session as one zip file at {@code target}, not extracted: XNAT's
     * {@code files?format=zip&all=true}, the session's own resources with those of its scans, assessors and
     * reconstructions. Before it takes the target's place the archive is checked against its {@code Content-Length},
     * each entry against its recorded size and CRC, and the entries against {@link #files()} (same number of files,
     * each listed file with its size); nothing is left at the target when a check fails.
     *
     * @param target the zip file to write (missing folders are created); an existing file is replaced
     * @return the target path; {@link XnatIntegrityException} when the archive is cut, damaged or does not match the
     *     listing, {@link XnatNotFoundException} when the session does not exist
     */
    public Mono<Path> downloadZip(Path target) {
        Request req = Request.get(path + "/files")
                .template(template + "/files")
                .param("format", "zip")
                .param("all", "true")
                .build();
        return ArchiveDownload.keepZip(client, req, path + "/files?format=zip&all=true", target, files().collectList());
    }

    /**
     * Has XNAT refresh the catalogs under this experiment (XNAT's {@code POST /data/services/refresh/catalog} with
     * the experiment's archive path), e.g. after files were written into or removed from its archive folders behind
     * XNAT's back. XNAT answers when the refresh is done. Here the entries of files deleted from disk are dropped
     * and missing checksums computed:
     *
     * <pre>{@code
     * session.refreshCatalog(RefreshOptions.none().checksum(true).delete(true)).block();
     * }</pre>
     *
     * @param options what the refresh does, not null; {@link RefreshOptions#none()} lets XNAT do all of it
     * @return completes empty when XNAT has refreshed; an {@link XnatNotFoundException} when the experiment does not
     *     exist, an {@link XnatForbiddenException} when the user may not edit it
     */
    public Mono<Void> refreshCatalog(RefreshOptions options) {
        return refresh(java.util.Objects.requireNonNull(options, "options"));
    }

    /**
     * The DICOM header of this session's first DICOM file, as XNAT's dicomdump service lists it.
     *
     * @return the header's elements; {@link XnatNotFoundException} when there is no DICOM file
     */
    public Flux<DicomDumpEntry> dicomDump() {
        return DicomDumpEntry.of(client, "/archive" + path.substring("/data".length()));
    }
}
