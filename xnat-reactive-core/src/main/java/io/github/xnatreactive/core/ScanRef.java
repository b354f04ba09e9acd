package io.github.xnatreactive.core;

import io.github.xnatreactive.core.internal.Uris;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A scan of an imaging session, by scan ID. Made with {@link ExperimentRef#scan(String)}; no I/O until a method's
 * result is subscribed.
 *
 * <pre>{@code
 * ScanRef t1 = xnat.project("P1").subject("P1_S001").experiment("P1_S001_MR1").scan("1");
 * Scan scan = t1.get().block(); // type "T1w", quality "usable", xsiType "xnat:mrScanData"
 * List<String> resources = t1.resources().map(Resource::label).collectList().block(); // [DICOM]
 * t1.update(Map.of("note", "motion in the last volumes")).block();
 * }</pre>
 */
public final class ScanRef extends ArchiveRef {
    private final ExperimentRef experiment;

    ScanRef(ExperimentRef experiment, String id) {
        super(
                experiment.client,
                experiment.path + "/scans/" + Uris.segment(id),
                experiment.template + "/scans/{scan}",
                id);
        this.experiment = experiment;
    }

    /**
     * The session this scan belongs to.
     *
     * @return the experiment ref this ref was made from
     */
    public ExperimentRef experiment() {
        return experiment;
    }

    /**
     * Shares this scan into another project ({@code PUT .../scans/{id}/projects/{project}}): XNAT first shares the
     * scan's session there under its label when it is not there yet, then the scan. XNAT takes no label for a
     * scan and has no call to unshare one; unshare the session ({@link Shareable#unshare(String)}) instead.
     *
     * @param project the project to share it into (its ID or an alias)
     * @return completes when the server has shared it; {@link XnatConflictException} when it is shared there
     *     already, {@link XnatForbiddenException} without create rights there, {@link XnatNotFoundException} when
     *     that project is not visible
     */
    public Mono<Void> share(String project) {
        return Sharing.share(this, project, null, false);
    }

    /**
     * Lists the scan's resources ({@code DICOM}, {@code NIFTI}, {@code SNAPSHOTS}...).
     *
     * @return the resources, with file counts and sizes
     */
    public Flux<Resource> resources() {
        return list("resources", ListOptions.of()).map(Resource::from);
    }

    /**
     * Names a resource of the scan. No I/O.
     *
     * @param label the resource's label, e.g. {@code DICOM}
     * @return a ref to the resource
     */
    public ResourceRef resource(String label) {
        return new ResourceRef(this, null, label);
    }

    /**
     * Reads the scan's record.
     *
     * @return the scan; {@link XnatNotFoundException} when it does not exist
     */
    public Mono<Scan> get() {
        return jsonDocument().map(d -> {
            Map<String, String> f = d.fields();
            return Scan.from(Map.of(
                    "ID", f.getOrDefault("ID", id),
                    "type", f.getOrDefault("type", ""),
                    "quality", f.getOrDefault("quality", ""),
                    "xsiType", d.xsiType(),
                    "series_description", f.getOrDefault("series_description", ""),
                    "note", f.getOrDefault("note", ""),
                    "URI", path));
        });
    }

    /**
     * Creates the scan, or updates it if it exists.
     *
     * @param xsiType a concrete scan type such as {@code xnat:mrScanData}
     * @param fields e.g. {@code type}, {@code quality}, {@code series_description}; may be empty
     * @return the scan's ID (the one this ref was made with), when the server has stored it
     */
    public Mono<String> create(String xsiType, Map<String, String> fields) {
        return put(with(fields, "xsiType", xsiType)).thenReturn(id);
    }

    /**
     * As {@link #create(String, Map)}; with {@code createParents} the missing parents are created first, as
     * pyxnat's {@code create()} does: the session (its data type follows the scan's, {@code xnat:ctScanData} giving
     * {@code xnat:ctSessionData}, else {@code xnat:mrSessionData}) and, through
     * {@link ExperimentRef#create(String, Map, boolean)}, the project (XNAT creates the subject with the session).
     * An existing session is left as it is; one existence check per level finds what is missing.
     *
     * @param xsiType a concrete scan type such as {@code xnat:mrScanData}
     * @param fields the scan's fields; may be empty
     * @param createParents true to create the session and project when they do not exist
     * @return the scan's ID; an {@link IllegalStateException} error signal when parents are to be created but the
     *     session ref was not made through a subject (XNAT needs the subject to create a session)
     */
    public Mono<String> create(String xsiType, Map<String, String> fields, boolean createParents) {
        if (!createParents) {
            return create(xsiType, fields);
        }
        return experiment
                .exists()
                .flatMap(exists ->
                        exists ? Mono.<String>empty() : experiment.create(sessionTypeFor(xsiType), Map.of(), true))
                .then(create(xsiType, fields));
    }

    /** {@code xnat:ctScanData} is scanned in an {@code xnat:ctSessionData}; other types in an MR session. */
    static String sessionTypeFor(String scanXsiType) {
        if (scanXsiType != null && scanXsiType.startsWith("xnat:") && scanXsiType.endsWith("ScanData")) {
            String modality = scanXsiType.substring("xnat:".length(), scanXsiType.length() - "ScanData".length());
            if (!modality.isEmpty() && !modality.equals("image")) {
                return "xnat:" + modality + "SessionData";
            }
        }
        return "xnat:mrSessionData";
    }

    /**
     * Sets fields of the scan.
     *
     * @param fields short names or XPaths and their new values; an empty map sends nothing
     * @return completes when the server has stored them
     */
    public Mono<Void> update(Map<String, String> fields) {
        return updateFields(fields);
    }

    /**
     * Reads the {@code parameters/addParam} of the scan: the extra acquisition or processing parameters that have no
     * field of their own.
     *
     * @return each parameter's name and value, in document order
     */
    public Mono<Map<String, String>> parameters() {
        return document().map(XnatDocument::parameters);
    }

    /**
     * Sets extra parameters of the scan ({@code {xsiType}/parameters/addParam[name=K]/addField=V}, its data type
     * read from its document); the others are kept.
     *
     * @param values names and values; an empty map sends nothing
     * @return completes when the server has stored them
     */
    public Mono<Void> setParameters(Map<String, String> values) {
        return setNamed(null, "parameters/addParam", "addField", values);
    }

    /**
     * Deletes the scan with its resources.
     *
     * @param removeFiles true to remove its files from the server's disk too
     * @return completes when the server has deleted it
     */
    public Mono<Void> delete(boolean removeFiles) {
        return deleteWith(removeFiles);
    }

    /**
     * Has XNAT refresh the catalogs of every resource of this scan (XNAT's
     * {@code POST /data/services/refresh/catalog} with the scan's archive path), e.g. after files were written into
     * its archive folders behind XNAT's back. XNAT answers when the refresh is done.
     *
     * <pre>{@code
     * scan.refreshCatalog(RefreshOptions.all()).block(); // append, checksum, delete and populateStats
     * }</pre>
     *
     * @param options what the refresh does, not null; {@link RefreshOptions#none()} lets XNAT do all of it
     * @return completes empty when XNAT has refreshed; an {@link XnatNotFoundException} when the scan does not
     *     exist, an {@link XnatForbiddenException} when the user may not edit it
     */
    public Mono<Void> refreshCatalog(RefreshOptions options) {
        return refresh(java.util.Objects.requireNonNull(options, "options"));
    }

    /**
     * The DICOM header of this scan's first DICOM file, as XNAT's dicomdump service lists it.
     *
     * @return the header's elements; {@link XnatNotFoundException} when there is no DICOM file
     */
    public Flux<DicomDumpEntry> dicomDump() {
        return DicomDumpEntry.of(client, "/archive" + path.substring("/data".length()));
    }
}
