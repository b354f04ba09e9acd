package io.github.xnatreactive.core;

import io.github.xnatreactive.core.internal.Uris;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** An assessor of an imaging session (QC, derived data...), by label or accession ID, with its plain, {@code in} and {@code out} resources. */
public final class AssessorRef extends ArchiveRef {
    private final ExperimentRef experiment;

    AssessorRef(ExperimentRef experiment, String id) {
        super(
                experiment.client,
                experiment.path + "/assessors/" + Uris.segment(id),
                experiment.template + "/assessors/{assessor}",
                id);
        this.experiment = experiment;
    }

    public ExperimentRef experiment() {
        return experiment;
    }

    /** Resources attached directly to the assessor. */
    public Flux<Resource> resources() {
        return list("resources", ListOptions.of()).map(Resource::from);
    }

    /** The {@code in} (inputs) resources. */
    public Flux<Resource> inResources() {
        return list("in/resources", ListOptions.of()).map(Resource::from);
    }

    /** The {@code out} (outputs) resources. */
    public Flux<Resource> outResources() {
        return list("out/resources", ListOptions.of()).map(Resource::from);
    }

    public ResourceRef resource(String label) {
        return new ResourceRef(this, null, label);
    }

    public ResourceRef inResource(String label) {
        return new ResourceRef(this, "in", label);
    }

    public ResourceRef outResource(String label) {
        return new ResourceRef(this, "out", label);
    }

    /** Creates the assessor with a type such as {@code xnat:qcManualAssessorData}; returns its accession ID. */
    public Mono<String> create(String xsiType, Map<String, String> fields) {
        return put(with(fields, "xsiType", xsiType)).map(PutReply::body);
    }

    public Mono<Void> update(Map<String, String> fields) {
        return updateFields(fields);
    }

    public Mono<Void> delete(boolean removeFiles) {
        return deleteWith(removeFiles);
    }
}
