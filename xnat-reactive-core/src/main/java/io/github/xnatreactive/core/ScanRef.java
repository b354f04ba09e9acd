package io.github.xnatreactive.core;

import io.github.xnatreactive.core.internal.Uris;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A scan of an imaging session, by scan ID. */
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

    public ExperimentRef experiment() {
        return experiment;
    }

    public Flux<Resource> resources() {
        return list("resources", ListOptions.of()).map(Resource::from);
    }

    public ResourceRef resource(String label) {
        return new ResourceRef(this, null, label);
    }

    public Mono<Scan> get() {
        return document().map(d -> {
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

    /** Creates the scan with a concrete type such as {@code xnat:mrScanData} and fields (type, quality...). */
    public Mono<Void> create(String xsiType, Map<String, String> fields) {
        return put(with(fields, "xsiType", xsiType)).then();
    }

    public Mono<Void> update(Map<String, String> fields) {
        return updateFields(fields);
    }

    public Mono<Void> delete(boolean removeFiles) {
        return deleteWith(removeFiles);
    }

    /**
     * Has XNAT refresh the catalogs of every resource of this scan (its {@code POST /data/services/refresh/catalog}), e.g. after files were written
     * into the archive folder behind XNAT's back. XNAT answers when the refresh is done.
     *
     * <pre>{@code
     * scan.refreshCatalog(RefreshOptions.none().append(true).populateStats(true)).block();
     * }</pre>
     */
    public Mono<Void> refreshCatalog(RefreshOptions options) {
        return refresh(java.util.Objects.requireNonNull(options, "options"));
    }
}
