package io.github.xnatreactive.core;

import io.github.xnatreactive.core.internal.Uris;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A reconstruction of an imaging session, by ID, with its plain, {@code in} and {@code out} resources. */
public final class ReconstructionRef extends ArchiveRef {
    private final ExperimentRef experiment;

    ReconstructionRef(ExperimentRef experiment, String id) {
        super(
                experiment.client,
                experiment.path + "/reconstructions/" + Uris.segment(id),
                experiment.template + "/reconstructions/{reconstruction}",
                id);
        this.experiment = experiment;
    }

    public ExperimentRef experiment() {
        return experiment;
    }

    /** Resources attached directly to the reconstruction. */
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

    /** Creates the reconstruction ({@code xnat:reconstructedImageData} by default on the server). */
    public Mono<Void> create(String xsiType, Map<String, String> fields) {
        return put(with(fields, "xsiType", xsiType)).then();
    }

    public Mono<Void> update(Map<String, String> fields) {
        return updateFields(fields);
    }

    public Mono<Void> delete(boolean removeFiles) {
        return deleteWith(removeFiles);
    }
}
