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

    /**
     * The session this derived data belongs to.
     *
     * @return the experiment ref this ref was made from
     */
    public ExperimentRef experiment() {
        return experiment;
    }

    /**
     * Lists the resources attached directly (neither in nor out).
     *
     * @return the resources, with file counts and sizes
     */
    public Flux<Resource> resources() {
        return list("resources", ListOptions.of()).map(Resource::from);
    }

    /**
     * Lists the {@code in} resources: the inputs the data was derived from.
     *
     * @return the resources, with file counts and sizes
     */
    public Flux<Resource> inResources() {
        return list("in/resources", ListOptions.of()).map(Resource::from);
    }

    /**
     * Lists the {@code out} resources: the outputs.
     *
     * @return the resources, with file counts and sizes
     */
    public Flux<Resource> outResources() {
        return list("out/resources", ListOptions.of()).map(Resource::from);
    }

    /**
     * Names a resource attached directly. No I/O.
     *
     * @param label the resource's label
     * @return a ref to the resource
     */
    public ResourceRef resource(String label) {
        return new ResourceRef(this, null, label);
    }

    /**
     * Names an {@code in} (input) resource. No I/O.
     *
     * @param label the resource's label
     * @return a ref to the resource, whose {@link ResourceRef#direction()} is {@code in}
     */
    public ResourceRef inResource(String label) {
        return new ResourceRef(this, "in", label);
    }

    /**
     * Names an {@code out} (output) resource. No I/O.
     *
     * @param label the resource's label
     * @return a ref to the resource, whose {@link ResourceRef#direction()} is {@code out}
     */
    public ResourceRef outResource(String label) {
        return new ResourceRef(this, "out", label);
    }

    /**
     * Sets fields of the assessor or reconstruction.
     *
     * @param fields short names or XPaths and their new values; an empty map sends nothing
     * @return completes when the server has stored them
     */
    public Mono<Void> update(Map<String, String> fields) {
        return updateFields(fields);
    }

    /**
     * Deletes the assessor or reconstruction with its resources.
     *
     * @param removeFiles true to remove its files from the server's disk too
     * @return completes when the server has deleted it
     */
    public Mono<Void> delete(boolean removeFiles) {
        return deleteWith(removeFiles);
    }
}
