package io.github.xnatreactive.core;

import io.github.xnatreactive.core.internal.Uris;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Derived data of an imaging session, with its plain, {@code in} (inputs) and {@code out} (outputs) resources: the
 * common part of {@link AssessorRef} and {@link ReconstructionRef}.
 */
public abstract class DerivedRef extends ArchiveRef {
    private final ExperimentRef experiment;

    DerivedRef(ExperimentRef experiment, String collection, String id) {
        super(
                experiment.client,
                experiment.path + "/" + collection + "/" + Uris.segment(id),
                experiment.template + "/" + collection + "/{" + collection.substring(0, collection.length() - 1) + "}",
                id);
        this.experiment = experiment;
    }

    /** The session this belongs to. */
    public ExperimentRef experiment() {
        return experiment;
    }

    /** Resources attached directly (neither in nor out). */
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

    public Mono<Void> update(Map<String, String> fields) {
        return updateFields(fields);
    }

    public Mono<Void> delete(boolean removeFiles) {
        return deleteWith(removeFiles);
    }
}
